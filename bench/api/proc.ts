// What the kernel says about a process: resident memory (VmRSS) and CPU time used (utime+stime)
// from /proc. CPU time per operation tells whether a cell was bound by the server, by etcd, or by
// the benchmark client sharing the same cores.
import { readFile } from 'node:fs/promises';

/** Clock ticks per second for /proc/PID/stat times; 100 on every Linux this runs on. */
const CLK_TCK = 100;

/** Resident set size of a process in MB, from /proc/PID/status. */
export async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) / 1024;
}

/** CPU time (user + system) a process has used so far, in ms. */
export async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces; count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / CLK_TCK;
}

/** Measures the CPU a process (and this one) spend while `run` runs. */
export async function withCpu<T>(pid: number, run: () => Promise<T>): Promise<{ result: T; cpuMs: number; selfCpuMs: number }> {
  const before = await cpuMs(pid);
  const self = process.cpuUsage();
  const result = await run();
  const selfUsage = process.cpuUsage(self);
  return { result, cpuMs: (await cpuMs(pid)) - before, selfCpuMs: (selfUsage.user + selfUsage.system) / 1000 };
}
