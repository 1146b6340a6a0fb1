// The watch and compaction half of the storage conformance suite (conformance.ts runs it inside
// its own describe block). Watches are checked for what the apiserver's watch cache relies on:
// history replay followed by live events with no gap and no duplicate, prefix filtering, delete
// events that carry the last value, and a distinct CompactedError for forgotten history.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Backend, WatchEvent, WatchOptions } from './backend.js';
import { CompactedError, FutureRevisionError } from './errors.js';

export type ConformanceTest = (title: string, fn: (b: Backend) => Promise<void>) => void;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const bytes = (s: string): Uint8Array => encoder.encode(s);
const text = (b: Uint8Array): string => decoder.decode(b);

/** Enough for a real etcd on loopback to deliver anything still in flight. */
const SETTLE_MS = 150;

/** Gathers what one watch delivers, and waits for it. */
class Collector {
  readonly events: WatchEvent[] = [];
  readonly errors: Error[] = [];
  private readonly controller = new AbortController();

  options(afterRevision: number): WatchOptions {
    return {
      afterRevision,
      signal: this.controller.signal,
      onEvents: (events) => this.events.push(...events),
      onError: (err) => this.errors.push(err),
    };
  }

  /** Waits until at least `n` events arrived, failing on a watch error or after `timeoutMs`. */
  async until(n: number, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.events.length < n) {
      if (this.errors.length > 0) throw this.errors[0];
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${n} events; got ${JSON.stringify(this.summary())}`);
      }
      await sleep(5);
    }
  }

  /** Waits a moment more and checks nothing else (a duplicate, an error) arrives. */
  async settledAt(n: number): Promise<void> {
    await this.until(n);
    await sleep(SETTLE_MS);
    assert.deepEqual(this.errors, []);
    assert.equal(this.events.length, n, JSON.stringify(this.summary()));
  }

  summary(): string[] {
    return this.events.map((e) => `${e.type} ${e.kv.key}=${text(e.kv.value)}`);
  }

  stop(): void {
    this.controller.abort();
  }
}

function assertIncreasing(events: WatchEvent[]): void {
  for (let i = 1; i < events.length; i++) {
    assert.ok(events[i]!.kv.modRevision > events[i - 1]!.kv.modRevision, 'event revisions must increase');
  }
}

export function runWatchConformance(test: ConformanceTest): void {
  test('watch replays history after a revision, then live events, in order', async (b) => {
    const a1 = await b.create('/w/a', bytes('a1'));
    await b.update('/w/a', bytes('a2'), { expectedRevision: a1.modRevision });
    const b1 = await b.create('/w/b', bytes('b1'));
    await b.delete('/w/a');
    const watch = new Collector();
    try {
      await b.watch('/w/', watch.options(a1.modRevision));
      await watch.until(3);
      await b.create('/w/c', bytes('c1'));
      const b2 = await b.update('/w/b', bytes('b2'), { expectedRevision: b1.modRevision });
      await watch.settledAt(5);
      assert.deepEqual(watch.summary(), ['put /w/a=a2', 'put /w/b=b1', 'delete /w/a=a2', 'put /w/c=c1', 'put /w/b=b2']);
      assertIncreasing(watch.events);
      assert.ok(watch.events[0]!.kv.modRevision > a1.modRevision);
      assert.equal(watch.events[4]!.kv.modRevision, b2.modRevision);
      const replayedUpdate = watch.events[0]!;
      const liveUpdate = watch.events[4]!;
      assert.ok(replayedUpdate.type === 'put' && liveUpdate.type === 'put');
      assert.equal(text(replayedUpdate.prev!.value), 'a1');
      assert.equal(text(liveUpdate.prev!.value), 'b1');
      assert.equal(liveUpdate.prev!.modRevision, b1.modRevision);
      assert.equal(liveUpdate.kv.createRevision, b1.createRevision);
    } finally {
      watch.stop();
    }
  });

  test('watch from the current revision sees only later writes, filtered by prefix', async (b) => {
    await b.create('/wp/a/0', bytes('old'));
    const watch = new Collector();
    try {
      await b.watch('/wp/a/', watch.options(await b.currentRevision()));
      for (const key of ['/wp/a/1', '/wp/ab/1', '/wp/b/1', '/wp/a', '/wp/a/2']) await b.create(key, bytes('v'));
      await watch.settledAt(2);
      assert.deepEqual(watch.summary(), ['put /wp/a/1=v', 'put /wp/a/2=v']);
      assert.equal(watch.events[0]!.type === 'put' && watch.events[0]!.prev, undefined);
    } finally {
      watch.stop();
    }
  });

  test('delete events carry the last value and the deletion revision', async (b) => {
    const v1 = await b.create('/wd/x', bytes('v1'));
    await b.update('/wd/x', bytes('v2'), { expectedRevision: v1.modRevision });
    const watch = new Collector();
    try {
      await b.watch('/wd/', watch.options(await b.currentRevision()));
      const gone = await b.delete('/wd/x');
      await watch.settledAt(1);
      const event = watch.events[0]!;
      assert.equal(event.type, 'delete');
      assert.equal(text(event.kv.value), 'v2');
      assert.equal(event.kv.modRevision, gone.modRevision);
      assert.equal(event.kv.createRevision, v1.createRevision);
    } finally {
      watch.stop();
    }
  });

  test('a stopped watch delivers nothing more and reports no error', async (b) => {
    const watch = new Collector();
    await b.watch('/ws/', watch.options(await b.currentRevision()));
    await b.create('/ws/1', bytes('1'));
    await watch.until(1);
    watch.stop();
    await b.create('/ws/2', bytes('2'));
    await sleep(SETTLE_MS);
    assert.deepEqual(watch.summary(), ['put /ws/1=1']);
    assert.deepEqual(watch.errors, []);
  });

  test('a watch from a future revision waits for it', async (b) => {
    const now = await b.currentRevision();
    const watch = new Collector();
    try {
      await b.watch('/wf/', watch.options(now + 2));
      for (const n of [1, 2, 3]) await b.create(`/wf/${n}`, bytes(String(n)));
      await watch.settledAt(1);
      assert.deepEqual(watch.summary(), ['put /wf/3=3']);
    } finally {
      watch.stop();
    }
  });

  test('closing the backend ends its watches through onError', async (b) => {
    const watch = new Collector();
    await b.watch('/wc/', watch.options(await b.currentRevision()));
    await b.close();
    const deadline = Date.now() + 5000;
    while (watch.errors.length === 0 && Date.now() < deadline) await sleep(5);
    await sleep(SETTLE_MS);
    assert.equal(watch.errors.length, 1);
    watch.stop();
  });

  test('compaction forgets history below it but keeps current values', async (b) => {
    const a1 = await b.create('/k/a', bytes('a1'));
    const a2 = await b.update('/k/a', bytes('a2'), { expectedRevision: a1.modRevision });
    await b.create('/k/b', bytes('b1'));
    await b.delete('/k/b');
    const c1 = await b.create('/k/c', bytes('c1'));
    const compactAt = c1.modRevision;
    await b.compact(compactAt);
    await b.create('/k/d', bytes('d1'));

    await assert.rejects(b.list('/k/', { revision: a1.modRevision }), (err) => {
      assert.ok(err instanceof CompactedError, String(err));
      assert.equal(err.requested, a1.modRevision);
      assert.ok(err.compacted >= compactAt);
      return true;
    });
    const early = new Collector();
    await assert.rejects(b.watch('/k/', early.options(a1.modRevision)), CompactedError);
    early.stop();

    const now = await b.list('/k/');
    assert.deepEqual(now.items.map((kv) => `${kv.key}=${text(kv.value)}`), ['/k/a=a2', '/k/c=c1', '/k/d=d1']);
    assert.equal(now.items[0]!.modRevision, a2.modRevision);
    assert.equal(now.items[0]!.createRevision, a1.createRevision);
    const atCompaction = await b.list('/k/', { revision: compactAt });
    assert.deepEqual(atCompaction.items.map((kv) => kv.key), ['/k/a', '/k/c']);

    const watch = new Collector();
    try {
      await b.watch('/k/', watch.options(compactAt));
      await watch.settledAt(1);
      assert.deepEqual(watch.summary(), ['put /k/d=d1']);
    } finally {
      watch.stop();
    }

    // Compacting again, or at an older revision, is a no-op; the future is refused.
    await b.compact(compactAt);
    await b.compact(a2.modRevision);
    await assert.rejects(b.compact((await b.currentRevision()) + 100), FutureRevisionError);
    assert.equal((await b.list('/k/')).items.length, 3);
  });
}
