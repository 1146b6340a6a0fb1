// Records core/v1 Events about objects, the way Kubernetes components do: one Event per
// (object, reason, message, source), whose count and lastTimestamp grow when the same thing
// happens again; similar events folded into one and a per-object budget (event-correlator.ts),
// so `kubectl describe` and `kubectl get events` tell the story without floods.
import { randomBytes } from 'node:crypto';
import type { ApiObject } from '../api/kind.js';
import { eventKind } from '../api/refs/index.js';
import { StatusError } from '../lib/errors.js';
import type { Client } from './client.js';
import { EventCorrelator, type CorrelatorLimits } from './event-correlator.js';

export type EventType = 'Normal' | 'Warning';

export interface EventRecorder {
  /** Fire-and-forget: failures are reported to the recorder's onError, never thrown. */
  event(obj: ApiObject, type: EventType, reason: string, message: string): void;
}

interface Written {
  name: string;
  namespace: string;
}

interface Write {
  obj: ApiObject;
  type: EventType;
  reason: string;
  message: string;
  now: Date;
  /** The correlator's key for the Event, its count (1 for a new one) and where it was written. */
  key: string;
  count: number;
  target: Written;
}

const ts = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Events waiting to be written, beyond which new ones are dropped (and the drop reported), as
 * client-go's event broadcaster drops events when its queue is full: events are a best-effort
 * story for users, and under a burst (a scheduler binding thousands of pods) they must not crowd
 * out the writes the cluster needs. Writes go out a few at a time, in the order they happened.
 */
const MAX_QUEUED = 1000;
const MAX_IN_FLIGHT = 4;

export class ApiEventRecorder implements EventRecorder {
  private readonly correlator: EventCorrelator;
  private readonly written = new Map<string, Written>();
  private readonly pending: (() => Promise<void>)[] = [];
  private inFlight = 0;
  private dropped = 0;

  constructor(
    private readonly client: Client,
    private readonly component: string,
    private readonly opts: { host?: string; now?: () => Date; onError?(err: unknown): void; limits?: CorrelatorLimits } = {},
  ) {
    this.correlator = new EventCorrelator(opts.limits);
  }

  event(obj: ApiObject, type: EventType, reason: string, message: string): void {
    const now = (this.opts.now ?? (() => new Date()))();
    const m = obj.metadata ?? {};
    const object = `${obj.apiVersion ?? ''}\u0000${obj.kind ?? ''}\u0000${m.namespace ?? ''}\u0000${m.name ?? ''}\u0000${m.uid ?? ''}`;
    const c = this.correlator.correlate({ source: `${this.component}\u0000${this.opts.host ?? ''}`, object, type, reason, message }, now.getTime());
    if (c.action === 'skip') return;
    if (this.pending.length >= MAX_QUEUED) {
      this.dropped += 1;
      if (this.dropped === 1 || this.dropped % 1000 === 0) this.opts.onError?.(new Error(`event queue full (${MAX_QUEUED} waiting): ${this.dropped} event(s) dropped so far`));
      return;
    }
    // A count bump of an Event this recorder has not written (the first went over the budget,
    // or was forgotten) becomes a new Event carrying the count so far.
    let target = c.action === 'patch' ? this.written.get(c.key) : undefined;
    if (!target) {
      target = { name: `${m.name ?? 'unknown'}.${randomBytes(8).toString('hex')}`, namespace: m.namespace || 'default' };
      if (this.written.size >= 4096) this.written.clear();
      this.written.set(c.key, target);
    }
    const w: Write = { obj, type, reason, message: c.message, now, key: c.key, count: c.action === 'patch' ? c.count : 1, target };
    this.pending.push(() => this.record(w));
    this.pump();
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.pending.length > 0) {
      const write = this.pending.shift() as () => Promise<void>;
      this.inFlight += 1;
      void write()
        .catch((err: unknown) => this.opts.onError?.(err))
        .finally(() => {
          this.inFlight -= 1;
          this.pump();
        });
    }
  }

  private async record(w: Write): Promise<void> {
    const { obj, type, reason, message, now, target } = w;
    const bump = (): Promise<unknown> =>
      this.client.patch(eventKind, target.namespace, target.name, { type: 'merge', body: { count: w.count, message, lastTimestamp: ts(now) } });
    if (w.count > 1) {
      try {
        await bump();
        return;
      } catch (err) {
        if (!(err instanceof StatusError && err.reason === 'NotFound')) throw err;
      }
    }
    const m = obj.metadata ?? {};
    const ev: ApiObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: target.name, namespace: target.namespace },
      involvedObject: { kind: obj.kind, namespace: m.namespace, name: m.name, uid: m.uid, apiVersion: obj.apiVersion, resourceVersion: m.resourceVersion },
      reason,
      message,
      type,
      source: { component: this.component, ...(this.opts.host ? { host: this.opts.host } : {}) },
      reportingComponent: this.component,
      reportingInstance: this.opts.host ?? this.component,
      firstTimestamp: ts(now),
      lastTimestamp: ts(now),
      count: w.count,
    };
    try {
      await this.client.create(eventKind, target.namespace, ev);
    } catch (err) {
      // The create of the same Event, still in flight when this bump found nothing, got there first.
      if (w.count > 1 && err instanceof StatusError && err.reason === 'AlreadyExists') {
        await bump();
        return;
      }
      // Later count bumps then create it afresh instead of patching what does not exist.
      if (this.written.get(w.key) === target) this.written.delete(w.key);
      throw err;
    }
  }
}
