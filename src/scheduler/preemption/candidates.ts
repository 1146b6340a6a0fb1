// Which pods to evict on one node so a higher-priority pod fits there, and which node's
// eviction hurts least — the dry-run half of Kubernetes' DefaultPreemption. On a copy of the
// node, every lower-priority pod is removed; if the pod then fits, the removed pods are put back
// one at a time, most important first (higher priority, then running longer), and each one that
// still leaves room stays. Nodes are compared by their most important victim, then the sum of
// victim priorities, then the number of victims, then how recently the top victims started.
import { filterWithNominated, type AlgorithmContext } from '../algorithm.js';
import type { CycleState } from '../framework/cycle-state.js';
import type { NodeInfo } from '../framework/node-info.js';
import type { PodInfo } from '../framework/pod-info.js';
import { unresolvable, type Status } from '../framework/status.js';
import type { FilterPlugin } from '../framework/types.js';

export const NO_VICTIMS = 'No preemption victims found for incoming pod';

export interface Candidate {
  readonly node: string;
  readonly victims: readonly PodInfo[];
}

const NO_VICTIMS_STATUS: Status = unresolvable(NO_VICTIMS);

/** More important first: higher priority, then the one that started earlier. */
export const moreImportant = (a: PodInfo, b: PodInfo): number => b.priority - a.priority || a.startedAt - b.startedAt;

/** The fewest, least important pods to evict from `node` so `pod` fits, or why none will do. */
export function selectVictims(
  ctx: AlgorithmContext,
  { state: base, pod, node, filters }: { state: CycleState; pod: PodInfo; node: NodeInfo; filters: readonly FilterPlugin[] },
): { victims: PodInfo[] } | { status: Status } {
  const { framework } = ctx;
  const lower = node.pods.filter((p) => p.priority < pod.priority);
  if (lower.length === 0) return { status: NO_VICTIMS_STATUS };
  const state = base.clone();
  const n = node.clone();
  for (const p of lower) {
    n.removePod(p.uid);
    framework.removePod(state, pod, p, n);
  }
  const rejection = (): Status | undefined => filterWithNominated(ctx, { state, pod, node: n, filters })?.status;
  const rejected = rejection();
  if (rejected) return { status: rejected };
  const victims: PodInfo[] = [];
  for (const p of [...lower].sort(moreImportant)) {
    n.addPod(p);
    framework.addPod(state, pod, p, n);
    if (rejection()) {
      n.removePod(p.uid);
      framework.removePod(state, pod, p, n);
      victims.push(p);
    }
  }
  return { victims };
}

/** Priorities are shifted positive (as Kubernetes does) so negative priorities still add up sensibly. */
const SHIFT = 2 ** 31;

function summary(c: Candidate): { top: number; sum: number; count: number; topStart: number } {
  let top = -Infinity;
  let sum = 0;
  for (const v of c.victims) {
    top = Math.max(top, v.priority);
    sum += v.priority + SHIFT;
  }
  let topStart = Infinity;
  for (const v of c.victims) if (v.priority === top) topStart = Math.min(topStart, v.startedAt);
  return { top, sum, count: c.victims.length, topStart };
}

export function pickCandidate(candidates: readonly Candidate[]): Candidate | undefined {
  let best: Candidate | undefined;
  let bestSummary: ReturnType<typeof summary> | undefined;
  for (const c of candidates) {
    const s = summary(c);
    if (!bestSummary || better(s, bestSummary)) {
      best = c;
      bestSummary = s;
    }
  }
  return best;
}

function better(a: ReturnType<typeof summary>, b: ReturnType<typeof summary>): boolean {
  if (a.top !== b.top) return a.top < b.top;
  if (a.sum !== b.sum) return a.sum < b.sum;
  if (a.count !== b.count) return a.count < b.count;
  if (a.topStart !== b.topStart) return a.topStart > b.topStart;
  return false;
}
