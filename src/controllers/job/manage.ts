// Bringing a running Job's active pods to what it wants: none while suspended; otherwise
// parallelism, but never more than the completions still missing (a work-queue Job without
// completions keeps what runs once one pod succeeded). Surplus and duplicate-index pods go first;
// new pods wait out the failure back-off, and Indexed Jobs fill their lowest missing indexes.
import type { Pod } from '../../api/core/v1/index.js';
import { remainingBackoffMs } from './backoff.js';
import type { SyncContext } from './context.js';
import type { JobEnv } from './env.js';
import { completionIndex, firstPendingIndexes } from './indexes.js';
import { createPods, deletePods } from './pod-control.js';
import { onlyReplaceFailedPods, removalOrder } from './pods.js';

/** Kubernetes' cap on pods created or deleted by one sync. */
export const MAX_PODS_PER_SYNC = 500;

/** Active pods of an Indexed Job that must go whatever the counts: bad indexes, and all but the best pod of a repeated index. */
function duplicateIndexPods(pods: Pod[], completions: number): { remove: Pod[]; keep: Pod[] } {
  const remove: Pod[] = [];
  const byIndex = new Map<number, Pod[]>();
  for (const p of pods) {
    const ix = completionIndex(p, completions);
    if (ix === undefined) remove.push(p);
    else byIndex.set(ix, [...(byIndex.get(ix) ?? []), p]);
  }
  const keep: Pod[] = [];
  for (const group of byIndex.values()) {
    group.sort(removalOrder);
    keep.push(group.pop() as Pod);
    remove.push(...group);
  }
  return { remove, keep };
}

export function podsForRemoval(ctx: Pick<SyncContext, 'indexed' | 'completions'>, o: { active: Pod[]; atLeast: number }): Pod[] {
  const { remove, keep } = ctx.indexed ? duplicateIndexPods(o.active, ctx.completions) : { remove: [], keep: [...o.active] };
  if (remove.length < o.atLeast) {
    keep.sort(removalOrder);
    remove.push(...keep.slice(0, o.atLeast - remove.length));
  }
  return remove;
}

/** How many pods the Job should have active right now. */
export function wantedActive(ctx: Pick<SyncContext, 'job' | 'succeeded'>, active: number): number {
  const parallelism = ctx.job.spec?.parallelism ?? 1;
  const completions = ctx.job.spec?.completions;
  if (completions === undefined) return ctx.succeeded > 0 ? active : parallelism;
  return Math.max(0, Math.min(parallelism, completions - ctx.succeeded));
}

export interface ManageResult {
  /** Active pods after the creates or deletes. */
  active: number;
  error?: unknown;
}

/** Creates or deletes pods (never both in one sync). */
export async function manageJob(env: JobEnv, ctx: SyncContext): Promise<ManageResult> {
  const job = ctx.job;
  const active = ctx.active.length;
  const remove = async (pods: Pod[]): Promise<ManageResult> => {
    const r = await deletePods(env, { key: ctx.key, job, pods, keepFinalizers: false });
    return { active: active - r.deleted, error: r.error };
  };
  if (job.spec?.suspend === true) return remove(podsForRemoval(ctx, { active: ctx.active, atLeast: active }));
  const want = wantedActive(ctx, active);
  const toDelete = podsForRemoval(ctx, { active: ctx.active, atLeast: Math.max(0, active - want) }).slice(0, MAX_PODS_PER_SYNC);
  if (toDelete.length > 0) return remove(toDelete);
  const terminating = onlyReplaceFailedPods(job) ? ctx.terminating : 0;
  let diff = Math.min(want - terminating - active, MAX_PODS_PER_SYNC);
  if (diff <= 0) return { active };
  const wait = remainingBackoffMs(ctx.newBackoff, { now: env.clock.now() });
  if (wait > 0) {
    env.queue.addAfter(ctx.key, wait);
    return { active };
  }
  let indexes: (number | undefined)[];
  if (ctx.indexed) {
    const activeIndexes = new Set<number>();
    for (const p of ctx.active) {
      const ix = completionIndex(p, ctx.completions);
      if (ix !== undefined) activeIndexes.add(ix);
    }
    indexes = firstPendingIndexes({ succeeded: ctx.succeededIndexes, active: activeIndexes, count: diff, completions: ctx.completions });
    diff = indexes.length;
  } else {
    indexes = Array.from({ length: diff }, () => undefined);
  }
  if (diff === 0) return { active };
  const r = await createPods(env, { key: ctx.key, job, indexes });
  return { active: active + r.created, error: r.error };
}
