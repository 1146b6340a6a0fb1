// Finding and removing what a Tugboat node leaves on the host outside its own bookkeeping: the
// PID file of a running `tug up`, processes that still name the node's data dir (its containerd,
// containerd shims holding its socket, a child agent given it as `--data-dir`, the ingress nginx
// started with a prefix in it), containers still registered in its runc state dir, and mounts
// under the data dir (container root filesystems, sandbox /dev/shm). Processes are matched by a
// path that only this data dir uses, never by program name, so other containerds and other
// Tugboat nodes on the machine are left alone; the process asking, and its ancestors (a
// `tug down` run inside a node's namespace through nsenter names that node's dir), never match.
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from '../agent/network/index.js';

export const PID_FILE = 'tug.pid';

export async function writePidFile(dir: string): Promise<string> {
  const path = join(dir, PID_FILE);
  await writeFile(path, `${process.pid}\n`, { mode: 0o644 });
  return path;
}

export async function readPidFile(dir: string): Promise<number | undefined> {
  const text = await readFile(join(dir, PID_FILE), 'utf8').catch(() => '');
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

export const removePidFile = (dir: string): Promise<void> => rm(join(dir, PID_FILE), { force: true });

/** The process's argv, or undefined when it is gone. */
export async function cmdlineOf(pid: number): Promise<string[] | undefined> {
  try {
    const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return raw.split('\0').filter(Boolean);
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Waits until the process is gone; false if it still runs after `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once it is gone. */
export async function terminate(pid: number, graceMs: number): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  if (await waitForExit(pid, graceMs)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  await waitForExit(pid, 5_000);
}

/** PIDs (other than ours) whose command line contains one of `needles` as a whole argument or inside one. */
export async function processesMentioning(needles: string[]): Promise<number[]> {
  const out: number[] = [];
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const argv = await cmdlineOf(pid);
    if (argv && argv.some((a) => needles.some((n) => a.includes(n)))) out.push(pid);
  }
  return out;
}

/** PIDs (other than ours) with `arg` as one whole argument, e.g. an agent's exact `--data-dir`. */
export async function processesWithArgument(arg: string): Promise<number[]> {
  const out: number[] = [];
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const argv = await cmdlineOf(pid);
    if (argv?.includes(arg)) out.push(pid);
  }
  return out;
}

/** The parent's PID from /proc/PID/stat (after the command name, which may hold spaces). */
async function parentOf(pid: number): Promise<number | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  return Number.isInteger(ppid) && ppid > 0 ? ppid : undefined;
}

/** This process and every process above it. */
async function selfAndAncestors(): Promise<Set<number>> {
  const out = new Set<number>();
  for (let pid: number | undefined = process.pid; pid !== undefined && !out.has(pid); pid = await parentOf(pid)) out.add(pid);
  return out;
}

/** Whether `arg` names `dir` or a path below it: `DIR`, `DIR/x`, `--flag=DIR`, `… -p DIR/x …` — not `DIR2`. */
export function namesPathUnder(arg: string, dir: string): boolean {
  const base = dir.replace(/\/+$/, '');
  for (let i = arg.indexOf(base); i >= 0; i = arg.indexOf(base, i + 1)) {
    const before = i === 0 ? ' ' : (arg[i - 1] ?? ' ');
    const after = arg[i + base.length] ?? '/';
    if (/[\s=:,]/.test(before) && (after === '/' || /\s/.test(after))) return true;
  }
  return false;
}

/**
 * PIDs of processes whose command line names one of `dirs` or a path below it, other than this
 * process and its ancestors, each followed by its descendants (nginx workers under their master).
 */
export async function processesUnder(dirs: string[]): Promise<{ pid: number; descendants: number[] }[]> {
  const skip = await selfAndAncestors();
  const parents = new Map<number, number>();
  const matched: number[] = [];
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const ppid = await parentOf(pid);
    if (ppid !== undefined) parents.set(pid, ppid);
    if (skip.has(pid)) continue;
    const argv = await cmdlineOf(pid);
    if (argv?.some((a) => dirs.some((d) => namesPathUnder(a, d)))) matched.push(pid);
  }
  const below = (pid: number): number[] => [...parents].filter(([, p]) => p === pid).flatMap(([c]) => [c, ...below(c)]);
  return matched.map((pid) => ({ pid, descendants: below(pid).filter((c) => !skip.has(c)) }));
}

/** Stops each process `processesUnder` found, then any of its descendants still running; resolves with how many it stopped. */
export async function terminateUnder(dirs: string[], graceMs: number): Promise<number> {
  const found = await processesUnder(dirs);
  for (const { pid } of found) await terminate(pid, graceMs);
  for (const child of new Set(found.flatMap((f) => f.descendants))) if (isAlive(child)) await terminate(child, graceMs);
  return found.length;
}

/** Mount points at or below `dir`, deepest first (from /proc/self/mountinfo). */
export async function mountsUnder(dir: string): Promise<string[]> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  const base = dir.replace(/\/+$/, '');
  const points = text
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter(Boolean)
    // mountinfo escapes space, tab, newline and backslash as octal.
    .map((p) => p.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))))
    .filter((p) => p === base || p.startsWith(`${base}/`));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

/** Detaches every mount under `dir`; resolves with those it could not. */
export async function unmountUnder(dir: string): Promise<string[]> {
  const failed: string[] = [];
  for (const point of await mountsUnder(dir)) {
    const r = await run('umount', ['-l', point]);
    if (r.code !== 0 && (await mountsUnder(point)).includes(point)) failed.push(point);
  }
  return failed;
}

/**
 * Kills and deletes every container runc still knows under `runcRoot` (one state dir per
 * containerd namespace below it), for a node whose containerd is gone; resolves with their ids.
 */
export async function killRuncContainers(runcRoot: string): Promise<string[]> {
  const ids: string[] = [];
  const namespaces = await readdir(runcRoot).catch(() => [] as string[]);
  for (const ns of namespaces) {
    const root = join(runcRoot, ns);
    const list = await run('runc', ['--root', root, 'list', '--format', 'json']);
    if (list.code !== 0) continue;
    const containers = (JSON.parse(list.stdout.trim() || 'null') ?? []) as { id: string }[];
    for (const c of containers) {
      await run('runc', ['--root', root, 'kill', '--all', c.id, 'KILL']);
      await run('runc', ['--root', root, 'delete', '--force', c.id]);
      ids.push(c.id);
    }
  }
  return ids;
}
