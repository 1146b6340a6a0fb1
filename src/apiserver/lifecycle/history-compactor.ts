// Compacts the datastore's history, as kube-apiserver does on etcd every five minutes: each tick
// compacts to the revision seen at the tick before, so a client listing or watching from a
// resourceVersion keeps at least one interval of history, and older ones get 410 Gone (clients
// relist, as they must on Kubernetes). Without it the sqlite log — and etcd's history — would
// grow with every write for as long as the cluster runs. Several servers on one etcd each
// compact on their own schedule; compacting at or below what is already compacted is a no-op.
import type { Backend } from '../../storage/index.js';

export const DEFAULT_COMPACTION_INTERVAL_MS = 5 * 60_000;

export class HistoryCompactor {
  private previous: number | undefined;

  constructor(private readonly backend: Pick<Backend, 'currentRevision' | 'compact'>) {}

  /** Compacts to the revision the previous tick saw (none on the first tick), then remembers the current one. */
  async tick(): Promise<number | undefined> {
    const current = await this.backend.currentRevision();
    const target = this.previous;
    this.previous = current;
    if (target === undefined || target <= 0) return undefined;
    await this.backend.compact(target);
    return target;
  }

  /** Ticks every `intervalMs` until the signal aborts. */
  start(signal: AbortSignal, o: { intervalMs: number; onError(err: unknown): void }): void {
    if (o.intervalMs <= 0 || signal.aborted) return;
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      this.tick()
        .catch(o.onError)
        .finally(() => (running = false));
    }, o.intervalMs);
    timer.unref();
    signal.addEventListener('abort', () => clearInterval(timer), { once: true });
  }
}
