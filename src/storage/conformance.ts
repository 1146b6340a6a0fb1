// The one conformance suite every storage driver runs (memory, sqlite, etcd): it pins down the
// Backend contract in backend.ts as tests, so that the apiserver can rely on etcd semantics
// whichever store is underneath. A driver's test file calls `runBackendConformance` with a
// factory; each test gets a fresh, empty backend (for etcd: a fresh key prefix in a shared etcd,
// which is why revisions are compared with each other and never with fixed numbers).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Backend, KeyValue } from './backend.js';
import { runWatchConformance } from './conformance-watch.js';
import type { ConformanceTest } from './conformance-watch.js';
import { KeyExistsError, KeyNotFoundError, RevisionMismatchError, FutureRevisionError } from './errors.js';

export interface BackendFixture {
  backend: Backend;
  cleanup(): Promise<void>;
}

export type BackendFactory = () => Promise<BackendFixture>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const bytes = (s: string): Uint8Array => encoder.encode(s);
const text = (b: Uint8Array): string => decoder.decode(b);

/** Runs `fn` against a fresh backend and always cleans it up. */
async function withBackend(factory: BackendFactory, fn: (b: Backend) => Promise<void>): Promise<void> {
  const fixture = await factory();
  try {
    await fn(fixture.backend);
  } finally {
    await fixture.cleanup();
  }
}

const keysOf = (items: KeyValue[]): string[] => items.map((kv) => kv.key);

export function runBackendConformance(name: string, makeBackend: BackendFactory): void {
  const test: ConformanceTest = (title, fn) => {
    it(title, () => withBackend(makeBackend, fn));
  };

  describe(`storage conformance: ${name}`, () => {
    test('revisions strictly increase and are shared by all keys', async (b) => {
      const start = await b.currentRevision();
      const a = await b.create('/r/a', bytes('1'));
      const c = await b.create('/r/c', bytes('1'));
      const a2 = await b.update('/r/a', bytes('2'), { expectedRevision: a.modRevision });
      const gone = await b.delete('/r/c');
      const revs = [start, a.modRevision, c.modRevision, a2.modRevision, gone.modRevision];
      for (let i = 1; i < revs.length; i++) assert.ok(revs[i]! > revs[i - 1]!, `revisions ${revs.join(',')}`);
      assert.equal(a.createRevision, a.modRevision);
      assert.equal(a2.createRevision, a.createRevision);
      assert.equal(await b.currentRevision(), gone.modRevision);
    });

    test('create only creates an absent key', async (b) => {
      const first = await b.create('/c/x', bytes('first'));
      await assert.rejects(b.create('/c/x', bytes('second')), KeyExistsError);
      const got = await b.get('/c/x');
      assert.equal(text(got!.value), 'first');
      assert.equal(got!.modRevision, first.modRevision);
    });

    test('get returns the stored bytes exactly, or undefined', async (b) => {
      const binary = Uint8Array.from([0, 1, 2, 255, 0, 128]);
      const kv = await b.create('/g/bin', binary);
      await b.create('/g/empty', new Uint8Array(0));
      const got = await b.get('/g/bin');
      assert.deepEqual(Array.from(got!.value), Array.from(binary));
      assert.deepEqual({ ...got!, value: null }, { ...kv, value: null });
      assert.equal((await b.get('/g/empty'))!.value.length, 0);
      assert.equal(await b.get('/g/missing'), undefined);
    });

    test('list by prefix is sorted and does not match siblings', async (b) => {
      for (const key of ['/a/b/2', '/a/b/1', '/a/bc/1', '/a/b', '/a/b/1/x', '/b/1']) await b.create(key, bytes(key));
      const res = await b.list('/a/b/');
      assert.deepEqual(keysOf(res.items), ['/a/b/1', '/a/b/1/x', '/a/b/2']);
      assert.equal(text(res.items[0]!.value), '/a/b/1');
      assert.equal(res.more, false);
      assert.equal(res.revision, await b.currentRevision());
      assert.deepEqual(keysOf((await b.list('/a/')).items), ['/a/b', '/a/b/1', '/a/b/1/x', '/a/b/2', '/a/bc/1']);
      assert.deepEqual((await b.list('/nothing/')).items, []);
    });

    test('keys sort by their UTF-8 bytes, as etcd sorts them', async (b) => {
      const keys = ['/u/a', '/u/\u00e9', '/u/\uffee', '/u/\u{1f600}', '/u/\u{1f600}/x'];
      for (const key of [...keys].reverse()) await b.create(key, bytes(key));
      assert.deepEqual(keysOf((await b.list('/u/')).items), keys);
      assert.deepEqual(keysOf((await b.list('/u/\u{1f600}/')).items), ['/u/\u{1f600}/x']);
      assert.deepEqual(keysOf((await b.list('/u/', { startAfter: '/u/\uffee' })).items), keys.slice(3));
    });

    test('limit and startAfter page through a list at a fixed revision', async (b) => {
      for (const n of [1, 2, 3, 4, 5]) await b.create(`/p/k${n}`, bytes(String(n)));
      const page1 = await b.list('/p/', { limit: 2 });
      assert.deepEqual(keysOf(page1.items), ['/p/k1', '/p/k2']);
      assert.equal(page1.more, true);
      // Writes between pages must not show up in pages read at the first page's revision.
      await b.create('/p/k3a', bytes('late'));
      await b.delete('/p/k5');
      const at = { limit: 2, revision: page1.revision };
      const page2 = await b.list('/p/', { ...at, startAfter: '/p/k2' });
      assert.deepEqual(keysOf(page2.items), ['/p/k3', '/p/k4']);
      assert.equal(page2.more, true);
      const page3 = await b.list('/p/', { ...at, startAfter: '/p/k4' });
      assert.deepEqual(keysOf(page3.items), ['/p/k5']);
      assert.equal(page3.more, false);
      assert.equal(page3.revision, page1.revision);
      const exact = await b.list('/p/', { limit: 5, revision: page1.revision });
      assert.equal(exact.items.length, 5);
      assert.equal(exact.more, false);
      const now = await b.list('/p/', { startAfter: '/p/k3' });
      assert.deepEqual(keysOf(now.items), ['/p/k3a', '/p/k4']);
    });

    test('list at a past revision sees old values and keys deleted since', async (b) => {
      const a1 = await b.create('/h/a', bytes('a1'));
      const bb = await b.create('/h/b', bytes('b1'));
      const past = bb.modRevision;
      const a2 = await b.update('/h/a', bytes('a2'), { expectedRevision: a1.modRevision });
      await b.delete('/h/b');
      await b.create('/h/c', bytes('c1'));
      const then = await b.list('/h/', { revision: past });
      assert.equal(then.revision, past);
      assert.deepEqual(keysOf(then.items), ['/h/a', '/h/b']);
      assert.equal(text(then.items[0]!.value), 'a1');
      assert.equal(then.items[0]!.modRevision, a1.modRevision);
      const now = await b.list('/h/');
      assert.deepEqual(keysOf(now.items), ['/h/a', '/h/c']);
      assert.equal(now.items[0]!.modRevision, a2.modRevision);
      const future = (await b.currentRevision()) + 100;
      await assert.rejects(b.list('/h/', { revision: future }), FutureRevisionError);
    });

    test('update is a compare-and-swap on modRevision', async (b) => {
      const v1 = await b.create('/u/x', bytes('v1'));
      const v2 = await b.update('/u/x', bytes('v2'), { expectedRevision: v1.modRevision });
      assert.ok(v2.modRevision > v1.modRevision);
      assert.equal(v2.createRevision, v1.createRevision);
      assert.equal(text(v2.value), 'v2');
      await assert.rejects(b.update('/u/x', bytes('stale'), { expectedRevision: v1.modRevision }), (err) => {
        assert.ok(err instanceof RevisionMismatchError);
        assert.equal(err.current.modRevision, v2.modRevision);
        assert.equal(text(err.current.value), 'v2');
        return true;
      });
      assert.equal(text((await b.get('/u/x'))!.value), 'v2');
      await assert.rejects(b.update('/u/missing', bytes('x'), { expectedRevision: v1.modRevision }), KeyNotFoundError);
      await assert.rejects(b.update('/u/missing', bytes('x'), { expectedRevision: 0 }), KeyNotFoundError);
    });

    test('delete honours expectedRevision and returns the last value', async (b) => {
      const v1 = await b.create('/d/x', bytes('v1'));
      const v2 = await b.update('/d/x', bytes('v2'), { expectedRevision: v1.modRevision });
      await assert.rejects(b.delete('/d/x', { expectedRevision: v1.modRevision }), (err) => {
        assert.ok(err instanceof RevisionMismatchError);
        assert.equal(err.current.modRevision, v2.modRevision);
        return true;
      });
      const gone = await b.delete('/d/x', { expectedRevision: v2.modRevision });
      assert.equal(text(gone.value), 'v2');
      assert.equal(gone.createRevision, v1.createRevision);
      assert.ok(gone.modRevision > v2.modRevision);
      assert.equal(gone.modRevision, await b.currentRevision());
      assert.equal(await b.get('/d/x'), undefined);
      await assert.rejects(b.delete('/d/x'), KeyNotFoundError);
      await assert.rejects(b.delete('/d/never', { expectedRevision: 1 }), KeyNotFoundError);
      await b.create('/d/y', bytes('y'));
      assert.equal(text((await b.delete('/d/y')).value), 'y');
    });

    test('count counts current keys under a prefix', async (b) => {
      for (const key of ['/n/a/1', '/n/a/2', '/n/a/3', '/n/ab/1']) await b.create(key, bytes('x'));
      await b.delete('/n/a/2');
      assert.equal(await b.count('/n/a/'), 2);
      assert.equal(await b.count('/n/'), 3);
      assert.equal(await b.count('/none/'), 0);
    });

    test('concurrent creates of one key: exactly one wins', async (b) => {
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => b.create('/race/x', bytes(`writer-${i}`))),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.equal(won.length, 1);
      for (const r of lost) assert.ok(r.reason instanceof KeyExistsError, String(r.reason));
      const winner = (won[0] as PromiseFulfilledResult<KeyValue>).value;
      assert.equal(text((await b.get('/race/x'))!.value), text(winner.value));
    });

    test('a create after a delete starts a new createRevision', async (b) => {
      const first = await b.create('/re/x', bytes('one'));
      await b.delete('/re/x');
      const second = await b.create('/re/x', bytes('two'));
      assert.ok(second.createRevision > first.createRevision);
      assert.equal(second.createRevision, second.modRevision);
      const got = await b.get('/re/x');
      assert.equal(got!.createRevision, second.createRevision);
      assert.equal(text(got!.value), 'two');
    });

    runWatchConformance(test);
  });
}
