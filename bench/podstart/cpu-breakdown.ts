// Where the CPU of a pod-start burst goes, per kind of process (`--cpu-breakdown`). Two sources,
// because neither alone sees everything: processes still alive afterwards (containerd, its shims,
// pause and the containers, the agent, the server) are read from /proc/PID/stat before and after;
// processes that came and went during the burst (runc, its init stages, the CNI plugins, the
// shims' `start` step, the agent's mount helpers) are read from a BSD process-accounting file
// the kernel writes while `accton FILE` is on. Accounting is machine-wide, so only records whose
// parent chain leads to this node's containerd, agent or server count; it is switched off again
// (`accton off`) before this resolves, even on failure. The kernel's accounting records carry
// tick-sampled CPU times that miss most of a short process's time, so their CPU column is a floor;
// the processes' parents' reaped-children times (cutime) and, when `perf` is installed, a
// machine-wide `perf record -e cpu-clock` over the burst, split by command name, are the numbers
// to trust.
import { spawn, spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Clock ticks per second in /proc/PID/stat, and AHZ of the accounting records; 100 on Linux. */
const TICKS = 100;

interface Proc {
  pid: number;
  ppid: number;
  comm: string;
  ticks: number;
  /** CPU of its children that it has waited for (cutime + cstime), exit path included. */
  childTicks: number;
  /** Start time in ticks since boot: tells a reused PID apart (the name changes on exec, and kworkers rename themselves). */
  start: number;
  cmdline: string;
}

async function snapshot(): Promise<Map<number, Proc>> {
  const out = new Map<number, Proc>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    const close = stat.lastIndexOf(')');
    if (close < 0) continue;
    const fields = stat.slice(close + 2).split(' ');
    const cmdline = (await readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => '')).replaceAll('\0', ' ');
    out.set(Number(name), { pid: Number(name), ppid: Number(fields[1]), comm: stat.slice(stat.indexOf('(') + 1, close), ticks: Number(fields[11]) + Number(fields[12]), childTicks: Number(fields[13]) + Number(fields[14]), start: Number(fields[19]), cmdline });
  }
  return out;
}

interface AcctRecord {
  pid: number;
  ppid: number;
  comm: string;
  ticks: number;
  /** Wall time from start to exit, in ticks. */
  elapsed: number;
}

/** comp_t: 13-bit mantissa, 3-bit base-8 exponent. */
const compT = (v: number): number => (v & 0x1fff) << (3 * (v >> 13));

/** Parses the kernel's acct_v3 records (64 bytes each). */
export function parseAcct(buf: Buffer): AcctRecord[] {
  const out: AcctRecord[] = [];
  for (let off = 0; off + 64 <= buf.length; off += 64) {
    if (buf.readUInt8(off + 1) !== 3) continue;
    const comm = buf.subarray(off + 48, off + 64).toString('latin1').replace(/\0.*$/s, '');
    out.push({ pid: buf.readUInt32LE(off + 16), ppid: buf.readUInt32LE(off + 20), comm, ticks: compT(buf.readUInt16LE(off + 32)) + compT(buf.readUInt16LE(off + 34)), elapsed: buf.readFloatLE(off + 28) });
  }
  return out;
}

/** Kind of process, from its command name (15 characters at most) or argv. */
export function kindOf(comm: string, cmdline = ''): string {
  // runc init's stages name themselves runc:[0:PARENT], [1:CHILD], [2:INIT]; the last execs the container.
  if (comm.startsWith('runc:[')) return 'runc init';
  if (comm === 'containerd-shim' || comm.startsWith('containerd-shim')) return cmdline.endsWith(' start') ? 'containerd-shim-runc-v2 start' : 'containerd-shim-runc-v2';
  return comm;
}

export interface CpuRow {
  kind: string;
  processes: number;
  cpuMs: number;
  /** For live processes: CPU of the children they reaped in the window (kernel's own count). */
  reapedMs: number;
  /** For exited processes: their wall times added up (for work done one at a time, the queue). */
  wallMs: number;
}

export interface CpuBreakdown {
  rows: CpuRow[];
  /** The rest of the machine's processes (other users, kernel threads), largest first. */
  others: CpuRow[];
  /** The whole machine's CPU time over the window (/proc/stat), everybody's: user, system, softirq, steal. */
  machineMs: Record<'user' | 'system' | 'softirq' | 'steal', number>;
  wallMs: number;
  /** CPU time per command name over the whole machine from perf samples; empty without perf. */
  perf: { command: string; cpuMs: number }[];
}

type MachineTicks = CpuBreakdown['machineMs'];

async function machineTicks(): Promise<MachineTicks> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? '';
  // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest is inside user).
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const at = (i: number): number => v[i] ?? 0;
  return { user: at(0) + at(1), system: at(2) + at(5), softirq: at(6), steal: at(7) };
}

const accton = (arg: string): void => {
  const r = spawnSync('accton', [arg], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`accton ${arg} failed: ${r.stderr || r.error?.message || ''}`);
};

/**
 * Runs `burst` with accounting on and returns CPU per process kind for this node's processes.
 * `roots`: the containerd, agent and server PIDs; `shimMarker`: a string only this containerd's
 * shims carry on their command line (its socket path), since shims are re-parented to init.
 */
export async function cpuBreakdown<T>(o: { roots: Record<string, number>; shimMarker: string }, burst: () => Promise<T>): Promise<{ result: T; breakdown: CpuBreakdown }> {
  const dir = await mkdtemp(join(tmpdir(), 'tug-podstart-acct-'));
  const file = join(dir, 'pacct');
  let perf: PerfRun | undefined;
  try {
    // accton only turns accounting on into a file that exists.
    await writeFile(file, '', { mode: 0o600 });
    const before = await snapshot();
    perf = await startPerf(join(dir, 'perf.data'));
    // Without Debian's `acct` the exited processes are simply not listed.
    const accounting = spawnSync('accton', ['--version']).status === 0;
    const m0 = await machineTicks();
    const t0 = performance.now();
    if (accounting) accton(file);
    let result: T;
    try {
      result = await burst();
    } finally {
      if (accounting) accton('off');
    }
    const wallMs = performance.now() - t0;
    const m1 = await machineTicks();
    const after = await snapshot();
    const perfRows = perf ? await perf.stop(wallMs) : [];
    const records = parseAcct(await readFile(file));
    const ms = (k: keyof MachineTicks): number => ((m1[k] - m0[k]) * 1000) / TICKS;
    const machineMs = { user: ms('user'), system: ms('system'), softirq: ms('softirq'), steal: ms('steal') };
    return { result, breakdown: { ...attribute({ before, after, records, ...o }), machineMs, wallMs, perf: perfRows } };
  } finally {
    perf?.abort();
    await rm(dir, { recursive: true, force: true });
  }
}

/** perf's sample share per command, as CPU time: cpu-clock samples every CPU, idle included. */
interface PerfRun {
  stop(wallMs: number): Promise<CpuBreakdown['perf']>;
  /** Ends the recording (by its PID) if it still runs; for the failure path. */
  abort(): void;
}

async function startPerf(file: string): Promise<PerfRun | undefined> {
  if (spawnSync('perf', ['--version']).status !== 0) return undefined;
  const child = spawn('perf', ['record', '-a', '-e', 'cpu-clock', '-F', '499', '-o', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  // perf has no "recording now" signal; give it the moment it needs to open its events.
  await new Promise((r) => setTimeout(r, 300));
  return {
    abort: () => void (child.exitCode === null && child.signalCode === null && child.kill('SIGINT')),
    async stop(wallMs) {
      if (child.exitCode === null) child.kill('SIGINT');
      await exited;
      const r = spawnSync('perf', ['report', '-i', file, '--sort', 'comm', '--stdio', '-q'], { encoding: 'utf8', maxBuffer: 16 << 20 });
      if (r.status !== 0) throw new Error(`perf report failed: ${r.stderr || err}`);
      const total = (wallMs + 300) * cpus().length;
      const rows = new Map<string, number>();
      for (const m of r.stdout.matchAll(/^\s*([\d.]+)%\s+(.+?)\s*$/gm)) {
        const comm = m[2] ?? '';
        const kind = comm === 'swapper' ? 'idle' : comm.startsWith('kworker/') ? 'kernel workers (kworker/*)' : kindOf(comm);
        rows.set(kind, (rows.get(kind) ?? 0) + (Number(m[1]) / 100) * total);
      }
      return [...rows].map(([command, cpuMs]) => ({ command, cpuMs })).sort((a, b) => b.cpuMs - a.cpuMs);
    },
  };
}

function attribute(o: { before: Map<number, Proc>; after: Map<number, Proc>; records: AcctRecord[]; roots: Record<string, number>; shimMarker: string }): Pick<CpuBreakdown, 'rows' | 'others'> {
  const rootKind = new Map(Object.entries(o.roots).map(([k, pid]) => [pid, k]));
  // Live processes of this node: the roots, this containerd's shims, and their descendants.
  const ours = new Set<number>([...rootKind.keys()]);
  for (const p of o.after.values()) if (p.comm.startsWith('containerd-shim') && p.cmdline.includes(o.shimMarker)) ours.add(p.pid);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of o.after.values()) if (!ours.has(p.pid) && ours.has(p.ppid)) (ours.add(p.pid), (grew = true));
    for (const r of o.records) if (!ours.has(r.pid) && ours.has(r.ppid)) (ours.add(r.pid), (grew = true));
  }
  const rows = new Map<string, CpuRow>();
  const others = new Map<string, CpuRow>();
  const add = (to: Map<string, CpuRow>, kind: string, ticks: number, o: { reaped?: number; elapsed?: number } = {}): void => {
    const row = to.get(kind) ?? { kind, processes: 0, cpuMs: 0, reapedMs: 0, wallMs: 0 };
    row.processes += 1;
    row.cpuMs += (ticks * 1000) / TICKS;
    row.reapedMs += ((o.reaped ?? 0) * 1000) / TICKS;
    row.wallMs += ((o.elapsed ?? 0) * 1000) / TICKS;
    to.set(kind, row);
  };
  const live = new Set<number>();
  for (const p of o.after.values()) {
    live.add(p.pid);
    const prior = o.before.get(p.pid);
    const same = prior && prior.start === p.start;
    const spent = same ? p.ticks - prior.ticks : p.ticks;
    const reaped = same ? p.childTicks - prior.childTicks : p.childTicks;
    if (ours.has(p.pid)) add(rows, rootKind.get(p.pid) ?? kindOf(p.comm, p.cmdline), spent, { reaped });
    else if (spent > 0) add(others, p.comm.startsWith('kworker/') ? 'kernel workers (kworker/*)' : kindOf(p.comm, p.cmdline), spent);
  }
  for (const r of o.records) if (!live.has(r.pid)) add(ours.has(r.pid) ? rows : others, kindOf(r.comm), r.ticks, { elapsed: r.elapsed });
  const sorted = (m: Map<string, CpuRow>): CpuRow[] => [...m.values()].sort((a, b) => b.cpuMs - a.cpuMs);
  return { rows: sorted(rows), others: sorted(others) };
}

const sec = (ms: number): string => (ms / 1000).toFixed(2);

export function cpuTable(title: string, b: CpuBreakdown): string {
  const total = b.rows.reduce((s, r) => s + r.cpuMs, 0);
  const m = b.machineMs;
  const rest = b.others.slice(0, 6).map((r) => `${r.kind} ${sec(r.cpuMs)}`);
  return [
    `${title}: ${(b.wallMs / 1000).toFixed(1)} s wall. This node's processes used ${sec(total)} s CPU; the whole machine ${sec(m.user + m.system + m.softirq + m.steal)} s (user ${sec(m.user)}, system ${sec(m.system)}, softirq ${sec(m.softirq)}, steal ${sec(m.steal)}); other processes, largest: ${rest.join(', ') || 'none'}.`,
    '',
    '| process kind | processes | CPU (s; for exited processes a floor, see above) | share | children it reaped (s) | exited ones\' wall times added up (s) |',
    '|---|---:|---:|---:|---:|---:|',
    ...b.rows.filter((r) => r.cpuMs > 0 || r.processes > 1).map((r) => `| ${r.kind} | ${r.processes} | ${sec(r.cpuMs)} | ${total ? ((100 * r.cpuMs) / total).toFixed(1) : '0'} % | ${r.reapedMs ? sec(r.reapedMs) : ''} | ${r.wallMs ? sec(r.wallMs) : ''} |`),
    ...(b.perf.length ? ['', 'The whole machine by command name, from perf samples over the same window (every process, anybody\'s; `node` is agent, server and this bench together):', '', '| command | CPU (s) |', '|---|---:|', ...b.perf.filter((r) => r.cpuMs >= 10).map((r) => `| ${r.command} | ${sec(r.cpuMs)} |`)] : []),
  ].join('\n');
}
