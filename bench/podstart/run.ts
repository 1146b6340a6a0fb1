// Pod-start benchmark (root only): a real `tug server` and a separate `tug agent --runtime
// containerd` on this machine. In the same run it measures
//   1. the floor — raw CRI RunPodSandbox + CreateContainer + StartContainer on the agent's own
//      containerd, through our CRI client — one after another and N at once;
//   2. API create → Ready seen via a watch, for S pods one after another and N at once;
//   3. the agent's RSS idle and with N pods running (its containerd reported beside it);
//   4. `tug up` (one process, fresh data dir, then again on it) to a Ready node.
// Prints markdown tables with PASS/FAIL against issue #4's targets. With --cpu-breakdown it also
// prints where the CPU of both N-at-once bursts went, per kind of process (cpu-breakdown.ts).
//   node --import tsx bench/podstart/run.ts [--batch 30] [--sequential 50] [--floor 10] [--quick] [--cpu-breakdown]
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContainerdRuntime } from '../../src/agent/cri/containerd/index.js';
import { rssMb } from '../api/proc.js';
import { startTugUp } from '../../test/support/tug-up.js';
import { cpuBreakdown, cpuTable, type CpuBreakdown } from './cpu-breakdown.js';
import { apiPodStart, criFloor, deleteAllPods, type FloorTimes, type PodTimes } from './measure.js';
import { startBenchNode, type BenchNode } from './node.js';
import { latencyTable, resourceTable, verdicts, verdictTable, type Results } from './report.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const NS = 'podstart';
const log = (m: string): void => void process.stderr.write(`[bench] ${m}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Settings {
  batch: number;
  sequential: number;
  floor: number;
  quick: boolean;
  cpuBreakdown: boolean;
}

function settings(): Settings {
  const { values } = parseArgs({ options: { batch: { type: 'string' }, sequential: { type: 'string' }, floor: { type: 'string' }, quick: { type: 'boolean', default: false }, 'cpu-breakdown': { type: 'boolean', default: false } } });
  const quick = values.quick === true;
  const num = (v: string | undefined, full: number, small: number): number => {
    const n = v === undefined ? (quick ? small : full) : Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`expected a positive integer, got ${String(v)}`);
    return n;
  };
  return { batch: num(values.batch, 30, 3), sequential: num(values.sequential, 50, 3), floor: num(values.floor, 10, 3), quick, cpuBreakdown: values['cpu-breakdown'] === true };
}

/** The file-backed part of a process's RSS (the node binary and shared libraries), in MB. */
async function rssFileMb(pid: number): Promise<number> {
  const m = /^RssFile:\s+(\d+)\s+kB/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

/** Largest RSS of a process over a few samples, once it has settled. */
async function settledRss(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  let max = 0;
  for (let i = 0; i < 5; i++) {
    max = Math.max(max, await rssMb(pid).catch(() => 0));
    await sleep(400);
  }
  return max || undefined;
}

/** CPU per process kind of a burst, when asked for; the burst alone otherwise. */
async function measured<T>(node: BenchNode, s: Settings, label: string, cpu: Map<string, CpuBreakdown>, burst: () => Promise<T>): Promise<T> {
  const containerd = await node.containerdPid();
  if (!s.cpuBreakdown || containerd === undefined) return burst();
  const roots = { containerd, 'tug agent': node.agentPid, 'tug server': node.server.pid };
  const { result, breakdown } = await cpuBreakdown({ roots, shimMarker: node.criEndpoint.replace(/^unix:\/\//, '') }, burst);
  cpu.set(label, breakdown);
  return result;
}

async function podPhases(node: BenchNode, s: Settings, cpu: Map<string, CpuBreakdown>): Promise<Omit<Results, 'up'>> {
  const rt = new ContainerdRuntime({ endpoint: node.criEndpoint, projectImages: false });
  try {
    await rt.ready;
    await node.http.expect(201, { method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } });
    const agentIdleMb = (await settledRss(node.agentPid)) ?? Number.NaN;
    // One of each first, so neither side pays for first-use costs (page cache, connections).
    await criFloor(rt, { count: 1, concurrent: false, tag: 'warm' });
    await apiPodStart(node.http, { ns: NS, count: 1, concurrent: false, tag: 'warm', timeoutMs: 60_000 });
    await deleteAllPods(node.http, NS);

    log(`floor: ${s.floor} pods one after another`);
    const seqFloor: FloorTimes = await criFloor(rt, { count: s.floor, concurrent: false, tag: 'seq' });
    log(`API: ${s.sequential} pods one after another`);
    const seqApi: PodTimes = await apiPodStart(node.http, { ns: NS, count: s.sequential, concurrent: false, tag: 'seq', timeoutMs: 30_000 });
    await deleteAllPods(node.http, NS);

    log(`floor: ${s.batch} pods at once`);
    const batchFloor = await measured(node, s, `floor, ${s.batch} at once (CRI calls, then stop + remove)`, cpu, () => criFloor(rt, { count: s.batch, concurrent: true, tag: 'batch' }));
    log(`API: ${s.batch} pods at once`);
    const batchApi = await measured(node, s, `API path, ${s.batch} at once (POST → Ready)`, cpu, () => apiPodStart(node.http, { ns: NS, count: s.batch, concurrent: true, tag: 'batch', timeoutMs: 60_000 }));
    await sleep(2000);
    const agentWithPodsMb = (await settledRss(node.agentPid)) ?? Number.NaN;
    const agentFileMb = await rssFileMb(node.agentPid).catch(() => Number.NaN);
    const containerdWithPodsMb = await settledRss(await node.containerdPid());
    await deleteAllPods(node.http, NS);
    return {
      sequential: { floor: seqFloor, api: seqApi },
      batch: { floor: batchFloor, api: batchApi },
      memory: { agentIdleMb, agentWithPodsMb, agentFileMb, containerdWithPodsMb, pods: s.batch },
    };
  } finally {
    await rt.close();
  }
}

async function upTimes(): Promise<Results['up']> {
  log('tug up on a fresh data dir');
  // As users run it: with the ingress controller and node-local DNS.
  const first = await startTugUp({ services: 'default' });
  try {
    const freshMs = first.upMs;
    await first.stop();
    log('tug up again on the same data dir');
    const again = await startTugUp({ again: first, services: 'default' });
    await again.destroy();
    return { freshMs, againMs: again.upMs };
  } catch (err) {
    await first.destroy();
    throw err;
  }
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the pod-start benchmark runs real containers and must run as root');
  const s = settings();
  const build = existsSync(join(ROOT, 'dist', 'cmd', 'main.js')) && process.env.TUG_FROM_SOURCES !== '1' ? 'dist/ (compiled)' : 'sources via tsx';
  const load = loadavg().map((l) => l.toFixed(1));
  log(`starting tug server and tug agent --runtime containerd (${build})`);
  const node = await startBenchNode();
  let phases: Omit<Results, 'up'>;
  const cpu = new Map<string, CpuBreakdown>();
  try {
    phases = await podPhases(node, s, cpu);
  } catch (err) {
    log(`agent log tail:\n${node.agentLogs().slice(-3000)}`);
    throw err;
  } finally {
    await node.teardown();
  }
  const results: Results = { ...phases, up: await upTimes() };
  const vs = verdicts(results, s);
  process.stdout.write(
    [
      '### Pod start: API create → Ready vs the raw CRI floor',
      '',
      `${cpus().length} CPUs, load average ${load.join(' / ')} at the start; tug from ${build}; containerd 1.6.20, runc, CNI bridge.`,
      '',
      latencyTable(results, s),
      '',
      '### Agent memory and `tug up`',
      '',
      resourceTable(results),
      '',
      '### Targets',
      '',
      verdictTable(vs),
      '',
      ...(cpu.size ? ['### CPU per process kind', '', ...[...cpu].map(([label, b]) => `${cpuTable(label, b)}\n`)] : []),
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
