// Records core/v1 Events about objects, the way Kubernetes components do: one Event per
// (object, reason, message, source), whose count and lastTimestamp grow when the same thing
// happens again, so `kubectl describe` and `kubectl get events` tell the story without floods.
import { randomBytes } from 'node:crypto';
import type { ApiObject } from '../api/kind.js';
import { eventKind } from '../api/core/v1/index.js';
import { StatusError } from '../lib/errors.js';
import type { Client } from './client.js';

export type EventType = 'Normal' | 'Warning';

export interface EventRecorder {
  /** Fire-and-forget: failures are reported to the recorder's onError, never thrown. */
  event(obj: ApiObject, type: EventType, reason: string, message: string): void;
}

interface Recorded {
  name: string;
  namespace: string;
  count: number;
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
  private readonly seen = new Map<string, Recorded>();
  private readonly pending: (() => Promise<void>)[] = [];
  private inFlight = 0;
  private dropped = 0;

  constructor(
    private readonly client: Client,
    private readonly component: string,
    private readonly opts: { host?: string; now?: () => Date; onError?(err: unknown): void } = {},
  ) {}

  event(obj: ApiObject, type: EventType, reason: string, message: string): void {
    if (this.pending.length >= MAX_QUEUED) {
      this.dropped += 1;
      if (this.dropped === 1 || this.dropped % 1000 === 0) this.opts.onError?.(new Error(`event queue full (${MAX_QUEUED} waiting): ${this.dropped} event(s) dropped so far`));
      return;
    }
    const now = (this.opts.now ?? (() => new Date()))();
    this.pending.push(() => this.record(obj, { type, reason, message, now }));
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

  private async record(obj: ApiObject, e: { type: EventType; reason: string; message: string; now: Date }): Promise<void> {
    const { type, reason, message, now } = e;
    const m = obj.metadata ?? {};
    const namespace = m.namespace || 'default';
    const key = `${m.uid ?? ''}|${reason}|${message}|${type}`;
    const prev = this.seen.get(key);
    if (prev) {
      prev.count += 1;
      try {
        await this.client.patch(eventKind, prev.namespace, prev.name, { type: 'merge', body: { count: prev.count, lastTimestamp: ts(now) } });
        return;
      } catch (err) {
        if (!(err instanceof StatusError && err.reason === 'NotFound')) throw err;
      }
    }
    const name = `${m.name ?? 'unknown'}.${randomBytes(8).toString('hex')}`;
    const ev: ApiObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: { kind: obj.kind, namespace: m.namespace, name: m.name, uid: m.uid, apiVersion: obj.apiVersion, resourceVersion: m.resourceVersion },
      reason,
      message,
      type,
      source: { component: this.component, ...(this.opts.host ? { host: this.opts.host } : {}) },
      reportingComponent: this.component,
      reportingInstance: this.opts.host ?? this.component,
      firstTimestamp: ts(now),
      lastTimestamp: ts(now),
      count: 1,
    };
    if (this.seen.size > 4096) this.seen.clear();
    this.seen.set(key, { name, namespace, count: 1 });
    await this.client.create(eventKind, namespace, ev);
  }
}
