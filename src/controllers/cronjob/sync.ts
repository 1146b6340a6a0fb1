// The CronJob controller's one sync, after Kubernetes' cronjob controller v2: reconcile the
// active list with the Jobs that exist (finished ones leave it, lastSuccessfulTime follows the
// latest success), trim the history, then — unless suspended — start the Job for the most recent
// scheduled time that has come, honouring startingDeadlineSeconds and the concurrency policy
// (Forbid skips while a Job runs, Replace deletes the running ones first). It returns when to
// look again: just after the next scheduled time, on the injected clock.
import { cronJobKind, jobKind, type CronJob, type Job } from '../../api/batch/v1/index.js';
import { splitKey } from '../../client/index.js';
import { StatusError } from '../../lib/errors.js';
import { parseCron, type CronSchedule } from '../../lib/cron.js';
import { JOB_OWNER_INDEX, type CronJobEnv } from './env.js';
import { cleanupFinishedJobs, deleteJob, finishedAs, jobFromTemplate, removeFromActive } from './jobs.js';
import { formatRFC1123Z, jobNameFor, mostRecentScheduleTime, nextScheduleDelay } from './schedule.js';

type ObjectReference = NonNullable<NonNullable<CronJob['status']>['active']>[number];

/** metav1.Time: RFC 3339 in UTC with whole seconds. */
const timestamp = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

const notFound = (err: unknown): boolean => err instanceof StatusError && err.reason === 'NotFound';
const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err));

function refTo(job: Job): ObjectReference {
  const m = job.metadata ?? {};
  return { kind: 'Job', namespace: m.namespace, name: m.name, uid: m.uid, apiVersion: 'batch/v1', resourceVersion: m.resourceVersion };
}

/**
 * Brings status.active and lastSuccessfulTime in line with the Jobs. Returns the CronJob to go on
 * with (a fresh read replaces the cached copy when the cache missed our own status update) and
 * whether its status changed.
 */
async function reconcileJobs(env: CronJobEnv, o: { cj: CronJob; jobs: Job[] }): Promise<{ cj: CronJob; changed: boolean }> {
  let cj = o.cj;
  const jobs = o.jobs;
  let changed = false;
  const isActive = (uid: string | undefined): boolean => (cj.status?.active ?? []).some((r) => r.uid === uid);
  for (const job of jobs) {
    const finished = finishedAs(job);
    const listed = isActive(job.metadata?.uid);
    if (!listed && !finished) {
      const fresh = await env.client.get<CronJob>(cronJobKind, cj.metadata?.namespace, cj.metadata?.name ?? '');
      if ((fresh.status?.active ?? []).some((r) => r.uid === job.metadata?.uid)) {
        cj = fresh;
        continue;
      }
      env.recorder.event(cj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${job.metadata?.name ?? ''}`);
    } else if (listed && finished) {
      removeFromActive(cj, job.metadata?.uid);
      env.recorder.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${job.metadata?.name ?? ''}, condition: ${finished}`);
      changed = true;
    }
    const completion = job.status?.completionTime;
    const status = (cj.status ??= {});
    if (finished === 'Complete' && completion && (!status.lastSuccessfulTime || Date.parse(completion) > Date.parse(status.lastSuccessfulTime))) {
      status.lastSuccessfulTime = completion;
      changed = true;
    }
  }
  const known = new Set(jobs.map((j) => j.metadata?.uid));
  for (const ref of [...(cj.status?.active ?? [])]) {
    if (known.has(ref.uid)) continue;
    // The cache may lag behind a Job just created; only the server can say it is really gone.
    try {
      await env.client.get(jobKind, ref.namespace, ref.name ?? '');
    } catch (err) {
      if (!notFound(err)) throw err;
      env.recorder.event(cj, 'Normal', 'MissingJob', `Active job went missing: ${ref.name ?? ''}`);
      removeFromActive(cj, ref.uid);
      changed = true;
    }
  }
  return { cj, changed };
}

interface Outcome {
  /** Look again after this many ms. */
  requeueMs?: number;
  changed: boolean;
}

/** Starts the Job that is due, if any; the CronJob copy's status records what happened. */
async function startDueJob(env: CronJobEnv, o: { cj: CronJob; schedule: CronSchedule }): Promise<Outcome> {
  const { cj, schedule } = o;
  const now = env.clock.now();
  const requeueMs = nextScheduleDelay({ cj, now, schedule });
  let changed = false;
  const recent = mostRecentScheduleTime({ cj, now, schedule, includeDeadline: true });
  const scheduled = recent.mostRecent;
  if (scheduled === undefined || scheduled > now) return { requeueMs, changed };
  if (recent.missed === 'many') {
    env.recorder.event(cj, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');
  }
  const deadline = cj.spec?.startingDeadlineSeconds;
  if (deadline !== undefined && scheduled + deadline * 1000 < now) {
    env.recorder.event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${formatRFC1123Z(scheduled)}`);
    return { requeueMs, changed };
  }
  const status = (cj.status ??= {});
  const name = jobNameFor(cj.metadata?.name ?? '', scheduled);
  const lastSchedule = status.lastScheduleTime ? Date.parse(status.lastScheduleTime) : undefined;
  if ((status.active ?? []).some((r) => r.name === name) || lastSchedule === scheduled) return { requeueMs, changed };
  const policy = cj.spec?.concurrencyPolicy ?? 'Allow';
  if (policy === 'Forbid' && (status.active ?? []).length > 0) {
    env.recorder.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
    return { requeueMs, changed };
  }
  if (policy === 'Replace') {
    for (const ref of [...(status.active ?? [])]) {
      let running: Job;
      try {
        running = await env.client.get<Job>(jobKind, ref.namespace, ref.name ?? '');
      } catch (err) {
        env.recorder.event(cj, 'Warning', 'FailedGet', `Get job: ${describe(err)}`);
        throw err;
      }
      if (!(await deleteJob(env, { cj, job: running }))) throw new Error(`could not replace job ${ref.namespace ?? ''}/${ref.name ?? ''}`);
      changed = true;
    }
  }
  let job: Job;
  try {
    job = await env.client.create<Job>(jobKind, cj.metadata?.namespace, jobFromTemplate(cj, scheduled));
    env.recorder.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${job.metadata?.name ?? ''}`);
  } catch (err) {
    if (!(err instanceof StatusError && err.reason === 'AlreadyExists')) {
      env.recorder.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${describe(err)}`);
      throw err;
    }
    // Created earlier, but the status recording it was lost: record it now if it is ours.
    job = await env.client.get<Job>(jobKind, cj.metadata?.namespace, name);
    const ref = job.metadata?.ownerReferences?.find((r) => r.controller === true);
    if (ref?.uid !== cj.metadata?.uid || (status.active ?? []).some((r) => r.uid === job.metadata?.uid)) return { requeueMs, changed };
  }
  status.active = [...(status.active ?? []), refTo(job)];
  status.lastScheduleTime = timestamp(scheduled);
  return { requeueMs: nextScheduleDelay({ cj, now, schedule }), changed: true };
}

export async function syncCronJob(env: CronJobEnv, key: string): Promise<void> {
  const { namespace, name } = splitKey(key);
  const cached = env.cronJobs.get(namespace, name);
  if (!cached) return;
  const jobs = env.jobs.byIndex(JOB_OWNER_INDEX, key);
  const copy = structuredClone(cached);
  const cleaned = await cleanupFinishedJobs(env, { cj: copy, jobs });
  const { cj, changed: reconciled } = await reconcileJobs(env, { cj: copy, jobs });
  const changed = cleaned || reconciled;
  let outcome: Outcome = { changed: false };
  let error: unknown;
  try {
    outcome = await schedule(env, cj);
  } catch (err) {
    error = err;
  }
  if (changed || outcome.changed) await env.client.update(cronJobKind, namespace, cj, { subresource: 'status' });
  if (outcome.requeueMs !== undefined) env.queue.addAfter(key, Math.max(0, outcome.requeueMs));
  else if (error !== undefined) throw error;
}

/** Decides whether anything is to be started now (nothing when deleting, suspended or unparseable). */
async function schedule(env: CronJobEnv, cj: CronJob): Promise<Outcome> {
  if (cj.metadata?.deletionTimestamp) return { changed: false };
  const tz = cj.spec?.timeZone;
  if (tz !== undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
    } catch (err) {
      env.recorder.event(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: "${tz}": ${describe(err)}`);
      return { changed: false };
    }
  }
  if (cj.spec?.suspend === true) return { changed: false };
  let sched: CronSchedule;
  try {
    sched = parseCron(cj.spec?.schedule ?? '');
  } catch (err) {
    env.recorder.event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: "${cj.spec?.schedule ?? ''}" : ${describe(err)}`);
    return { changed: false };
  }
  try {
    sched.next(new Date(env.clock.now()), tz);
  } catch (err) {
    env.recorder.event(cj, 'Warning', 'InvalidSchedule', `invalid schedule: ${cj.spec?.schedule ?? ''} : ${describe(err)}`);
    return { changed: false };
  }
  return startDueJob(env, { cj, schedule: sched });
}
