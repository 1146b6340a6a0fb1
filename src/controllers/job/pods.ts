// How the Job controller judges one of its pods: active, terminating, failed (which depends on
// the Job's pod replacement policy), ready, when it finished, how often its containers were
// restarted, and which active pods to remove first. Kept apart from the sync so counting,
// back-off and deletion all read a pod the same way.
import type { Pod } from '../../api/core/v1/index.js';
import type { Job } from '../../api/batch/v1/index.js';

/** Set on every pod a Job creates; the controller removes it once the pod is counted in the status. */
export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';

export const hasTrackingFinalizer = (pod: Pod): boolean => (pod.metadata?.finalizers ?? []).includes(JOB_TRACKING_FINALIZER);

const isTerminal = (pod: Pod): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

/** Neither finished nor being deleted. */
export const isActive = (pod: Pod): boolean => !isTerminal(pod) && !pod.metadata?.deletionTimestamp;

/** Being deleted but not yet finished (its containers may still run). */
export const isTerminating = (pod: Pod): boolean => Boolean(pod.metadata?.deletionTimestamp) && !isTerminal(pod);

export const isReady = (pod: Pod): boolean => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

/** With podReplacementPolicy Failed (implied by a pod failure policy) only Failed pods are failures. */
export const onlyReplaceFailedPods = (job: Job): boolean => job.spec?.podReplacementPolicy === 'Failed' || job.spec?.podFailurePolicy !== undefined;

/**
 * Failed, or deleted before it could succeed: a pod removed from under the Job (an eviction, a
 * user's delete, a lost node) counts as a failure unless only Failed pods are replaced.
 */
export function isPodFailed(pod: Pod, job: Job): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return Boolean(pod.metadata?.deletionTimestamp) && pod.status?.phase !== 'Succeeded';
}

const parseTime = (s: string | undefined): number | undefined => {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
};

/**
 * When the pod finished, in ms: the last container exit, else when it stopped being Ready, else
 * its deletion time, else (no kubelet ever reported) its creation time.
 */
export function finishedTime(pod: Pod): number {
  let latest: number | undefined;
  for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    const t = parseTime(s.state?.terminated?.finishedAt);
    if (t !== undefined && (latest === undefined || t > latest)) latest = t;
  }
  if (latest !== undefined) return latest;
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'False');
  return parseTime(ready?.lastTransitionTime) ?? parseTime(pod.metadata?.deletionTimestamp) ?? parseTime(pod.metadata?.creationTimestamp) ?? 0;
}

/** Container restarts of a pod (init and regular), what restartPolicy OnFailure retries cost. */
export function restartCount(pod: Pod): number {
  let n = 0;
  for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) n += s.restartCount ?? 0;
  return n;
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/**
 * Orders active pods so that the cheapest to lose come first, as Kubernetes' ActivePods sort:
 * unscheduled before scheduled, pending before running, not ready before ready, more restarts
 * first, newer before older.
 */
export function removalOrder(a: Pod, b: Pod): number {
  const scheduled = (p: Pod): number => (p.spec?.nodeName ? 1 : 0);
  if (scheduled(a) !== scheduled(b)) return scheduled(a) - scheduled(b);
  const phase = (p: Pod): number => PHASE_RANK[p.status?.phase ?? 'Pending'] ?? 0;
  if (phase(a) !== phase(b)) return phase(a) - phase(b);
  const ready = (p: Pod): number => (isReady(p) ? 1 : 0);
  if (ready(a) !== ready(b)) return ready(a) - ready(b);
  if (restartCount(a) !== restartCount(b)) return restartCount(b) - restartCount(a);
  const created = (p: Pod): number => parseTime(p.metadata?.creationTimestamp) ?? 0;
  return created(b) - created(a);
}
