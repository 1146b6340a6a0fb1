// The Job controller's one idempotent sync. It reads the Job and its pods from the caches,
// decides whether the Job has failed (pod failure policy FailJob, backoff limit — for
// restartPolicy OnFailure counted in container restarts — or active deadline) or succeeded,
// otherwise creates or deletes pods toward parallelism and keeps the Suspended condition and
// startTime, and finally writes the counted status (tracking.ts). It comes back when the active
// deadline or the failure back-off runs out.
import { podKind, type Pod } from '../../api/core/v1/index.js';
import { jobKind, type Job } from '../../api/batch/v1/index.js';
import { splitKey } from '../../client/index.js';
import { labelSelectorAsSelector } from '../../lib/selectors/index.js';
import { claimObjects } from '../replicaset/index.js';
import {
  MSG_BACKOFF_LIMIT,
  MSG_COMPLETIONS_REACHED,
  MSG_DEADLINE,
  REASON_BACKOFF_LIMIT,
  REASON_COMPLETIONS_REACHED,
  REASON_DEADLINE,
  REASON_POD_FAILURE_POLICY,
  ensureCondition,
  findCondition,
  finishedType,
  newCondition,
  timestamp,
} from './conditions.js';
import { buildContext, type SyncContext } from './context.js';
import { POD_OWNER_INDEX, type JobEnv } from './env.js';
import { matchPodFailurePolicy } from './failure-policy.js';
import { manageJob } from './manage.js';
import { deletePods } from './pod-control.js';
import { isPodFailed, isReady, restartCount } from './pods.js';
import { trackStatus } from './tracking.js';

/** The value of spec.managedBy meaning "this controller"; Jobs managed by anything else are left alone. */
export const JOB_CONTROLLER_NAME = 'kubernetes.io/job-controller';

const suspended = (job: Job): boolean => job.spec?.suspend === true;

/** The Job's pods: those it controls, plus orphans its selector matches (adopted on the way). */
async function podsForJob(env: JobEnv, job: Job): Promise<Pod[]> {
  const ns = job.metadata?.namespace ?? '';
  const selector = labelSelectorAsSelector(job.spec?.selector);
  const owned = env.pods.byIndex(POD_OWNER_INDEX, `uid:${job.metadata?.uid ?? ''}`);
  const orphans = env.pods.byIndex(POD_OWNER_INDEX, `orphan:${ns}`).filter((p) => selector.matches(p.metadata?.labels));
  if (orphans.length === 0) return owned.filter((p) => selector.matches(p.metadata?.labels));
  return claimObjects<Pod>({ client: env.client, owner: job, ownerKind: jobKind, kind: podKind, selector, candidates: [...owned, ...orphans] });
}

/** With restartPolicy OnFailure failures are container restarts in pods that are still pending or running. */
function pastBackoffLimitOnFailure(job: Job, pods: Pod[]): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) if (p.status?.phase === 'Running' || p.status?.phase === 'Pending') restarts += restartCount(p);
  const limit = job.spec.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/** Milliseconds left before the active deadline; undefined when none applies. */
function deadlineLeft(job: Job, now: number): number | undefined {
  const ads = job.spec?.activeDeadlineSeconds;
  const start = job.status?.startTime;
  if (ads === undefined || !start || suspended(job)) return undefined;
  return Date.parse(start) + ads * 1000 - now;
}

function failJobMessage(job: Job, pods: Pod[]): string | undefined {
  const policy = job.spec?.podFailurePolicy;
  if (!policy) return undefined;
  for (const p of pods) {
    if (!isPodFailed(p, job)) continue;
    const m = matchPodFailurePolicy(policy, p).failJobMessage;
    if (m !== undefined) return m;
  }
  return undefined;
}

/** Decides whether the Job is failing; the verdict is the interim FailureTarget condition. */
function judgeFailure(env: JobEnv, o: { ctx: SyncContext; now: number }): void {
  const { ctx, now } = o;
  const job = ctx.job;
  const success = findCondition(job, 'SuccessCriteriaMet');
  if (success?.status === 'True') {
    ctx.interim = success;
    return;
  }
  const target = findCondition(job, 'FailureTarget');
  if (target?.status === 'True') {
    ctx.interim = target;
    return;
  }
  const policyMessage = failJobMessage(job, ctx.pods);
  const failure = (reason: string, message: string): void => {
    ctx.interim = newCondition({ type: 'FailureTarget', reason, message, now });
  };
  if (policyMessage !== undefined) return failure(REASON_POD_FAILURE_POLICY, policyMessage);
  if (ctx.failed > (job.spec?.backoffLimit ?? 6) || pastBackoffLimitOnFailure(job, ctx.pods)) return failure(REASON_BACKOFF_LIMIT, MSG_BACKOFF_LIMIT);
  const left = deadlineLeft(job, now);
  if (left === undefined) return;
  if (left <= 0) return failure(REASON_DEADLINE, MSG_DEADLINE);
  env.queue.addAfter(ctx.key, left);
}

/** Keeps the Suspended condition (and its events) in line with spec.suspend; a resumed Job restarts its clock. */
function syncSuspended(env: JobEnv, o: { job: Job; now: number }): boolean {
  const { job, now } = o;
  const status = (job.status ??= {});
  if (suspended(job)) {
    const changed = ensureCondition(status, { type: 'Suspended', status: 'True', reason: 'JobSuspended', message: 'Job suspended', now });
    if (changed) env.recorder.event(job, 'Normal', 'Suspended', 'Job suspended');
    return changed;
  }
  const changed = ensureCondition(status, { type: 'Suspended', status: 'False', reason: 'JobResumed', message: 'Job resumed', now });
  if (changed) {
    env.recorder.event(job, 'Normal', 'Resumed', 'Job resumed');
    // activeDeadlineSeconds counts continuous activity, so the time spent suspended does not count.
    status.startTime = timestamp(now);
  }
  return changed;
}

export async function syncJob(env: JobEnv, key: string): Promise<void> {
  const { namespace, name } = splitKey(key);
  const cached = env.jobs.get(namespace, name);
  if (!cached) {
    env.expectations.forget(key);
    env.finalizers.forget(key);
    env.backoff.delete(key);
    env.superseded.delete(key);
    return;
  }
  const superseded = env.superseded.get(key);
  if (superseded?.has(cached.metadata?.resourceVersion ?? '')) {
    // Our last write has not reached the cache yet; its event brings the Job back. The delayed
    // look is only a safety net should that event be lost.
    env.queue.addAfter(key, 5_000);
    return;
  }
  env.superseded.delete(key);
  if (finishedType(cached) !== undefined) {
    env.backoff.delete(key);
    return;
  }
  const managedBy = cached.spec?.managedBy;
  if (managedBy !== undefined && managedBy !== JOB_CONTROLLER_NAME) return;

  const job = structuredClone(cached);
  // Read before the pods, so a pod created meanwhile cannot slip past the active count.
  const satisfied = env.expectations.satisfied(key);
  const pods = await podsForJob(env, job);
  const ctx = buildContext({ key, job, pods, expectedRemovals: env.finalizers.expected(key), backoff: env.backoff.get(key) });
  const now = env.clock.now();
  const status = (job.status ??= {});
  const startTimeBefore = status.startTime;
  if (!status.startTime && !suspended(job)) status.startTime = timestamp(now);
  judgeFailure(env, { ctx, now });

  let active = ctx.active.length;
  let manageError: unknown;
  let suspendChanged = false;
  if (ctx.interim) {
    // A finishing Job stops its pods; they keep their finalizers until counted below.
    const r = await deletePods(env, { key, job, pods: ctx.active, keepFinalizers: true });
    // Until every delete went through, some pod may still run: the verdict waits for the next sync.
    if (r.deleted !== ctx.active.length) ctx.interim = undefined;
    active -= r.deleted;
    ctx.terminating += r.deleted;
    manageError = r.error;
  } else {
    const manage = satisfied && !job.metadata?.deletionTimestamp;
    if (manage) {
      const r = await manageJob(env, ctx);
      active = r.active;
      manageError = r.error;
    }
    const completions = job.spec?.completions;
    const complete = completions === undefined ? ctx.succeeded > 0 && active === 0 : ctx.succeeded >= completions && active === 0;
    if (complete) {
      ctx.interim = newCondition({ type: 'SuccessCriteriaMet', reason: REASON_COMPLETIONS_REACHED, message: MSG_COMPLETIONS_REACHED, now });
    } else if (manage) {
      suspendChanged = syncSuspended(env, { job, now });
    }
  }

  const ready = ctx.active.filter(isReady).length;
  const before = cached.status ?? {};
  const needsUpdate =
    suspendChanged ||
    status.startTime !== startTimeBefore ||
    active !== (before.active ?? 0) ||
    ready !== before.ready ||
    ctx.terminating !== before.terminating;
  status.active = active;
  status.ready = ready;
  status.terminating = ctx.terminating;
  await trackStatus(env, { ctx, needsUpdate });
  if (manageError !== undefined) throw manageError;
}
