// The CronJob controller: starts a Job from each CronJob's jobTemplate at every scheduled time
// (cron syntax and @-macros, in spec.timeZone), honouring startingDeadlineSeconds, the
// concurrency policy, suspend and the history limits. It wakes exactly when the next time
// comes, by the injected clock, and whenever one of its Jobs changes. Public face of this folder.
import { cronJobKind, jobKind, type CronJob, type Job } from '../../api/batch/v1/index.js';
import type { InformerHandlers } from '../../client/index.js';
import { objectKeyOf } from '../../client/index.js';
import { parseCron } from '../../lib/cron.js';
import { WorkQueue, runWorkers, type ControllerFactory } from '../runtime/index.js';
import { aborted } from '../replicaset/index.js';
import { JOB_OWNER_INDEX, cronJobOf, jobOwnerIndex, type CronJobEnv } from './env.js';
import { nextScheduleDelay } from './schedule.js';
import { syncCronJob } from './sync.js';

export { SCHEDULED_TIMESTAMP_ANNOTATION } from './jobs.js';

function cronJobHandlers(env: CronJobEnv): InformerHandlers<CronJob> {
  return {
    onAdd: (cj) => env.queue.add(objectKeyOf(cj)),
    onUpdate(old, cur) {
      const key = objectKeyOf(cur);
      if (old.spec?.schedule === cur.spec?.schedule && old.spec?.timeZone === cur.spec?.timeZone) return env.queue.add(key);
      // A new schedule: look again at its next time (an earlier pending look stays and finds nothing due).
      try {
        env.queue.addAfter(key, Math.max(0, nextScheduleDelay({ cj: cur, now: env.clock.now(), schedule: parseCron(cur.spec?.schedule ?? '') })));
      } catch {
        env.queue.add(key);
      }
    },
  };
}

function jobHandlers(env: CronJobEnv): InformerHandlers<Job> {
  const enqueueOwner = (job: Job): void => {
    const cj = cronJobOf(env, job);
    if (cj) env.queue.add(objectKeyOf(cj));
  };
  return {
    onAdd: enqueueOwner,
    onUpdate(old, cur) {
      if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
      enqueueOwner(old);
      enqueueOwner(cur);
    },
    onDelete: enqueueOwner,
  };
}

export const cronJobController: ControllerFactory = (deps) => ({
  name: 'cronjob',
  async run(signal) {
    const cronJobInformer = deps.informers.for<CronJob>(cronJobKind);
    const jobInformer = deps.informers.for<Job>(jobKind);
    jobInformer.store.addIndex(JOB_OWNER_INDEX, jobOwnerIndex);
    const env: CronJobEnv = {
      client: deps.client,
      recorder: deps.recorder('cronjob-controller'),
      clock: deps.clock,
      log: deps.log,
      queue: new WorkQueue({ clock: deps.clock }),
      cronJobs: cronJobInformer.store,
      jobs: jobInformer.store,
    };
    cronJobInformer.addHandlers(cronJobHandlers(env));
    jobInformer.addHandlers(jobHandlers(env));
    await Promise.race([Promise.all([cronJobInformer.synced, jobInformer.synced]), aborted(signal)]);
    if (signal.aborted) return;
    await runWorkers(
      { name: 'cronjob', sync: (key) => syncCronJob(env, key) },
      {
        workers: 5,
        queue: env.queue,
        signal,
        onError: (_c, key, err) => deps.log(`cronjob ${key}: ${err instanceof Error ? err.message : String(err)}`),
      },
    );
  },
});
