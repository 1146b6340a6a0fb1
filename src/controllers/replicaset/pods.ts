// What the workload controllers need to know about a pod's life: whether it still counts
// (neither finished nor being deleted), whether it is Ready, and whether it has been Ready long
// enough (minReadySeconds) to count as available. Kept apart so ReplicaSet status, the
// deletion ranking and the Deployment controller all judge pods the same way.
import type { Pod } from '../../api/core/v1/index.js';

/** Counts toward a ReplicaSet: not Succeeded/Failed and not marked for deletion. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata?.deletionTimestamp;
}

export function readyCondition(pod: Pod): { status: string; lastTransitionTime?: string } | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

export function isPodReady(pod: Pod): boolean {
  return readyCondition(pod)?.status === 'True';
}

/** The moment the pod last became Ready, in ms; undefined when not ready or not recorded. */
export function readySince(pod: Pod): number | undefined {
  const c = readyCondition(pod);
  if (c?.status !== 'True' || !c.lastTransitionTime) return undefined;
  const t = Date.parse(c.lastTransitionTime);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * Ready for longer than minReadySeconds at `now`. As in Kubernetes the comparison is strict, and
 * a ready pod without a transition time only counts when minReadySeconds is 0.
 */
export function isPodAvailable(pod: Pod, o: { minReadySeconds: number; now: number }): boolean {
  if (!isPodReady(pod)) return false;
  if (o.minReadySeconds <= 0) return true;
  const since = readySince(pod);
  return since !== undefined && since + o.minReadySeconds * 1000 < o.now;
}

/**
 * For a ready pod not yet available, milliseconds until it becomes available (so the controller
 * can look again exactly then); undefined when there is nothing to wait for.
 */
export function msUntilAvailable(pod: Pod, o: { minReadySeconds: number; now: number }): number | undefined {
  if (o.minReadySeconds <= 0 || !isPodReady(pod)) return undefined;
  const since = readySince(pod);
  if (since === undefined) return undefined;
  const left = since + o.minReadySeconds * 1000 - o.now;
  return left >= 0 ? left + 1 : undefined;
}

/** Highest restart count among the pod's containers. */
export function maxRestarts(pod: Pod): number {
  let n = 0;
  for (const s of pod.status?.containerStatuses ?? []) n = Math.max(n, s.restartCount ?? 0);
  return n;
}
