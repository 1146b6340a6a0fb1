// Counting finished pods exactly once, as Kubernetes' Job tracking with finalizers does: a
// finished pod's uid is first written to status.uncountedTerminatedPods, then its tracking
// finalizer is removed, then the uid moves from that list into the succeeded/failed counters.
// A crash between any two steps loses nothing and counts nothing twice. The same pass records
// completed indexes, writes the interim condition (SuccessCriteriaMet / FailureTarget) before
// any finalizer goes, and the terminal one (Complete / Failed) once nothing is left running.
import type { Pod } from '../../api/core/v1/index.js';
import { jobKind, type Job } from '../../api/batch/v1/index.js';
import { finishedType, findCondition, terminalFor, type JobCondition } from './conditions.js';
import type { SyncContext } from './context.js';
import type { JobEnv } from './env.js';
import { matchPodFailurePolicy } from './failure-policy.js';
import { completionIndex, formatIndexes } from './indexes.js';
import { removeFinalizers } from './pod-control.js';
import { hasTrackingFinalizer, isPodFailed } from './pods.js';

/** Most uids the uncounted lists hold at once, keeping the status small and big Jobs from starving others. */
export const MAX_UNCOUNTED = 500;

export async function writeStatus(env: JobEnv, o: { key: string; job: Job }): Promise<Job> {
  const { key, job } = o;
  const written = await env.client.update<Job>(jobKind, job.metadata?.namespace, job, { subresource: 'status' });
  const rv = job.metadata?.resourceVersion;
  if (rv) {
    let set = env.superseded.get(key);
    if (!set) env.superseded.set(key, (set = new Set()));
    set.add(rv);
  }
  return written;
}

/** A pod's finalizer may go once the pod finished, is being deleted, or the Job is finishing anyway. */
function canRemoveFinalizer(pod: Pod, o: { failed: boolean; finishing: boolean }): boolean {
  return Boolean(pod.metadata?.deletionTimestamp) || o.finishing || pod.status?.phase === 'Succeeded' || o.failed;
}

function setUncounted(job: Job, o: { succeeded: Set<string>; failed: Set<string> }): void {
  const status = (job.status ??= {});
  status.uncountedTerminatedPods = {
    ...(o.succeeded.size > 0 ? { succeeded: [...o.succeeded] } : {}),
    ...(o.failed.size > 0 ? { failed: [...o.failed] } : {}),
  };
}

/** Moves uncounted uids whose pods no longer carry the finalizer into the counters. */
function countUncounted(job: Job, withFinalizer: ReadonlySet<string>): boolean {
  const status = (job.status ??= {});
  const u = status.uncountedTerminatedPods ?? {};
  const keepS = (u.succeeded ?? []).filter((uid) => withFinalizer.has(uid));
  const keepF = (u.failed ?? []).filter((uid) => withFinalizer.has(uid));
  const movedS = (u.succeeded ?? []).length - keepS.length;
  const movedF = (u.failed ?? []).length - keepF.length;
  if (movedS === 0 && movedF === 0) return false;
  if (movedS > 0) status.succeeded = (status.succeeded ?? 0) + movedS;
  if (movedF > 0) status.failed = (status.failed ?? 0) + movedF;
  setUncounted(job, { succeeded: new Set(keepS), failed: new Set(keepF) });
  return true;
}

/**
 * Adds the terminal condition when the Job may finish now: nothing uncounted and no pod still
 * terminating. Returns whether it did.
 */
function enactFinished(job: Job, o: { terminal: JobCondition | undefined; terminating: number }): boolean {
  if (!o.terminal) return false;
  const u = job.status?.uncountedTerminatedPods;
  if ((u?.succeeded?.length ?? 0) + (u?.failed?.length ?? 0) > 0 || o.terminating > 0) return false;
  const status = (job.status ??= {});
  const conditions = (status.conditions ??= []);
  const i = conditions.findIndex((c) => c.type === o.terminal?.type);
  if (i >= 0) conditions[i] = o.terminal;
  else conditions.push(o.terminal);
  if (o.terminal.type === 'Complete') status.completionTime = o.terminal.lastTransitionTime;
  return true;
}

function recordFinished(env: JobEnv, o: { job: Job; terminal: JobCondition }): void {
  const { job, terminal } = o;
  if (terminal.type !== 'Complete') {
    env.recorder.event(job, 'Warning', terminal.reason ?? 'Failed', terminal.message ?? '');
    return;
  }
  const completions = job.spec?.completions;
  if (completions !== undefined && (job.status?.succeeded ?? 0) > completions) {
    env.recorder.event(job, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
  }
  env.recorder.event(job, 'Normal', 'Completed', 'Job completed');
}

export async function trackStatus(env: JobEnv, o: { ctx: SyncContext; needsUpdate: boolean }): Promise<void> {
  const ctx = o.ctx;
  let job = ctx.job;
  let needsFlush = o.needsUpdate;
  const policy = job.spec?.podFailurePolicy;
  const finishing = ctx.interim !== undefined;
  const failing = finishing && ctx.interim?.type !== 'SuccessCriteriaMet';
  const succeededSet = new Set(ctx.uncountedSucceeded);
  const failedSet = new Set(ctx.uncountedFailed);
  const newIndexes: number[] = [];
  const toUnfinalize: Pod[] = [];
  let reachedMax = false;
  for (const pod of ctx.pods) {
    const uid = pod.metadata?.uid ?? '';
    if (!hasTrackingFinalizer(pod) || ctx.expectedRemovals.has(uid)) continue;
    const failed = isPodFailed(pod, job);
    if (!canRemoveFinalizer(pod, { failed, finishing })) continue;
    toUnfinalize.push(pod);
    const ix = ctx.indexed ? completionIndex(pod, ctx.completions) : undefined;
    if (pod.status?.phase === 'Succeeded' && !failedSet.has(uid)) {
      if (ctx.indexed) {
        if (ix !== undefined && !ctx.prevSucceededIndexes.has(ix)) newIndexes.push(ix);
      } else if (!succeededSet.has(uid)) {
        succeededSet.add(uid);
        needsFlush = true;
      }
    } else if (failed || failing) {
      // Pods still running when a Job fails are stopped, so they count as failures too.
      if (!failedSet.has(uid) && (!ctx.indexed || ix !== undefined) && (!policy || matchPodFailurePolicy(policy, pod).countFailed)) {
        failedSet.add(uid);
        needsFlush = true;
      }
    }
    if (newIndexes.length + succeededSet.size + failedSet.size >= MAX_UNCOUNTED) {
      reachedMax = true;
      break;
    }
  }
  const status = (job.status ??= {});
  if (ctx.indexed) {
    const text = formatIndexes([...ctx.prevSucceededIndexes, ...newIndexes]);
    if (text !== (status.completedIndexes ?? '')) needsFlush = true;
    status.succeeded = new Set([...ctx.prevSucceededIndexes, ...newIndexes]).size;
    if (text) status.completedIndexes = text;
    else delete status.completedIndexes;
  }
  setUncounted(job, { succeeded: succeededSet, failed: failedSet });
  let terminal: JobCondition | undefined;
  if (ctx.interim) {
    // The interim condition is written before any finalizer goes, so a crash cannot lose the verdict.
    if (findCondition(job, ctx.interim.type)?.status !== 'True') {
      (status.conditions ??= []).push(ctx.interim);
      needsFlush = true;
    }
    terminal = terminalFor(ctx.interim, env.clock.now());
  }
  tidyCounters(job);

  if (needsFlush) {
    job = await writeStatus(env, { key: ctx.key, job });
    env.backoff.set(ctx.key, ctx.newBackoff);
    needsFlush = false;
  }
  const withFinalizer = new Set<string>();
  for (const p of ctx.pods) {
    const uid = p.metadata?.uid ?? '';
    if (hasTrackingFinalizer(p) && !ctx.expectedRemovals.has(uid)) withFinalizer.add(uid);
  }
  let removeError: unknown;
  if (toUnfinalize.length > 0) {
    const r = await removeFinalizers(env, { key: ctx.key, pods: toUnfinalize });
    for (const uid of r.removed) withFinalizer.delete(uid);
    removeError = r.error;
  }
  if (countUncounted(job, withFinalizer)) needsFlush = true;
  if (removeError !== undefined) {
    // Keep the partial progress, then retry the rest.
    if (needsFlush) await writeStatus(env, { key: ctx.key, job: tidied(job) });
    throw removeError;
  }
  const finishedNow = !reachedMax && finishedType(job) === undefined && enactFinished(job, { terminal, terminating: ctx.terminating });
  if (finishedNow) needsFlush = true;
  if (needsFlush) {
    job = await writeStatus(env, { key: ctx.key, job: tidied(job) });
    if (finishedNow && terminal) recordFinished(env, { job, terminal });
  }
  if (reachedMax) env.queue.add(ctx.key);
}

/** Counters at zero are left out, as Kubernetes' JSON omits them. */
function tidyCounters(job: Job): void {
  const s = job.status ?? {};
  for (const f of ['active', 'succeeded', 'failed'] as const) if (s[f] === 0) delete s[f];
}

function tidied(job: Job): Job {
  tidyCounters(job);
  return job;
}
