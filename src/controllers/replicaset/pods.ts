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

/** What availability depends on: Ready, and since when (ms; undefined when not recorded). */
export interface Readiness {
  readonly ready: boolean;
  readonly readySince: number | undefined;
}

export const readiness = (pod: Pod): Readiness => {
  const ready = isPodReady(pod);
  return { ready, readySince: ready ? readySince(pod) : undefined };
};

/**
 * Ready for longer than minReadySeconds at `now`. As in Kubernetes the comparison is strict, and
 * a ready pod without a transition time only counts when minReadySeconds is 0.
 */
export function isAvailable(r: Readiness, o: { minReadySeconds: number; now: number }): boolean {
  if (!r.ready) return false;
  if (o.minReadySeconds <= 0) return true;
  return r.readySince !== undefined && r.readySince + o.minReadySeconds * 1000 < o.now;
}

/**
 * For a ready pod not yet available, milliseconds until it becomes available (so the controller
 * can look again exactly then); undefined when there is nothing to wait for.
 */
export function msUntilAvailableFrom(r: Readiness, o: { minReadySeconds: number; now: number }): number | undefined {
  if (o.minReadySeconds <= 0 || !r.ready || r.readySince === undefined) return undefined;
  const left = r.readySince + o.minReadySeconds * 1000 - o.now;
  return left >= 0 ? left + 1 : undefined;
}

export const isPodAvailable = (pod: Pod, o: { minReadySeconds: number; now: number }): boolean => isAvailable(readiness(pod), o);

export const msUntilAvailable = (pod: Pod, o: { minReadySeconds: number; now: number }): number | undefined => msUntilAvailableFrom(readiness(pod), o);

/** Highest restart count among the pod's containers. */
export function maxRestarts(pod: Pod): number {
  let n = 0;
  for (const s of pod.status?.containerStatuses ?? []) n = Math.max(n, s.restartCount ?? 0);
  return n;
}
