// Markdown tables for the pod-start benchmark: latency percentiles of the API path beside the raw
// CRI floor measured in the same run, memory and `tug up` start-up, and issue #4's targets with
// PASS/FAIL.
import { fmtMs, fmtRatio, percentile } from '../api/stats.js';
import type { FloorTimes, PodTimes } from './measure.js';

/** Issue #4's targets. */
export const TARGETS = { p50OverFloor: 2, p99Ms: 1500, agentRssMb: 80, upMs: 5000 };

export interface Results {
  sequential: { floor: FloorTimes; api: PodTimes };
  batch: { floor: FloorTimes; api: PodTimes };
  memory: { agentIdleMb: number; agentWithPodsMb: number; agentFileMb: number; containerdWithPodsMb: number | undefined; pods: number };
  up: { freshMs: number; againMs: number };
}

const p = (xs: number[], q: number): number => percentile([...xs].sort((a, b) => a - b), q);
const ms = (xs: number[], q: number): string => fmtMs(p(xs, q));

function latencyRows(label: string, f: FloorTimes, a: PodTimes): string[] {
  const n = a.ready.length + a.missing;
  return [
    `| floor: CRI RunPodSandbox + CreateContainer + StartContainer, ${label} | ${f.total.length} | ${ms(f.total, 50)} | ${ms(f.total, 99)} | ${ms(f.total, 100)} | 1× |`,
    `| &nbsp;&nbsp;of which RunPodSandbox (with CNI) / Create / Start, p50 | | ${ms(f.sandbox, 50)} / ${ms(f.create, 50)} / ${ms(f.start, 50)} | | | |`,
    `| API create → bound seen on the watch, ${label} | ${a.bound.length} | ${ms(a.bound, 50)} | ${ms(a.bound, 99)} | ${ms(a.bound, 100)} | |`,
    `| API create → Running seen on the watch, ${label} | ${a.running.length} | ${ms(a.running, 50)} | ${ms(a.running, 99)} | ${ms(a.running, 100)} | |`,
    `| **API create → Ready seen on the watch, ${label}** | ${n}${a.missing ? ` (${a.missing} never Ready)` : ''} | **${ms(a.ready, 50)}** | **${ms(a.ready, 99)}** | ${ms(a.ready, 100)} | ${fmtRatio(p(a.ready, 50) / p(f.total, 50))} |`,
  ];
}

export function latencyTable(r: Results, o: { batch: number; sequential: number }): string {
  return [
    '| path | pods | p50 (ms) | p99 (ms) | max (ms) | p50 vs floor |',
    '|---|---:|---:|---:|---:|---:|',
    ...latencyRows('one after another', r.sequential.floor, r.sequential.api),
    ...latencyRows(`${o.batch} at once`, r.batch.floor, r.batch.api),
    '',
    `One after another: ${o.sequential} pods, each created once the one before was Ready. At once: ${o.batch} pods created concurrently; each latency is from its own POST.`,
  ].join('\n');
}

export function resourceTable(r: Results): string {
  const mb = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(1));
  return [
    '| measure | value |',
    '|---|---:|',
    `| agent RSS, node Ready and no pods (MB) | ${mb(r.memory.agentIdleMb)} |`,
    `| agent RSS with ${r.memory.pods} pods running (MB) | ${mb(r.memory.agentWithPodsMb)} |`,
    `| &nbsp;&nbsp;of which file-backed: the node binary and libraries (MB) | ${mb(r.memory.agentFileMb)} |`,
    `| its containerd's RSS with ${r.memory.pods} pods (MB, not counted in the agent's) | ${mb(r.memory.containerdWithPodsMb)} |`,
    `| \`tug up\` to a Ready node, fresh data dir (s) | ${(r.up.freshMs / 1000).toFixed(2)} |`,
    `| \`tug up\` again on the same data dir (s) | ${(r.up.againMs / 1000).toFixed(2)} |`,
  ].join('\n');
}

export interface Verdict {
  target: string;
  measured: string;
  pass: boolean;
}

export function verdicts(r: Results, o: { batch: number }): Verdict[] {
  const ratio = (a: PodTimes, f: FloorTimes): number => p(a.ready, 50) / p(f.total, 50);
  const seqRatio = ratio(r.sequential.api, r.sequential.floor);
  const batchRatio = ratio(r.batch.api, r.batch.floor);
  const seqP99 = r.sequential.api.missing ? Number.POSITIVE_INFINITY : p(r.sequential.api.ready, 99);
  const batchP99 = r.batch.api.missing ? Number.POSITIVE_INFINITY : p(r.batch.api.ready, 99);
  return [
    { target: `create → Ready p50 within ${TARGETS.p50OverFloor}× the CRI floor, one after another`, measured: fmtRatio(seqRatio), pass: seqRatio <= TARGETS.p50OverFloor },
    { target: `create → Ready p50 within ${TARGETS.p50OverFloor}× the CRI floor, ${o.batch} at once`, measured: fmtRatio(batchRatio), pass: batchRatio <= TARGETS.p50OverFloor },
    { target: `create → Ready p99 under ${TARGETS.p99Ms} ms, one after another`, measured: `${fmtMs(seqP99)} ms`, pass: seqP99 < TARGETS.p99Ms },
    { target: `create → Ready p99 under ${TARGETS.p99Ms} ms, ${o.batch} at once`, measured: `${fmtMs(batchP99)} ms`, pass: batchP99 < TARGETS.p99Ms },
    { target: `agent RSS under ${TARGETS.agentRssMb} MB with ${r.memory.pods} pods`, measured: `${r.memory.agentWithPodsMb.toFixed(1)} MB`, pass: r.memory.agentWithPodsMb < TARGETS.agentRssMb },
    { target: `\`tug up\` to a Ready node under ${TARGETS.upMs / 1000} s (packages installed)`, measured: `${(r.up.freshMs / 1000).toFixed(2)} s`, pass: r.up.freshMs < TARGETS.upMs },
  ];
}

export function verdictTable(vs: Verdict[]): string {
  return ['| target | measured | verdict |', '|---|---:|---|', ...vs.map((v) => `| ${v.target} | ${v.measured} | ${v.pass ? 'PASS' : 'FAIL'} |`)].join('\n');
}
