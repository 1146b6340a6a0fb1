// What the Job controller's pieces share: the client, the caches, the queues and the in-memory
// bookkeeping (expectations, finalizer expectations, back-off records), plus the pod index that
// finds a Job's pods by its uid and the orphans of a namespace.
import type { Pod } from '../../api/core/v1/index.js';
import type { Job } from '../../api/batch/v1/index.js';
import type { Client, EventRecorder, ObjectCache } from '../../client/index.js';
import type { Clock, WorkQueue } from '../../lib/workqueue.js';
import { ownerOf, type Expectations } from '../runtime/index.js';
import type { BackoffRecord } from './backoff.js';
import type { FinalizerExpectations } from './finalizer-expectations.js';

export interface JobEnv {
  client: Client;
  recorder: EventRecorder;
  clock: Clock;
  log(msg: string): void;
  queue: WorkQueue;
  /** Pods keyed `namespace/name` whose tracking finalizer may have to go because their Job did. */
  orphanQueue: WorkQueue;
  expectations: Expectations;
  finalizers: FinalizerExpectations;
  backoff: Map<string, BackoffRecord>;
  /**
   * Per Job, the resourceVersions our own status writes replaced. A cached Job still at one of
   * them is older than what we wrote; syncing it would only end in a conflict, so the sync waits
   * for the informer to deliver our write (which enqueues the Job again).
   */
  superseded: Map<string, Set<string>>;
  jobs: ObjectCache<Job>;
  pods: ObjectCache<Pod>;
}

/** Pod index: `uid:<job uid>` for pods a Job controls, `orphan:<namespace>` for pods without a controller. */
export const POD_OWNER_INDEX = 'job-controller/owner';

export function podOwnerIndex(pod: Pod): string[] {
  const ref = ownerOf(pod);
  if (!ref) return [`orphan:${pod.metadata?.namespace ?? ''}`];
  return ref.kind === 'Job' && ref.apiVersion.startsWith('batch/') ? [`uid:${ref.uid}`] : [];
}

/** The Job in the cache that `pod`'s controller reference names (same uid), if any. */
export function jobOfPod(env: JobEnv, pod: Pod): Job | undefined {
  const ref = ownerOf(pod);
  if (!ref || ref.kind !== 'Job' || !ref.apiVersion.startsWith('batch/')) return undefined;
  const job = env.jobs.get(pod.metadata?.namespace, ref.name);
  return job?.metadata?.uid === ref.uid ? job : undefined;
}
