// The picture of one Job that a sync works from, read once from the caches: its pods (active,
// terminating), which finished pods are new since the status last counted, the resulting
// succeeded/failed totals, the succeeded indexes of an Indexed Job, and the back-off record the
// new failures lead to. Later steps add the condition the Job is heading for.
import type { Pod } from '../../api/core/v1/index.js';
import type { Job } from '../../api/batch/v1/index.js';
import { nextBackoffRecord, type BackoffRecord } from './backoff.js';
import type { JobCondition } from './conditions.js';
import { matchPodFailurePolicy } from './failure-policy.js';
import { completionIndex, parseIndexes } from './indexes.js';
import { hasTrackingFinalizer, isActive, isPodFailed, isTerminating } from './pods.js';

export interface SyncContext {
  key: string;
  /** A private copy whose status the sync rewrites. */
  job: Job;
  pods: Pod[];
  active: Pod[];
  terminating: number;
  /** Pods whose finalizer removal is in flight: already counted, whatever the cache says. */
  expectedRemovals: ReadonlySet<string>;
  uncountedSucceeded: Set<string>;
  uncountedFailed: Set<string>;
  succeeded: number;
  failed: number;
  indexed: boolean;
  completions: number;
  /** Indexed Jobs: indexes already recorded in status.completedIndexes. */
  prevSucceededIndexes: Set<number>;
  /** Indexed Jobs: recorded ones plus those of succeeded pods not yet counted. */
  succeededIndexes: Set<number>;
  newBackoff: BackoffRecord;
  /** SuccessCriteriaMet or FailureTarget: what the Job is finishing with, once decided. */
  interim?: JobCondition;
}

/** Finished pods that still carry the finalizer and are not yet in the status's uncounted lists. */
function newFinishedPods(c: Pick<SyncContext, 'job' | 'pods' | 'expectedRemovals' | 'uncountedSucceeded' | 'uncountedFailed' | 'indexed' | 'completions'>): {
  succeeded: Pod[];
  failed: Pod[];
} {
  const succeeded: Pod[] = [];
  const failed: Pod[] = [];
  for (const p of c.pods) {
    const uid = p.metadata?.uid ?? '';
    if (!hasTrackingFinalizer(p) || c.expectedRemovals.has(uid)) continue;
    if (c.indexed && completionIndex(p, c.completions) === undefined) continue;
    if (p.status?.phase === 'Succeeded') {
      if (!c.uncountedSucceeded.has(uid)) succeeded.push(p);
    } else if (isPodFailed(p, c.job) && !c.uncountedFailed.has(uid)) {
      failed.push(p);
    }
  }
  return { succeeded, failed };
}

export function buildContext(o: { key: string; job: Job; pods: Pod[]; expectedRemovals: ReadonlySet<string>; backoff: BackoffRecord | undefined }): SyncContext {
  const job = o.job;
  const status = (job.status ??= {});
  const uncounted = (status.uncountedTerminatedPods ??= {});
  const indexed = job.spec?.completionMode === 'Indexed';
  const completions = job.spec?.completions ?? 0;
  const base = {
    job,
    pods: o.pods,
    expectedRemovals: o.expectedRemovals,
    uncountedSucceeded: new Set(uncounted.succeeded ?? []),
    uncountedFailed: new Set(uncounted.failed ?? []),
    indexed,
    completions,
  };
  const fresh = newFinishedPods(base);
  const policy = job.spec?.podFailurePolicy;
  const countedFailures = policy ? fresh.failed.filter((p) => matchPodFailurePolicy(policy, p).countFailed).length : fresh.failed.length;
  let succeeded = (status.succeeded ?? 0) + fresh.succeeded.length + base.uncountedSucceeded.size;
  const prevSucceededIndexes = indexed ? parseIndexes(status.completedIndexes, completions) : new Set<number>();
  const succeededIndexes = new Set(prevSucceededIndexes);
  if (indexed) {
    for (const p of o.pods) {
      const ix = completionIndex(p, completions);
      if (p.status?.phase === 'Succeeded' && ix !== undefined && hasTrackingFinalizer(p)) succeededIndexes.add(ix);
    }
    succeeded = succeededIndexes.size;
  }
  return {
    ...base,
    key: o.key,
    active: o.pods.filter(isActive),
    terminating: o.pods.filter(isTerminating).length,
    succeeded,
    failed: (status.failed ?? 0) + countedFailures + base.uncountedFailed.size,
    prevSucceededIndexes,
    succeededIndexes,
    newBackoff: nextBackoffRecord(o.backoff, fresh),
  };
}
