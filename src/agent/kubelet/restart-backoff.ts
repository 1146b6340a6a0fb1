// Crash-loop back-off for container restarts, with Kubernetes' semantics: the first restart is
// immediate, then a container that exits again waits 10 s after it finished, then 20 s, 40 s, ...
// up to 5 min; once a container stays up (its next exit comes more than twice the maximum after
// the last restart) the back-off starts over. Times come from the kubelet's clock.
import type { Clock } from '../../lib/workqueue.js';

interface Entry {
  backoffMs: number;
  lastUpdate: number;
}

export class RestartBackoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    private readonly o: { initialMs: number; maxMs: number },
  ) {}

  private expired(e: Entry, eventTime: number): boolean {
    return eventTime - e.lastUpdate > 2 * this.o.maxMs;
  }

  /** How long a container that finished at `finishedAt` must still wait; 0 if it may restart now. */
  remaining(key: string, finishedAt: number): number {
    const e = this.entries.get(key);
    if (!e || this.expired(e, finishedAt)) return 0;
    return Math.max(0, e.backoffMs - (this.clock.now() - finishedAt));
  }

  /** The current back-off window, for messages such as "back-off 20s restarting ...". */
  current(key: string): number {
    return this.entries.get(key)?.backoffMs ?? this.o.initialMs;
  }

  /** Records a restart: the next one waits twice as long (or the initial delay after a calm spell). */
  next(key: string, finishedAt: number): void {
    const e = this.entries.get(key);
    const backoffMs = !e || this.expired(e, finishedAt) ? this.o.initialMs : Math.min(this.o.maxMs, e.backoffMs * 2);
    this.entries.set(key, { backoffMs, lastUpdate: this.clock.now() });
  }

  /** Drops every entry whose key starts with `prefix` (a pod's uid). */
  forget(prefix: string): void {
    for (const k of this.entries.keys()) if (k.startsWith(prefix)) this.entries.delete(k);
  }
}

/** Go's time.Duration formatting, which kubectl users see in back-off messages: 10s, 1m20s, 5m0s, 200ms. */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const totalSeconds = ms / 1000;
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = Number((totalSeconds % 60).toFixed(3));
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}
