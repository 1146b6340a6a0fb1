// Records one watch stream for integration tests: lists first (the starting state), then watches
// from that list's resourceVersion and keeps, in the server's order, every event and the state it
// produced. Tests check invariants on every step of a rollout (`onEvent` sees the state after each
// event) and the order in which things happened (indexes into `events`).
import type { ApiObject, KindDef } from '../../src/api/kind.js';
import type { Client, WatchEvent } from '../../src/client/index.js';
import { setTimeout as sleep } from 'node:timers/promises';

export interface WatchLogOptions<T extends ApiObject> {
  namespace?: string;
  labelSelector?: string;
  /** Called after each event has been applied to `state`. */
  onEvent?(e: WatchEvent<T>, state: ReadonlyMap<string, T>): void;
}

export class WatchLog<T extends ApiObject> {
  readonly events: WatchEvent<T>[] = [];
  /** Objects by name as of the last event. */
  readonly state = new Map<string, T>();
  /** Set if the stream broke or sent an ERROR event; a broken log would check nothing. */
  failure: Error | undefined;
  private readonly abort = new AbortController();
  private done: Promise<void> = Promise.resolve();

  private constructor(private readonly o: WatchLogOptions<T>) {}

  static async start<T extends ApiObject>(client: Client, kind: KindDef, o: WatchLogOptions<T> = {}): Promise<WatchLog<T>> {
    const log = new WatchLog<T>(o);
    const list = await client.list<T>(kind, o.namespace, { labelSelector: o.labelSelector });
    for (const item of list.items) log.state.set(item.metadata?.name ?? '', item);
    log.done = client
      .watch<T>(kind, o.namespace, { labelSelector: o.labelSelector, resourceVersion: list.metadata.resourceVersion, signal: log.abort.signal }, (e) => log.apply(e))
      .then(
        () => {
          if (!log.abort.signal.aborted) log.failure ??= new Error('watch ended early');
        },
        (err: unknown) => {
          log.failure ??= err instanceof Error ? err : new Error(String(err));
        },
      );
    return log;
  }

  private apply(e: WatchEvent<T>): void {
    if (e.type === 'BOOKMARK') return;
    if (e.type === 'ERROR') {
      this.failure ??= new Error(`watch error: ${JSON.stringify(e.object)}`);
      return;
    }
    const name = e.object.metadata?.name ?? '';
    if (e.type === 'DELETED') this.state.delete(name);
    else this.state.set(name, e.object);
    this.events.push(e);
    try {
      this.o.onEvent?.(e, this.state);
    } catch (err) {
      this.failure ??= err instanceof Error ? err : new Error(String(err));
    }
  }

  /** Waits until `pred` holds on the current state; a stream failure ends the wait at once. */
  async until(pred: (state: ReadonlyMap<string, T>) => boolean, o: { timeoutMs?: number; what?: string } = {}): Promise<void> {
    const deadline = Date.now() + (o.timeoutMs ?? 30_000);
    for (;;) {
      if (this.failure) throw this.failure;
      if (pred(this.state)) return;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${o.what ?? 'condition'}`);
      await sleep(50);
    }
  }

  /** Index of the first event matching `pred`, or -1. */
  indexOf(pred: (e: WatchEvent<T>) => boolean): number {
    return this.events.findIndex(pred);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.done;
  }
}
