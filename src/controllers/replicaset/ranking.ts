// Which pods a ReplicaSet removes first when it has too many, in the order Kubernetes uses so
// that scale-downs hurt as little as possible: pods not yet on a node, then pods not running,
// not ready, cheap to delete (the pod-deletion-cost annotation), doubled up on a node with
// other pods of the same workload, ready for the shortest time, restarting most, and newest.
import type { Pod } from '../../api/core/v1/index.js';
import { isPodActive, isPodReady, maxRestarts, readySince } from './pods.js';

export const POD_DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

const PHASE_ORDER: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function deletionCost(pod: Pod): number {
  const v = pod.metadata?.annotations?.[POD_DELETION_COST];
  if (v === undefined || !/^[+-]?\d+$/.test(v)) return 0;
  const n = Number(v);
  return n >= -(2 ** 31) && n < 2 ** 31 ? n : 0;
}

const created = (pod: Pod): number | undefined => {
  const t = pod.metadata?.creationTimestamp ? Date.parse(pod.metadata.creationTimestamp) : NaN;
  return Number.isNaN(t) ? undefined : t;
};

/** Orders `a` before `b` when a missing time counts as the newest possible. */
function newerFirst(a: number | undefined, b: number | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return b - a;
}

interface Ranked {
  pod: Pod;
  /** Active pods of the same workload on this pod's node. */
  rank: number;
}

function compare(x: Ranked, y: Ranked): number {
  const a = x.pod;
  const b = y.pod;
  const assignedA = a.spec?.nodeName ? 1 : 0;
  const assignedB = b.spec?.nodeName ? 1 : 0;
  if (assignedA !== assignedB) return assignedA - assignedB;
  const phaseA = PHASE_ORDER[a.status?.phase ?? 'Pending'] ?? 0;
  const phaseB = PHASE_ORDER[b.status?.phase ?? 'Pending'] ?? 0;
  if (phaseA !== phaseB) return phaseA - phaseB;
  const readyA = isPodReady(a) ? 1 : 0;
  const readyB = isPodReady(b) ? 1 : 0;
  if (readyA !== readyB) return readyA - readyB;
  const costA = deletionCost(a);
  const costB = deletionCost(b);
  if (costA !== costB) return costA - costB;
  if (x.rank !== y.rank) return y.rank - x.rank;
  if (readyA && readyB) {
    const r = newerFirst(readySince(a), readySince(b));
    if (r !== 0) return r;
  }
  const restarts = maxRestarts(b) - maxRestarts(a);
  if (restarts !== 0) return restarts;
  const c = newerFirst(created(a), created(b));
  if (c !== 0) return c;
  return (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
}

/**
 * The `count` pods of `pods` to delete first. `related` are the active pods of the whole workload
 * (this ReplicaSet's and its siblings'), used to prefer pods sharing a node with others.
 */
export function podsToDelete(pods: Pod[], o: { count: number; related: Pod[] }): Pod[] {
  if (o.count >= pods.length) return [...pods];
  const perNode = new Map<string, number>();
  for (const p of o.related) {
    if (!isPodActive(p)) continue;
    const node = p.spec?.nodeName ?? '';
    perNode.set(node, (perNode.get(node) ?? 0) + 1);
  }
  const ranked = pods.map((pod) => ({ pod, rank: perNode.get(pod.spec?.nodeName ?? '') ?? 0 }));
  ranked.sort(compare);
  return ranked.slice(0, o.count).map((r) => r.pod);
}
