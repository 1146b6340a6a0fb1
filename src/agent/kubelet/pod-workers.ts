// One worker per pod, as in Kubernetes' kubelet: syncs of the same pod never overlap (an event
// arriving mid-sync runs the pod again right after), different pods never wait for each other
// (a pod stopping slowly does not hold up the rest), a sync may ask to run again after a delay
// (back-off, probes), and a failed sync is retried with its own exponential back-off.
import type { Clock } from '../../lib/workqueue.js';

/** A sync resolves with a delay after which the pod wants another sync, or undefined. */
export type PodSyncFn = (uid: string) => Promise<number | undefined>;

interface WorkerState {
  running: boolean;
  again: boolean;
  failures: number;
  timer: { at: number; cancel(): void } | undefined;
  forgotten: boolean;
}

export class PodWorkers {
  private readonly workers = new Map<string, WorkerState>();
  private stopped = false;

  constructor(
    private readonly sync: PodSyncFn,
    private readonly o: { clock: Clock; onError(uid: string, err: unknown): void; retryBaseMs?: number; retryMaxMs?: number },
  ) {}

  private state(uid: string): WorkerState {
    let w = this.workers.get(uid);
    if (!w) this.workers.set(uid, (w = { running: false, again: false, failures: 0, timer: undefined, forgotten: false }));
    return w;
  }

  enqueue(uid: string): void {
    if (this.stopped) return;
    const w = this.state(uid);
    w.forgotten = false;
    if (w.running) {
      w.again = true;
      return;
    }
    this.run(uid, w);
  }

  /** Syncs the pod after `ms`, unless an earlier delayed sync is already due. */
  enqueueAfter(uid: string, ms: number): void {
    if (this.stopped) return;
    if (ms <= 0) return this.enqueue(uid);
    const w = this.state(uid);
    const at = this.o.clock.now() + ms;
    if (w.timer && w.timer.at <= at) return;
    w.timer?.cancel();
    const t = this.o.clock.setTimeout(() => {
      w.timer = undefined;
      this.enqueue(uid);
    }, ms);
    w.timer = { at, cancel: t.cancel };
  }

  /** Forgets a pod that is gone for good (its pending delayed syncs too). */
  forget(uid: string): void {
    const w = this.workers.get(uid);
    if (!w) return;
    w.timer?.cancel();
    w.timer = undefined;
    if (w.running) w.forgotten = true;
    else this.workers.delete(uid);
  }

  uids(): string[] {
    return [...this.workers.keys()];
  }

  stop(): void {
    this.stopped = true;
    for (const w of this.workers.values()) w.timer?.cancel();
  }

  private run(uid: string, w: WorkerState): void {
    w.running = true;
    w.again = false;
    this.sync(uid)
      .then(
        (after) => {
          w.failures = 0;
          if (after !== undefined) this.enqueueAfter(uid, after);
        },
        (err: unknown) => {
          this.o.onError(uid, err);
          const delay = Math.min(this.o.retryMaxMs ?? 30_000, (this.o.retryBaseMs ?? 200) * 2 ** w.failures);
          w.failures += 1;
          this.enqueueAfter(uid, delay);
        },
      )
      .finally(() => {
        w.running = false;
        if (w.again && !this.stopped) this.run(uid, w);
        else if (w.forgotten && !w.timer) this.workers.delete(uid);
      });
  }
}
