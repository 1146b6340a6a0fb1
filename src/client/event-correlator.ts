// Decides, for each event a component records, whether it becomes a new Event object, a count
// bump of one already written, or nothing at all — the correlation Kubernetes' client libraries
// do before anything reaches the API server:
// - the same thing happening again (same object, type, reason and message) bumps the count of
//   the Event already written;
// - once one source has said ten different things with the same reason about one object within
//   ten minutes, further ones fold into a single "(combined from similar events): ..." Event
//   whose count and message move on (a ReplicaSet creating 1,000 pods writes one, not 1,000);
// - each source may write about each object in bursts of 25, then once per five minutes; the
//   rest are dropped, their counts still carried by the next write that goes through.

export interface EventFacts {
  /** Who reports (component and host) and about which object (kind, namespace, name, uid). */
  source: string;
  object: string;
  type: string;
  reason: string;
  message: string;
}

export type Correlation =
  | { action: 'create'; key: string; message: string }
  | { action: 'patch'; key: string; message: string; count: number }
  | { action: 'skip' };

export const COMBINED_PREFIX = '(combined from similar events): ';

/** Kubernetes' defaults: 10 distinct messages per 10 minutes; 25 writes, then 1 per 300 s. */
export interface CorrelatorLimits {
  maxDistinct: number;
  intervalMs: number;
  burst: number;
  refillMs: number;
  /** Entries kept per table before the oldest are forgotten. */
  maxEntries: number;
}

export const DEFAULT_LIMITS: CorrelatorLimits = { maxDistinct: 10, intervalMs: 600_000, burst: 25, refillMs: 300_000, maxEntries: 4096 };

interface Similar {
  messages: Set<string>;
  lastMs: number;
}

interface Bucket {
  tokens: number;
  lastMs: number;
}

/** A Map that forgets its oldest entries beyond a size (insertion order; touched entries move last). */
class Bounded<V> {
  private readonly m = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(k: string): V | undefined {
    const v = this.m.get(k);
    if (v !== undefined) {
      this.m.delete(k);
      this.m.set(k, v);
    }
    return v;
  }
  set(k: string, v: V): void {
    this.m.delete(k);
    this.m.set(k, v);
    if (this.m.size > this.max) this.m.delete(this.m.keys().next().value as string);
  }
}

export class EventCorrelator {
  private readonly similar: Bounded<Similar>;
  private readonly counts: Bounded<number>;
  private readonly buckets: Bounded<Bucket>;

  constructor(private readonly limits: CorrelatorLimits = DEFAULT_LIMITS) {
    this.similar = new Bounded(limits.maxEntries);
    this.counts = new Bounded(limits.maxEntries);
    this.buckets = new Bounded(limits.maxEntries);
  }

  correlate(e: EventFacts, nowMs: number): Correlation {
    const groupKey = `${e.source}\u0000${e.object}\u0000${e.type}\u0000${e.reason}`;
    let group = this.similar.get(groupKey);
    if (!group || nowMs - group.lastMs > this.limits.intervalMs) group = { messages: new Set(), lastMs: nowMs };
    group.messages.add(e.message);
    group.lastMs = nowMs;
    this.similar.set(groupKey, group);
    const combined = group.messages.size >= this.limits.maxDistinct;
    const key = combined ? `${groupKey}\u0000*` : `${groupKey}\u0000${e.message}`;
    const message = combined ? `${COMBINED_PREFIX}${e.message}` : e.message;

    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    if (!this.take(`${e.source}\u0000${e.object}`, nowMs)) return { action: 'skip' };
    return count === 1 ? { action: 'create', key, message } : { action: 'patch', key, message, count };
  }

  private take(key: string, nowMs: number): boolean {
    const b = this.buckets.get(key) ?? { tokens: this.limits.burst, lastMs: nowMs };
    b.tokens = Math.min(this.limits.burst, b.tokens + (nowMs - b.lastMs) / this.limits.refillMs);
    b.lastMs = nowMs;
    this.buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}
