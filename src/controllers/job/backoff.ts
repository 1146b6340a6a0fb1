// The delay before a Job replaces failed pods: 10 s after the first failure since the last
// success, doubling with each further one, capped at 6 minutes, counted from when the latest
// failed pod finished. One record per Job, kept in memory as Kubernetes does (a restarted
// controller starts without delays), updated only after the status that counted those pods
// was written, so each failure is counted once.
import type { Pod } from '../../api/core/v1/index.js';
import { finishedTime } from './pods.js';

export const DEFAULT_BACKOFF_MS = 10_000;
export const MAX_BACKOFF_MS = 6 * 60_000;

export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  /** When the latest counted failure finished (ms); unset without failures. */
  lastFailureTime?: number;
}

const EMPTY: BackoffRecord = { failuresAfterLastSuccess: 0 };

/** Folds the pods that finished since the last sync into a Job's back-off record. */
export function nextBackoffRecord(prev: BackoffRecord | undefined, o: { succeeded: Pod[]; failed: Pod[] }): BackoffRecord {
  const base = prev ?? EMPTY;
  const failedTimes = o.failed.map(finishedTime).sort((a, b) => a - b);
  if (o.succeeded.length === 0) {
    if (failedTimes.length === 0) return base;
    return { failuresAfterLastSuccess: base.failuresAfterLastSuccess + failedTimes.length, lastFailureTime: failedTimes[failedTimes.length - 1] };
  }
  // A success resets the count; only failures that finished after it still count.
  const lastSuccess = Math.max(...o.succeeded.map(finishedTime));
  const after = failedTimes.filter((t) => t > lastSuccess);
  if (after.length === 0) return EMPTY;
  return { failuresAfterLastSuccess: after.length, lastFailureTime: after[after.length - 1] };
}

/** Milliseconds left before new pods may be created; 0 when there is nothing to wait for. */
export function remainingBackoffMs(r: BackoffRecord, o: { now: number; baseMs?: number; maxMs?: number }): number {
  if (r.failuresAfterLastSuccess === 0 || r.lastFailureTime === undefined) return 0;
  const max = o.maxMs ?? MAX_BACKOFF_MS;
  let delay = o.baseMs ?? DEFAULT_BACKOFF_MS;
  for (let i = 1; i < r.failuresAfterLastSuccess && delay < max; i++) delay *= 2;
  delay = Math.min(delay, max);
  const elapsed = o.now - r.lastFailureTime;
  return elapsed >= delay ? 0 : delay - elapsed;
}
