// DNS benchmark: Tugboat's cluster DNS (src/agent/dns, fed by a real tug server's informers, run
// in its own process by serve.ts) against Debian's dnsmasq answering the same records from a
// hosts file, both on loopback ports, driven by the same Node load generator with N queries in
// flight. Prints queries/s, p50/p99 latency and CPU per query for each server and concurrency,
// and the ratio ours ÷ dnsmasq.
//   node --import tsx bench/dns/run.ts            # full run (about 1.5 minutes)
//   node --import tsx bench/dns/run.ts --quick    # a few seconds; proves the bench works
//   node --import tsx bench/dns/run.ts --cpu-prof DIR   # also writes our server's .cpuprofile
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { HttpClient } from '../../src/client/index.js';
import { query } from '../../src/agent/dns/test-upstream.js';
import { freePort } from '../../test/support/tug-server.js';
import { startTugServerAnyBuild } from '../../test/integration/tug-from-source.js';
import { buildWorkload, createObjects, type Workload } from './workload.js';
import { percentile, runLoad, type LoadResult } from './load.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DNSMASQ = '/usr/sbin/dnsmasq';
const CLK_TCK = 100;

const { values: args } = parseArgs({ options: { quick: { type: 'boolean', default: false }, 'cpu-prof': { type: 'string' } } });
const quick = args.quick === true;
// The servers take turns in short rounds, so a machine whose load drifts (other jobs on the same
// cores) slows both alike; each cell merges its rounds.
const cfg = quick
  ? { services: 20, headless: 4, concurrency: [1, 16], rounds: 2, roundMs: 250, warmupMs: 100 }
  : { services: 200, headless: 40, concurrency: [1, 16, 64], rounds: 10, roundMs: 800, warmupMs: 200 };

async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
}

interface Child {
  proc: ChildProcess;
  port: number;
  stop(): Promise<void>;
}

function stopper(proc: ChildProcess): () => Promise<void> {
  return async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  };
}

async function startOurs(o: { url: string; token: string; caFile: string }): Promise<Child> {
  const port = await freePort();
  const prof = args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${args['cpu-prof']}`] : [];
  const proc = spawn(process.execPath, [...prof, '--import', 'tsx', join(ROOT, 'bench', 'dns', 'serve.ts'), '--server', o.url, '--token', o.token, '--ca-file', o.caFile, '--listen', `127.0.0.1:${port}`, '--upstream', '127.0.0.1:9'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  await new Promise<void>((resolve, reject) => {
    proc.stdout?.on('data', (d: Buffer) => (d.toString().includes('ready') ? resolve() : undefined));
    proc.once('exit', (code) => reject(new Error(`serve.ts exited with ${code}:\n${err}`)));
  });
  return { proc, port, stop: stopper(proc) };
}

async function startDnsmasq(dir: string, w: Workload): Promise<Child> {
  const hosts = join(dir, 'hosts');
  await writeFile(hosts, w.hosts, { mode: 0o644 });
  // dnsmasq reads the hosts file after dropping root for `nobody`.
  await chmod(dir, 0o755);
  const port = await freePort();
  const proc = spawn(
    DNSMASQ,
    [
      '--keep-in-foreground',
      '--conf-file=/dev/null',
      '--no-resolv',
      '--no-hosts',
      `--addn-hosts=${hosts}`,
      '--pid-file=',
      '--listen-address=127.0.0.1',
      '--bind-interfaces',
      `--port=${port}`,
      '--local=/cluster.local/',
      '--local-ttl=5',
      '--cache-size=10000',
      ...w.srvHosts.map((s) => `--srv-host=${s}`),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let err = '';
  proc.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const child = { proc, port, stop: stopper(proc) };
  for (let i = 0; ; i++) {
    if (proc.exitCode !== null) throw new Error(`dnsmasq exited with ${proc.exitCode}:\n${err}`);
    const ok = await query(w.lastName, 'A', { port, timeoutMs: 200 }).then((r) => r.rcode === 0, () => false);
    if (ok) return child;
    if (i > 50) {
      await child.stop();
      throw new Error(`dnsmasq did not answer:\n${err}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Cell {
  server: string;
  concurrency: number;
  r: LoadResult;
  serverCpuMs: number;
}

async function round(child: Child, w: Workload, concurrency: number): Promise<{ r: LoadResult; serverCpuMs: number }> {
  const pid = child.proc.pid ?? 0;
  const before = await cpuMs(pid);
  const r = await runLoad({ port: child.port, queries: w.queries, expect: w.expect, concurrency, durationMs: cfg.roundMs, warmupMs: cfg.warmupMs });
  // Warm-up and drain are included; per query it is a close upper bound.
  return { r, serverCpuMs: (await cpuMs(pid)) - before };
}

function merge(server: string, concurrency: number, rounds: { r: LoadResult; serverCpuMs: number }[]): Cell {
  const n = rounds.reduce((a, x) => a + x.r.latencies.length, 0);
  const all = new Float64Array(n);
  let at = 0;
  for (const x of rounds) {
    all.set(x.r.latencies, at);
    at += x.r.latencies.length;
  }
  all.sort();
  const sum = (f: (x: { r: LoadResult; serverCpuMs: number }) => number): number => rounds.reduce((a, x) => a + f(x), 0);
  const firstWrong = rounds.find((x) => x.r.firstWrong)?.r.firstWrong;
  const r: LoadResult = {
    queries: n,
    qps: (n / sum((x) => x.r.elapsedMs)) * 1000,
    p50: percentile(all, 50),
    p99: percentile(all, 99),
    wrong: sum((x) => x.r.wrong),
    lost: sum((x) => x.r.lost),
    clientCpuMs: sum((x) => x.r.clientCpuMs),
    latencies: all,
    elapsedMs: sum((x) => x.r.elapsedMs),
    ...(firstWrong ? { firstWrong } : {}),
  };
  return { server, concurrency, r, serverCpuMs: sum((x) => x.serverCpuMs) };
}

const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });

function report(cells: Cell[], w: Workload, loadAtStart: number[]): string {
  const lines: string[] = [];
  lines.push(`### DNS benchmark${quick ? ' (quick)' : ''}`, '');
  lines.push(`Command: \`node --import tsx bench/dns/run.ts${quick ? ' --quick' : ''}\`  `);
  lines.push(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, 1-minute load average ${loadAtStart[0]?.toFixed(2) ?? '?'} at the start, ${loadavg()[0]?.toFixed(2) ?? '?'} at the end.  `);
  lines.push(`Records: ${cfg.services} ClusterIP Services, ${cfg.headless} headless Services × 3 endpoints; ${w.queries.length} queries in the mix (${Object.entries(w.mix).map(([k, v]) => `${k} ${v}`).join(', ')}).  `);
  lines.push(`Each cell: ${cfg.rounds} rounds of ${cfg.roundMs} ms (after ${cfg.warmupMs} ms warm-up each), the two servers taking turns; closed loop over one UDP socket; latency is client-side, send to reply.`, '');
  lines.push('| server | in flight | queries/s | p50 ms | p99 ms | server CPU µs/query | client CPU µs/query | wrong | lost |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const c of cells) {
    const per = (ms: number): string => (c.r.queries ? fmt((ms * 1000) / c.r.queries, 1) : '—');
    lines.push(`| ${c.server} | ${c.concurrency} | ${fmt(c.r.qps)} | ${fmt(c.r.p50, 3)} | ${fmt(c.r.p99, 3)} | ${per(c.serverCpuMs)} | ${per(c.r.clientCpuMs)} | ${c.r.wrong} | ${c.r.lost} |`);
  }
  lines.push('', '| in flight | queries/s ours ÷ dnsmasq | p99 ours ÷ dnsmasq | server CPU/query ours ÷ dnsmasq |', '|---:|---:|---:|---:|');
  for (const n of cfg.concurrency) {
    const ours = cells.find((c) => c.server === 'tugboat' && c.concurrency === n);
    const peer = cells.find((c) => c.server === 'dnsmasq' && c.concurrency === n);
    if (!ours || !peer) continue;
    const cpuPer = (c: Cell): number => c.serverCpuMs / Math.max(1, c.r.queries);
    lines.push(`| ${n} | ${(ours.r.qps / peer.r.qps).toFixed(2)}× | ${(ours.r.p99 / peer.r.p99).toFixed(2)}× | ${(cpuPer(ours) / cpuPer(peer)).toFixed(2)}× |`);
  }
  const wrong = cells.find((c) => c.r.firstWrong);
  if (wrong) lines.push('', `${wrong.server} wrong answers; first: ${wrong.r.firstWrong ?? ''}`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const loadAtStart = loadavg();
  const dir = await mkdtemp(join(tmpdir(), 'tug-dns-bench-'));
  const server = await startTugServerAnyBuild();
  const client = new HttpClient({ server: server.url, caCertPem: server.caCertPem, token: server.token });
  const children: Child[] = [];
  try {
    const clusterIPs = await createObjects(client, cfg);
    const w = buildWorkload({ clusterIPs, headless: cfg.headless });
    const caFile = join(dir, 'ca.crt');
    await writeFile(caFile, server.caCertPem);
    const ours = await startOurs({ url: server.url, token: server.token, caFile });
    children.push(ours);
    for (let i = 0; ; i++) {
      const r = await query(w.lastName, 'A', { port: ours.port, timeoutMs: 500 }).catch(() => undefined);
      if (r?.rcode === 0 && (r.answers?.length ?? 0) > 0) break;
      if (i > 100) throw new Error('our server never answered the last name');
      await new Promise((res) => setTimeout(res, 100));
    }
    const dnsmasq = await startDnsmasq(dir, w);
    children.push(dnsmasq);
    const cells: Cell[] = [];
    for (const n of cfg.concurrency) {
      const peer: { r: LoadResult; serverCpuMs: number }[] = [];
      const mine: { r: LoadResult; serverCpuMs: number }[] = [];
      for (let i = 0; i < cfg.rounds; i++) {
        // Alternate who goes first, too.
        if (i % 2 === 0) {
          peer.push(await round(dnsmasq, w, n));
          mine.push(await round(ours, w, n));
        } else {
          mine.push(await round(ours, w, n));
          peer.push(await round(dnsmasq, w, n));
        }
      }
      cells.push(merge('dnsmasq', n, peer), merge('tugboat', n, mine));
    }
    process.stdout.write(`${report(cells, w, loadAtStart)}\n`);
  } finally {
    for (const c of children) await c.stop();
    client.close();
    await server.cleanup();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
