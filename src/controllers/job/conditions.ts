// Job conditions as the Kubernetes 1.32 Job controller writes them. A Job that has met its goal
// first gets SuccessCriteriaMet (or FailureTarget when it failed), and only once none of its
// pods is still terminating the terminal Complete (or Failed) with the same reason and message;
// clients that wait for Complete thus know no pod of the Job still runs.
import type { Job } from '../../api/batch/v1/index.js';

export type JobStatus = NonNullable<Job['status']>;
export type JobCondition = NonNullable<JobStatus['conditions']>[number];

export const REASON_COMPLETIONS_REACHED = 'CompletionsReached';
export const MSG_COMPLETIONS_REACHED = 'Reached expected number of succeeded pods';
export const REASON_BACKOFF_LIMIT = 'BackoffLimitExceeded';
export const MSG_BACKOFF_LIMIT = 'Job has reached the specified backoff limit';
export const REASON_DEADLINE = 'DeadlineExceeded';
export const MSG_DEADLINE = 'Job was active longer than specified deadline';
export const REASON_POD_FAILURE_POLICY = 'PodFailurePolicy';

/** metav1.Time: RFC 3339 in UTC with whole seconds. */
export const timestamp = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function findCondition(job: Job, type: string): JobCondition | undefined {
  return job.status?.conditions?.find((c) => c.type === type);
}

const isTrue = (job: Job, type: string): boolean => findCondition(job, type)?.status === 'True';

/** 'Complete' or 'Failed' once the Job has finished, else undefined. */
export function finishedType(job: Job): 'Complete' | 'Failed' | undefined {
  if (isTrue(job, 'Complete')) return 'Complete';
  if (isTrue(job, 'Failed')) return 'Failed';
  return undefined;
}

export function newCondition(o: { type: string; status?: 'True' | 'False'; reason: string; message: string; now: number }): JobCondition {
  const t = timestamp(o.now);
  return { type: o.type, status: o.status ?? 'True', lastProbeTime: t, lastTransitionTime: t, reason: o.reason, message: o.message };
}

/**
 * Makes the condition of `type` say `status`/`reason`/`message`, replacing a differing one; a
 * False condition is never added where none exists. Returns whether anything changed.
 */
export function ensureCondition(status: JobStatus, c: { type: string; status: 'True' | 'False'; reason: string; message: string; now: number }): boolean {
  const list = (status.conditions ??= []);
  const i = list.findIndex((x) => x.type === c.type);
  if (i >= 0) {
    const cur = list[i] as JobCondition;
    if (cur.status === c.status && cur.reason === c.reason && cur.message === c.message) return false;
    list[i] = newCondition(c);
    return true;
  }
  if (c.status === 'False') return false;
  list.push(newCondition(c));
  return true;
}

/** The terminal condition that follows an interim one: FailureTarget → Failed, SuccessCriteriaMet → Complete. */
export function terminalFor(interim: JobCondition, now: number): JobCondition {
  const type = interim.type === 'FailureTarget' ? 'Failed' : 'Complete';
  return newCondition({ type, reason: interim.reason ?? '', message: interim.message ?? '', now });
}
