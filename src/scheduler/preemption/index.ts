// Preemption (Kubernetes' DefaultPreemption PostFilter): when a pod fits nowhere, look for a node
// where evicting lower-priority pods would make it fit. Pods with preemptionPolicy Never do not
// preempt, nor does a pod whose victims on its nominated node are still terminating. Nodes that
// failed for reasons eviction cannot fix (a taint, a node selector) are not tried. The result is
// either a node and its victims, or the "preemption: ..." sentence for FailedScheduling.
import type { AlgorithmContext } from '../algorithm.js';
import type { CycleState } from '../framework/cycle-state.js';
import { fitErrorMessage, newDiagnosis, type Diagnosis } from '../framework/fit-error.js';
import type { NodeInfo } from '../framework/node-info.js';
import type { PodInfo } from '../framework/pod-info.js';
import { unresolvable } from '../framework/status.js';
import type { FilterPlugin } from '../framework/types.js';
import { NO_VICTIMS, pickCandidate, selectVictims, type Candidate } from './candidates.js';

export { moreImportant, type Candidate } from './candidates.js';

export const NOT_HELPFUL = 'Preemption is not helpful for scheduling';
const NO_VICTIMS_STATUS = unresolvable(NO_VICTIMS);
const MIN_CANDIDATES_PERCENTAGE = 10;
const MIN_CANDIDATES_ABSOLUTE = 100;

export type PreemptionOutcome =
  | { kind: 'nominated'; candidate: Candidate; lowerNominated: readonly PodInfo[] }
  | { kind: 'failed'; message: string; clearNomination: boolean };

function eligible(pod: PodInfo, ctx: AlgorithmContext, diagnosis: Diagnosis): string | undefined {
  if (pod.pod.spec?.preemptionPolicy === 'Never') return 'not eligible due to preemptionPolicy=Never.';
  const nominated = pod.pod.status?.nominatedNodeName;
  if (!nominated) return undefined;
  // Retry when the nominated node itself can no longer take the pod at all.
  if (diagnosis.nodeStatuses.get(nominated)?.status.code === 'UnschedulableAndUnresolvable') return undefined;
  const node = ctx.snapshot.get(nominated);
  if (node?.pods.some((p) => p.priority < pod.priority && p.terminating)) return 'not eligible due to a terminating pod on the nominated node.';
  return undefined;
}

const numCandidates = (n: number): number => Math.min(n, Math.max(MIN_CANDIDATES_ABSOLUTE, Math.trunc((n * MIN_CANDIDATES_PERCENTAGE) / 100)));

export function preempt(ctx: AlgorithmContext, state: CycleState, pod: PodInfo, o: { diagnosis: Diagnosis; filters: readonly FilterPlugin[] }): PreemptionOutcome {
  const why = eligible(pod, ctx, o.diagnosis);
  if (why) return { kind: 'failed', message: `preemption: ${why}`, clearNomination: false };
  const all = ctx.snapshot.nodes();
  const verdicts = newDiagnosis();
  const notHelpful = { status: unresolvable(NOT_HELPFUL), plugin: 'DefaultPreemption' };
  const potential: NodeInfo[] = [];
  for (const node of all) {
    const s = o.diagnosis.nodeStatuses.get(node.name);
    if (s?.status.code === 'Unschedulable') potential.push(node);
    else verdicts.nodeStatuses.set(node.name, notHelpful);
  }
  const candidates: Candidate[] = [];
  if (potential.length > 0) {
    const want = numCandidates(potential.length);
    const offset = Math.floor(ctx.random() * potential.length);
    for (let i = 0; i < potential.length && candidates.length < want; i++) {
      const node = potential[(offset + i) % potential.length] as NodeInfo;
      const r = selectVictims(ctx, { state, pod, node, filters: o.filters });
      if ('victims' in r && r.victims.length > 0) candidates.push({ node: node.name, victims: r.victims });
      else verdicts.nodeStatuses.set(node.name, { status: 'status' in r ? r.status : NO_VICTIMS_STATUS, plugin: 'DefaultPreemption' });
    }
  }
  const best = pickCandidate(candidates);
  if (!best) return { kind: 'failed', message: `preemption: ${fitErrorMessage(all.length, verdicts)}`, clearNomination: true };
  return { kind: 'nominated', candidate: best, lowerNominated: ctx.nominator.lowerThan(best.node, pod.priority) };
}
