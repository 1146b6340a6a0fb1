// Runs the storage conformance suite against the sqlite driver, one fresh database file per test
// in a temporary directory that is removed afterwards; plus the driver's own concerns: reopening
// a store keeps revisions and compaction, a second process cannot open a store in use, and the
// write-ahead log is copied into the database file when writes pause rather than inside a commit.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runBackendConformance } from '../conformance.js';
import { CompactedError } from '../errors.js';
import { SqliteBackend } from './sqlite.js';

const dir = mkdtempSync(join(tmpdir(), 'tug-sqlite-test-'));
let n = 0;
after(() => rmSync(dir, { recursive: true, force: true }));

runBackendConformance('sqlite', async () => {
  const backend = new SqliteBackend({ path: join(dir, `store-${++n}.db`) });
  return { backend, cleanup: () => backend.close() };
});

describe('sqlite driver', () => {
  it('keeps revisions, values and the compacted revision across reopening', async () => {
    const path = join(dir, 'reopen.db');
    const first = new SqliteBackend({ path });
    const a = await first.create('/x/a', new TextEncoder().encode('a'));
    const b = await first.create('/x/b', new TextEncoder().encode('b'));
    await first.delete('/x/b');
    await first.compact(await first.currentRevision());
    const last = await first.currentRevision();
    await first.close();

    const second = new SqliteBackend({ path });
    try {
      // The deletion row was compacted away, yet the revision counter must not step back.
      assert.equal(await second.currentRevision(), last);
      assert.ok(last > b.modRevision);
      assert.deepEqual((await second.list('/x/')).items.map((kv) => kv.key), ['/x/a']);
      assert.equal((await second.get('/x/a'))?.createRevision, a.createRevision);
      await assert.rejects(second.list('/x/', { revision: a.modRevision }), CompactedError);
      const c = await second.create('/x/c', new TextEncoder().encode('c'));
      assert.equal(c.modRevision, last + 1);
    } finally {
      await second.close();
    }
  });

  it('refuses a second open of a store that is in use', async () => {
    const path = join(dir, 'locked.db');
    const first = new SqliteBackend({ path });
    try {
      await first.create('/x', new Uint8Array([1]));
      assert.throws(() => new SqliteBackend({ path }), /cannot open sqlite store/);
    } finally {
      await first.close();
    }
  });

  it('checkpoints the WAL once writes pause, not inside the writes', async () => {
    const path = join(dir, 'checkpoint-idle.db');
    const store = new SqliteBackend({ path, checkpointIdleMs: 50 });
    try {
      const dbBytes = (): number => statSync(path).size;
      const empty = dbBytes();
      // ~4 WAL pages per write: SQLite's own autocheckpoint (1,000 pages) would have copied
      // pages into the database file during these writes.
      for (let i = 0; i < 400; i++) await store.create(`/c/k-${i}`, new TextEncoder().encode(`value-${i}`.repeat(20)));
      assert.equal(dbBytes(), empty, 'no checkpoint inside the writes');
      assert.ok(statSync(`${path}-wal`).size > 400 * 4096, 'the writes are in the WAL');
      for (let waited = 0; dbBytes() === empty && waited < 5000; waited += 20) await sleep(20);
      assert.ok(dbBytes() > empty, 'the idle checkpoint copied the WAL into the database file');
      assert.equal((await store.list('/c/')).items.length, 400);
    } finally {
      await store.close();
    }
  });
});
