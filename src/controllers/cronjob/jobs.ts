// The Jobs of a CronJob: stamping one from the jobTemplate for a scheduled time (deterministic
// name, the scheduled-timestamp annotation, a controller reference), reading whether a Job
// finished and how, and deleting old finished Jobs beyond the history limits.
import { cronJobKind, jobKind, type CronJob, type Job } from '../../api/batch/v1/index.js';
import { StatusError } from '../../lib/errors.js';
import { controllerRefOf } from '../runtime/index.js';
import type { CronJobEnv } from './env.js';
import { formatInZone, jobNameFor } from './schedule.js';

/** Records on each Job the time it was scheduled for, in the CronJob's time zone. */
export const SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

export function jobFromTemplate(cj: CronJob, scheduledMs: number): Job {
  const t = cj.spec?.jobTemplate;
  const labels = { ...t?.metadata?.labels };
  const annotations = { ...t?.metadata?.annotations, [SCHEDULED_TIMESTAMP_ANNOTATION]: formatInZone(scheduledMs, cj.spec?.timeZone) };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobNameFor(cj.metadata?.name ?? '', scheduledMs),
      namespace: cj.metadata?.namespace,
      ...(Object.keys(labels).length > 0 ? { labels } : {}),
      annotations,
      ownerReferences: [controllerRefOf(cj, cronJobKind)],
    },
    spec: structuredClone(t?.spec ?? { template: {} }),
  };
}

/** 'Complete' or 'Failed' for a finished Job, else undefined. */
export function finishedAs(job: Job): 'Complete' | 'Failed' | undefined {
  const c = job.status?.conditions?.find((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
  return c?.type as 'Complete' | 'Failed' | undefined;
}

export function removeFromActive(cj: CronJob, uid: string | undefined): void {
  const status = (cj.status ??= {});
  status.active = (status.active ?? []).filter((r) => r.uid !== uid);
  if (status.active.length === 0) delete status.active;
}

/** Deletes a Job (its pods go with it) and forgets it; false when the delete failed. */
export async function deleteJob(env: CronJobEnv, o: { cj: CronJob; job: Job }): Promise<boolean> {
  const { cj, job } = o;
  const name = job.metadata?.name ?? '';
  try {
    await env.client.delete(jobKind, job.metadata?.namespace, name, { propagationPolicy: 'Background' });
  } catch (err) {
    if (!(err instanceof StatusError && err.reason === 'NotFound')) {
      env.recorder.event(cj, 'Warning', 'FailedDelete', `Deleted job: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
  }
  removeFromActive(cj, job.metadata?.uid);
  env.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${name}`);
  return true;
}

/** Oldest first by start time; Jobs that never started go last, ties by name. */
function byStartTime(a: Job, b: Job): number {
  const sa = a.status?.startTime;
  const sb = b.status?.startTime;
  if (!sa || !sb) return !sa && !sb ? (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '') : sa ? -1 : 1;
  if (sa !== sb) return Date.parse(sa) - Date.parse(sb);
  return (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
}

/** Deletes the oldest finished Jobs beyond successfulJobsHistoryLimit / failedJobsHistoryLimit; true when any went. */
export async function cleanupFinishedJobs(env: CronJobEnv, o: { cj: CronJob; jobs: Job[] }): Promise<boolean> {
  const { cj, jobs } = o;
  const limits = { Complete: cj.spec?.successfulJobsHistoryLimit, Failed: cj.spec?.failedJobsHistoryLimit };
  let changed = false;
  for (const kind of ['Complete', 'Failed'] as const) {
    const limit = limits[kind];
    if (limit === undefined) continue;
    const finished = jobs.filter((j) => finishedAs(j) === kind).sort(byStartTime);
    for (const job of finished.slice(0, Math.max(0, finished.length - limit))) {
      if (await deleteJob(env, { cj, job })) changed = true;
    }
  }
  return changed;
}
