// A closed-loop load generator: N workers each issue one operation, wait for it, and issue the
// next, for a fixed time. Operations started during the warm-up are not recorded, so connection
// set-up and JIT warm-up do not land in the percentiles. Used for the API and the etcd floor alike.
import { performance } from 'node:perf_hooks';
import { summarize, type Summary } from './stats.js';

/** One operation; `worker` is 0..concurrency-1, `seq` counts that worker's operations. */
export type Op = (worker: number, seq: number) => Promise<void>;

export interface LoadOptions {
  concurrency: number;
  durationMs: number;
  warmupMs: number;
}

/** A cell gives up after this many failures rather than spinning on a broken server. */
const MAX_ERRORS = 50;

/** `totalOps` also counts the warm-up, for dividing CPU time measured over the whole run. */
export async function closedLoop(op: Op, o: LoadOptions): Promise<Summary & { totalOps: number }> {
  const start = performance.now();
  const measureFrom = start + o.warmupMs;
  const end = measureFrom + o.durationMs;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let totalOps = 0;
  const worker = async (w: number): Promise<void> => {
    for (let seq = 0; errors < MAX_ERRORS; seq++) {
      const t0 = performance.now();
      if (t0 >= end) return;
      try {
        await op(w, seq);
        totalOps++;
        if (t0 >= measureFrom) latencies.push(performance.now() - t0);
      } catch (err) {
        errors++;
        firstError ??= err instanceof Error ? err.message : String(err);
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, (_, w) => worker(w)));
  const elapsedMs = Math.max(performance.now(), end) - measureFrom;
  return { ...summarize(latencies, { elapsedMs, errors, ...(firstError === undefined ? {} : { firstError }) }), totalOps };
}

/** Runs `count` operations with at most `concurrency` in flight; for setting up data quickly. */
export async function fill(count: number, concurrency: number, op: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await op(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}
