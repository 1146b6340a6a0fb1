// Runs a controller the way Kubernetes controllers run: event handlers only enqueue keys; N
// workers take keys from the work queue and call the controller's one idempotent `sync(key)`; a
// sync that throws is retried with per-key back-off, one that succeeds resets it. Nothing here
// knows what a key means.
import { WorkQueue } from '../../lib/workqueue.js';

export interface Reconciler {
  readonly name: string;
  /** Brings the world in line with the object named by `key`; throw to be retried later. */
  sync(key: string): Promise<void>;
}

export interface RunOptions {
  workers: number;
  queue: WorkQueue;
  signal: AbortSignal;
  /** Stop retrying a key after this many failures (it is picked up again on its next event). */
  maxRetries?: number;
  onError?(controller: string, key: string, err: unknown): void;
}

export async function runWorkers(r: Reconciler, o: RunOptions): Promise<void> {
  o.signal.addEventListener('abort', () => o.queue.shutDown(), { once: true });
  const worker = async (): Promise<void> => {
    for (;;) {
      const key = await o.queue.get();
      if (key === undefined) return;
      try {
        await r.sync(key);
        o.queue.forget(key);
      } catch (err) {
        o.onError?.(r.name, key, err);
        if (o.maxRetries === undefined || o.queue.numRequeues(key) < o.maxRetries) o.queue.addRateLimited(key);
        else o.queue.forget(key);
      } finally {
        o.queue.done(key);
      }
    }
  };
  await Promise.all(Array.from({ length: o.workers }, () => worker()));
}

/** The usual `onError`: one log line naming the controller, the key and what went wrong. */
export const logSyncErrors =
  (log: (msg: string) => void): NonNullable<RunOptions['onError']> =>
  (controller, key, err) =>
    log(`${controller}: ${key}: ${err instanceof Error ? err.message : String(err)}`);
