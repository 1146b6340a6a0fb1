// Pod readiness as the workload controllers judge it: ready means the Ready condition is True;
// available means ready for at least minReadySeconds (measured from the condition's last
// transition, on the controller's clock); terminating means deletion has started. Shared by the
// DaemonSet and StatefulSet controllers, which both roll out pod by pod on these signals.
import type { Pod } from '../../api/core/v1/index.js';

export function isPodReady(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

export const isTerminating = (pod: Pod): boolean => Boolean(pod.metadata?.deletionTimestamp);

export const isRunning = (pod: Pod): boolean => pod.status?.phase === 'Running';

/** Milliseconds until a ready pod becomes available (0 when it already is); undefined if not ready. */
export function msUntilAvailable(pod: Pod, o: { minReadySeconds: number; now: number }): number | undefined {
  const ready = (pod.status?.conditions ?? []).find((c) => c.type === 'Ready' && c.status === 'True');
  if (!ready) return undefined;
  if (o.minReadySeconds <= 0) return 0;
  const since = ready.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : NaN;
  if (Number.isNaN(since)) return 0;
  return Math.max(0, since + o.minReadySeconds * 1000 - o.now);
}

export function isPodAvailable(pod: Pod, o: { minReadySeconds: number; now: number }): boolean {
  return msUntilAvailable(pod, o) === 0;
}

/** Oldest first: pods are compared by creation time, then name. */
export function byCreation(a: Pod, b: Pod): number {
  return (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? '') || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
}
