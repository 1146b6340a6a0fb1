// Markdown tables for the scheduler benchmark: throughput of each phase beside the floors measured
// in the same run, the Deployment timeline, and the targets as PASS/FAIL.
import { fmtOps, fmtRatio } from '../api/stats.js';
import type { DeploymentResult, FloorResult, PhaseCpu, ScheduleResult } from './workload.js';

/** Issue #3's targets. */
export const TARGETS = { scheduledPerSec: 1000, deploymentRunningMs: 10_000 };

const secs = (ms: number): string => (Number.isFinite(ms) ? (ms / 1000).toFixed(2) : '—');
const cpuCols = (c: PhaseCpu, pods: number): string =>
  `${c.serverS.toFixed(1)} | ${((c.serverS * 1000) / pods).toFixed(2)} | ${c.agentS.toFixed(1)} | ${c.benchS.toFixed(1)}`;

export function throughputTable(f: FloorResult, s: ScheduleResult): string {
  const rows = [
    '| phase | pods | time (s) | pods/s | server CPU (s) | server CPU per pod (ms) | agent CPU (s) | bench CPU (s) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    `| floor: create pods no scheduler serves (API writes only) | ${fmtOps(f.create.count)} | ${secs(f.create.ms)} | ${fmtOps(f.create.perSec)} | ${cpuCols(f.create.cpu, f.create.count)} |`,
    `| floor: bind them ourselves via pods/binding, round-robin | ${fmtOps(f.bind.count)} | ${secs(f.bind.ms)} | ${fmtOps(f.bind.perSec)} | ${cpuCols(f.bind.cpu, f.bind.count)} |`,
    `| create pods with the scheduler running | ${fmtOps(s.create.count)} | ${secs(s.create.ms)} | ${fmtOps(s.create.perSec)} | ${cpuCols(s.cpu, s.create.count)} |`,
    `| **scheduled and bound** (first create → last bind seen) | ${fmtOps(s.bound.count)} | ${secs(s.bound.ms)} | **${fmtOps(s.bound.perSec)}** | (same run) | | | |`,
    `| all Running and Ready on hollow nodes (first create → last) | ${fmtOps(s.running.count)} | ${secs(s.running.ms)} | ${fmtOps(s.running.perSec)} | (same run) | | | |`,
  ];
  const notes = [
    '',
    `Binds: steady ${fmtOps(s.steadyPerSec)} pods/s (10th–90th percentile of bind times), peak ${fmtOps(s.peakPerSec)} in one second; ` +
      `${fmtOps(s.drain.count)} pods were still unbound when the last create returned and drained at ${fmtOps(s.drain.perSec)} pods/s; ` +
      `create → bound seen p50 ${secs(s.latencyMs.p50)} s, p99 ${secs(s.latencyMs.p99)} s; pods spread over ${fmtOps(s.nodesUsed)} nodes.  `,
    `Scheduled/s vs floors: ${fmtRatio(s.bound.perSec / f.create.perSec)} of the raw create rate, ${fmtRatio(s.bound.perSec / f.bind.perSec)} of the raw bind rate. ` +
      'The CPU columns of the third row cover the whole scheduling phase (first create → all Running). ' +
      'CPU seconds per pod depend much less on what else the machine runs than rates do (contention still inflates them): compare runs by them.',
  ];
  return [...rows, ...notes].join('\n');
}

export function deploymentTable(d: DeploymentResult): string {
  return [
    `| ${fmtOps(d.replicas)}-replica Deployment | time from create (s) |`,
    '|---|---:|',
    `| every pod bound | ${secs(d.boundMs)} |`,
    `| every pod Running and Ready | ${secs(d.runningMs)} |`,
    '',
    `CPU during it: server ${d.cpu.serverS.toFixed(1)} s (${((d.cpu.serverS * 1000) / d.replicas).toFixed(2)} ms per pod), agent ${d.cpu.agentS.toFixed(1)} s, bench ${d.cpu.benchS.toFixed(1)} s.`,
  ].join('\n');
}

export interface Verdict {
  target: string;
  measured: string;
  pass: boolean;
}

export function verdicts(s: ScheduleResult, d: DeploymentResult, o: { nodes: number; pods: number }): Verdict[] {
  return [
    {
      target: `≥ ${fmtOps(TARGETS.scheduledPerSec)} pods/s scheduled and bound (${fmtOps(o.pods)} pods, ${fmtOps(o.nodes)} nodes)`,
      measured: `${fmtOps(s.bound.perSec)} pods/s`,
      pass: s.bound.perSec >= TARGETS.scheduledPerSec,
    },
    {
      target: `${fmtOps(d.replicas)}-replica Deployment Running within ${TARGETS.deploymentRunningMs / 1000} s`,
      measured: `${secs(d.runningMs)} s`,
      pass: d.runningMs <= TARGETS.deploymentRunningMs,
    },
  ];
}

export function verdictTable(vs: Verdict[]): string {
  return ['| target | measured | verdict |', '|---|---:|:---:|', ...vs.map((v) => `| ${v.target} | ${v.measured} | ${v.pass ? 'PASS' : 'FAIL'} |`)].join('\n');
}
