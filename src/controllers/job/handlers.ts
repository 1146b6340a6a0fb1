// Turns Job and pod events into work: Job keys on the main queue, and pods whose tracking
// finalizer must go because their Job is gone or finished on the orphan queue. Pod events also
// tell the expectations what was observed — a pod of ours appearing is a create seen, one
// disappearing or starting to terminate a delete seen, a finalizer gone a removal seen — and
// orphan pods wake the Jobs whose selector matches them, so one can adopt them.
import type { Pod } from '../../api/core/v1/index.js';
import type { Job } from '../../api/batch/v1/index.js';
import type { InformerHandlers } from '../../client/index.js';
import { objectKeyOf } from '../../client/index.js';
import { labelSelectorAsSelector } from '../../lib/selectors/index.js';
import { ownerOf } from '../runtime/index.js';
import { finishedType } from './conditions.js';
import { POD_OWNER_INDEX, jobOfPod, type JobEnv } from './env.js';
import { hasTrackingFinalizer } from './pods.js';

function matchingJobs(env: JobEnv, pod: Pod): Job[] {
  return env.jobs.list(pod.metadata?.namespace ?? '').filter((job) => {
    try {
      const sel = labelSelectorAsSelector(job.spec?.selector);
      return !sel.isEverything && sel.matches(pod.metadata?.labels);
    } catch {
      return false;
    }
  });
}

/** A pod still holding our finalizer whose controlling Job is missing or finished. */
function isOrphanWithFinalizer(env: JobEnv, pod: Pod): boolean {
  if (!hasTrackingFinalizer(pod)) return false;
  const job = jobOfPod(env, pod);
  return !job || finishedType(job) !== undefined;
}

export function podHandlers(env: JobEnv): InformerHandlers<Pod> {
  const enqueue = (job: Job): void => env.queue.add(objectKeyOf(job));
  const checkOrphan = (pod: Pod): void => {
    if (isOrphanWithFinalizer(env, pod)) env.orphanQueue.add(objectKeyOf(pod));
  };
  const deleted = (pod: Pod, o: { gone: boolean }): void => {
    const job = jobOfPod(env, pod);
    if (!job) return void checkOrphan(pod);
    const key = objectKeyOf(job);
    env.expectations.deletionObserved(key, objectKeyOf(pod));
    if (o.gone) env.finalizers.observed(key, pod.metadata?.uid ?? '');
    enqueue(job);
    if (!o.gone) checkOrphan(pod);
  };
  return {
    onAdd(pod) {
      if (pod.metadata?.deletionTimestamp) return deleted(pod, { gone: false });
      if (!ownerOf(pod)) return matchingJobs(env, pod).forEach(enqueue);
      const job = jobOfPod(env, pod);
      if (job) {
        env.expectations.creationObserved(objectKeyOf(job));
        enqueue(job);
      }
      checkOrphan(pod);
    },
    onUpdate(old, cur) {
      if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
      const job = jobOfPod(env, cur);
      if (job && hasTrackingFinalizer(old) && !hasTrackingFinalizer(cur)) env.finalizers.observed(objectKeyOf(job), cur.metadata?.uid ?? '');
      if (cur.metadata?.deletionTimestamp && !old.metadata?.deletionTimestamp) return deleted(cur, { gone: false });
      const oldJob = jobOfPod(env, old);
      if (oldJob && oldJob !== job) enqueue(oldJob);
      if (job) enqueue(job);
      else if (!ownerOf(cur)) matchingJobs(env, cur).forEach(enqueue);
      checkOrphan(cur);
    },
    onDelete: (pod) => deleted(pod, { gone: true }),
  };
}

export function jobHandlers(env: JobEnv): InformerHandlers<Job> {
  /** Pods left with our finalizer by a Job that is gone or finished. */
  const releasePods = (job: Job): void => {
    for (const pod of env.pods.byIndex(POD_OWNER_INDEX, `uid:${job.metadata?.uid ?? ''}`)) {
      if (hasTrackingFinalizer(pod)) env.orphanQueue.add(objectKeyOf(pod));
    }
  };
  return {
    onAdd: (job) => env.queue.add(objectKeyOf(job)),
    onUpdate(_old, cur) {
      env.queue.add(objectKeyOf(cur));
      if (finishedType(cur) !== undefined) releasePods(cur);
    },
    onDelete(job) {
      const key = objectKeyOf(job);
      env.expectations.forget(key);
      env.finalizers.forget(key);
      env.backoff.delete(key);
      env.superseded.delete(key);
      env.queue.add(key);
      releasePods(job);
    },
  };
}
