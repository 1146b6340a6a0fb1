// The scheduling queue, as in kube-scheduler: pods waiting to be scheduled sit in one of three
// places. The active queue is a heap by priority (highest first), then by when the pod joined
// (oldest first); the scheduler pops from it. The backoff queue holds pods that failed recently,
// until their backoff (1 s doubling to 10 s per attempt) ends. Unschedulable pods wait for a
// cluster event that could help them (a node added, a pod deleted, ...) — or for five minutes
// — and then go back through backoff. A pod whose attempt overlapped such an event skips the
// wait, so no event is lost. Pods with scheduling gates wait until the gates are removed.
import type { Clock } from '../../lib/workqueue.js';
import type { PodInfo } from '../framework/pod-info.js';
import { Heap } from './heap.js';

export interface QueuedPod {
  pod: PodInfo;
  /** When the pod last entered the queue; breaks ties between equal priorities. */
  timestamp: number;
  attempts: number;
  /** Plugins that rejected the pod in its last attempt; events for others do not move it. */
  unschedulablePlugins: ReadonlySet<string>;
  backoffUntil: number;
}

export interface QueueOptions {
  clock: Clock;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long a pod may sit in the unschedulable set without any event moving it. */
  maxUnschedulableMs?: number;
}

const FLUSH_BACKOFF_MS = 1000;
const FLUSH_UNSCHEDULABLE_MS = 30_000;

function intersects(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  for (const x of a) if (b.has(x)) return true;
  return false;
}

const gated = (p: PodInfo): boolean => (p.pod.spec?.schedulingGates ?? []).length > 0;

export class SchedulingQueue {
  private readonly active = new Heap<QueuedPod>(
    (q) => q.pod.uid,
    (a, b) => a.pod.priority > b.pod.priority || (a.pod.priority === b.pod.priority && a.timestamp < b.timestamp),
  );
  private readonly backoff = new Heap<QueuedPod>(
    (q) => q.pod.uid,
    (a, b) => a.backoffUntil < b.backoffUntil,
  );
  private readonly unschedulable = new Map<string, QueuedPod>();
  private readonly gatedPods = new Map<string, QueuedPod>();
  /** Pods popped and not yet done, by uid. */
  private readonly inFlight = new Map<string, QueuedPod>();
  private cycle = 0;
  private moveRequestCycle = -1;
  private waiter: ((q: QueuedPod | undefined) => void) | undefined;
  private closed = false;
  private readonly clock: Clock;

  constructor(private readonly o: QueueOptions) {
    this.clock = o.clock;
  }

  /** The cycle number of the most recent pop. */
  get schedulingCycle(): number {
    return this.cycle;
  }

  get pending(): { active: number; backoff: number; unschedulable: number; gated: number } {
    return { active: this.active.size, backoff: this.backoff.size, unschedulable: this.unschedulable.size, gated: this.gatedPods.size };
  }

  add(pod: PodInfo): void {
    if (this.closed || this.contains(pod.uid)) return;
    const q: QueuedPod = { pod, timestamp: this.clock.now(), attempts: 0, unschedulablePlugins: new Set(), backoffUntil: 0 };
    if (gated(pod)) this.gatedPods.set(pod.uid, q);
    else this.toActive(q);
  }

  /**
   * A newer version of a queued pod. With `retry` (its spec or labels changed), a pod waiting as
   * unschedulable or gated is looked at again.
   */
  update(pod: PodInfo, opts: { retry: boolean }): void {
    const uid = pod.uid;
    const inActive = this.active.get(uid);
    if (inActive) return this.active.push({ ...inActive, pod });
    const inBackoff = this.backoff.get(uid);
    if (inBackoff) return this.backoff.push({ ...inBackoff, pod });
    const flying = this.inFlight.get(uid);
    if (flying) {
      flying.pod = pod;
      return;
    }
    const waiting = this.unschedulable.get(uid) ?? this.gatedPods.get(uid);
    if (!waiting) return this.add(pod);
    if (!opts.retry) {
      waiting.pod = pod;
      return;
    }
    this.unschedulable.delete(uid);
    this.gatedPods.delete(uid);
    const q = { ...waiting, pod, unschedulablePlugins: new Set<string>() };
    if (gated(pod)) this.gatedPods.set(uid, q);
    else this.toActiveOrBackoff(q);
  }

  delete(uid: string): void {
    this.active.remove(uid);
    this.backoff.remove(uid);
    this.unschedulable.delete(uid);
    this.gatedPods.delete(uid);
  }

  contains(uid: string): boolean {
    return this.active.has(uid) || this.backoff.has(uid) || this.unschedulable.has(uid) || this.gatedPods.has(uid) || this.inFlight.has(uid);
  }

  /** The next pod to schedule; waits for one; undefined once closed. */
  pop(): Promise<QueuedPod | undefined> {
    const next = this.take();
    if (next || this.closed) return Promise.resolve(next);
    return new Promise((resolve) => (this.waiter = resolve));
  }

  private take(): QueuedPod | undefined {
    const q = this.active.pop();
    if (!q) return undefined;
    this.cycle++;
    q.attempts++;
    this.inFlight.set(q.pod.uid, q);
    return q;
  }

  /** The pod's attempt is over (scheduled, or put back with one of the methods below). */
  done(uid: string): void {
    this.inFlight.delete(uid);
  }

  /**
   * Puts back a pod that fit nowhere in the attempt of scheduling cycle `cycle`: it waits for a
   * helpful event, unless one already happened during its attempt.
   */
  addUnschedulable(q: QueuedPod, opts: { cycle: number; plugins: ReadonlySet<string> }): void {
    this.inFlight.delete(q.pod.uid);
    if (this.closed) return;
    const next: QueuedPod = { ...q, timestamp: this.clock.now(), unschedulablePlugins: opts.plugins, backoffUntil: this.clock.now() + this.backoffMs(q.attempts) };
    if (this.moveRequestCycle >= opts.cycle) this.toActiveOrBackoff(next);
    else this.unschedulable.set(q.pod.uid, next);
  }

  /** Puts back a pod whose attempt failed for another reason (an error, a failed binding). */
  addBackoff(q: QueuedPod): void {
    this.inFlight.delete(q.pod.uid);
    if (this.closed) return;
    this.toActiveOrBackoff({ ...q, timestamp: this.clock.now(), unschedulablePlugins: new Set(), backoffUntil: this.clock.now() + this.backoffMs(q.attempts) });
  }

  /**
   * A cluster event happened: unschedulable pods rejected by a plugin in `interested` (or for no
   * recorded reason) go back to the active or backoff queue.
   */
  moveAll(interested: ReadonlySet<string>): void {
    this.moveRequestCycle = this.cycle;
    for (const [uid, q] of this.unschedulable) {
      if (q.unschedulablePlugins.size > 0 && !intersects(q.unschedulablePlugins, interested)) continue;
      this.unschedulable.delete(uid);
      this.toActiveOrBackoff(q);
    }
  }

  /** Runs the periodic flushes until the signal aborts; closing the queue wakes a waiting pop. */
  run(signal: AbortSignal): void {
    const every = (ms: number, fn: () => void): void => {
      const tick = (): void => {
        if (signal.aborted) return;
        fn();
        this.clock.setTimeout(tick, ms);
      };
      this.clock.setTimeout(tick, ms);
    };
    every(FLUSH_BACKOFF_MS, () => this.flushBackoff());
    every(FLUSH_UNSCHEDULABLE_MS, () => this.flushUnschedulable());
    signal.addEventListener('abort', () => this.close(), { once: true });
  }

  close(): void {
    this.closed = true;
    const w = this.waiter;
    this.waiter = undefined;
    w?.(undefined);
  }

  flushBackoff(): void {
    const now = this.clock.now();
    for (let q = this.backoff.peek(); q && q.backoffUntil <= now; q = this.backoff.peek()) {
      this.backoff.pop();
      this.toActive(q);
    }
  }

  flushUnschedulable(): void {
    const now = this.clock.now();
    const max = this.o.maxUnschedulableMs ?? 5 * 60_000;
    for (const [uid, q] of this.unschedulable) {
      if (now - q.timestamp < max) continue;
      this.unschedulable.delete(uid);
      this.toActiveOrBackoff(q);
    }
  }

  private backoffMs(attempts: number): number {
    const initial = this.o.initialBackoffMs ?? 1000;
    const max = this.o.maxBackoffMs ?? 10_000;
    return Math.min(max, initial * 2 ** Math.max(0, attempts - 1));
  }

  private toActiveOrBackoff(q: QueuedPod): void {
    if (q.backoffUntil > this.clock.now()) this.backoff.push(q);
    else this.toActive(q);
  }

  private toActive(q: QueuedPod): void {
    const w = this.waiter;
    if (w && this.active.size === 0) {
      this.waiter = undefined;
      this.active.push(q);
      w(this.take());
      return;
    }
    this.active.push(q);
  }
}
