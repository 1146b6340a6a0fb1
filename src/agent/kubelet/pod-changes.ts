// Which API updates of a pod need a sync. Every status the kubelet writes comes back through the
// pod watch as an update; syncing on it would run each pod's whole sync again (volumes, runtime
// reads) for nothing, twice per start, which under load is a large share of the agent's CRI
// calls. As in Kubernetes' kubelet, an update that changed only the status is taken in without a
// sync, unless the pod has readiness gates: their conditions are set by others, in the status,
// and change whether the pod is Ready.
import type { Pod } from '../../api/core/v1/index.js';

const same = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

/** Whether going from `old` to `pod` changes anything a pod sync acts on. */
export function needsSync(old: Pod, pod: Pod): boolean {
  if ((pod.spec?.readinessGates?.length ?? 0) > 0) return true;
  const a = old.metadata ?? {};
  const b = pod.metadata ?? {};
  return (
    a.uid !== b.uid ||
    a.deletionTimestamp !== b.deletionTimestamp ||
    a.deletionGracePeriodSeconds !== b.deletionGracePeriodSeconds ||
    !same(a.labels, b.labels) ||
    !same(a.annotations, b.annotations) ||
    !same(old.spec, pod.spec)
  );
}
