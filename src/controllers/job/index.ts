// The Job controller: runs each Job's pods to completion within its limits (completions,
// parallelism, backoffLimit, activeDeadlineSeconds, suspend, pod failure policy) and counts them
// exactly once with the batch.kubernetes.io/job-tracking finalizer. Public face of this folder.
import { podKind, type Pod } from '../../api/core/v1/index.js';
import { jobKind, type Job } from '../../api/batch/v1/index.js';
import { Expectations, WorkQueue, runWorkers, type ControllerFactory } from '../runtime/index.js';
import { aborted } from '../replicaset/index.js';
import type { BackoffRecord } from './backoff.js';
import { POD_OWNER_INDEX, podOwnerIndex, type JobEnv } from './env.js';
import { FinalizerExpectations } from './finalizer-expectations.js';
import { jobHandlers, podHandlers } from './handlers.js';
import { syncOrphanPod } from './orphans.js';
import { syncJob } from './sync.js';

export { JOB_TRACKING_FINALIZER } from './pods.js';
export { COMPLETION_INDEX_KEY } from './indexes.js';

export const jobController: ControllerFactory = (deps) => ({
  name: 'job',
  async run(signal) {
    const jobInformer = deps.informers.for<Job>(jobKind);
    const podInformer = deps.informers.for<Pod>(podKind);
    podInformer.store.addIndex(POD_OWNER_INDEX, podOwnerIndex);
    const env: JobEnv = {
      client: deps.client,
      recorder: deps.recorder('job-controller'),
      clock: deps.clock,
      log: deps.log,
      queue: new WorkQueue({ clock: deps.clock }),
      orphanQueue: new WorkQueue({ clock: deps.clock }),
      expectations: new Expectations(() => deps.clock.now()),
      finalizers: new FinalizerExpectations(),
      backoff: new Map<string, BackoffRecord>(),
      superseded: new Map(),
      jobs: jobInformer.store,
      pods: podInformer.store,
    };
    jobInformer.addHandlers(jobHandlers(env));
    podInformer.addHandlers(podHandlers(env));
    await Promise.race([Promise.all([jobInformer.synced, podInformer.synced]), aborted(signal)]);
    if (signal.aborted) return;
    const onError = (what: string) => (_c: string, key: string, err: unknown) => deps.log(`${what} ${key}: ${err instanceof Error ? err.message : String(err)}`);
    await Promise.all([
      runWorkers({ name: 'job', sync: (key) => syncJob(env, key) }, { workers: 5, queue: env.queue, signal, onError: onError('job') }),
      runWorkers({ name: 'job-orphan-pods', sync: (key) => syncOrphanPod(env, key) }, { workers: 1, queue: env.orphanQueue, signal, onError: onError('job orphan pod') }),
    ]);
  },
});
