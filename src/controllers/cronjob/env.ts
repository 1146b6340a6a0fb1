// What the CronJob controller's pieces share, and the Job index that finds a CronJob's Jobs.
import type { CronJob, Job } from '../../api/batch/v1/index.js';
import type { Client, EventRecorder, ObjectCache } from '../../client/index.js';
import type { Clock, WorkQueue } from '../../lib/workqueue.js';
import { ownerOf } from '../runtime/index.js';

export interface CronJobEnv {
  client: Client;
  recorder: EventRecorder;
  clock: Clock;
  log(msg: string): void;
  queue: WorkQueue;
  cronJobs: ObjectCache<CronJob>;
  jobs: ObjectCache<Job>;
}

/** Job index: `<namespace>/<cronjob name>` of the CronJob that controls the Job. */
export const JOB_OWNER_INDEX = 'cronjob-controller/owner';

export function jobOwnerIndex(job: Job): string[] {
  const ref = ownerOf(job);
  return ref && ref.kind === 'CronJob' && ref.apiVersion.startsWith('batch/') ? [`${job.metadata?.namespace ?? ''}/${ref.name}`] : [];
}

/** The CronJob in the cache that controls `job` (same uid), if any. */
export function cronJobOf(env: CronJobEnv, job: Job): CronJob | undefined {
  const ref = ownerOf(job);
  if (!ref || ref.kind !== 'CronJob' || !ref.apiVersion.startsWith('batch/')) return undefined;
  const cj = env.cronJobs.get(job.metadata?.namespace, ref.name);
  return cj?.metadata?.uid === ref.uid ? cj : undefined;
}
