// Tests of the storage package's public helpers: choosing a driver from a DSN, and the
// guaranteedUpdate retry loop (run on the memory driver; its CAS semantics are the conformance
// suite's business).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { guaranteedUpdate, KeyNotFoundError, openBackend } from './index.js';
import { EtcdBackend } from './drivers/etcd.js';
import { MemoryBackend } from './drivers/memory.js';
import { SqliteBackend } from './drivers/sqlite.js';

const dir = mkdtempSync(join(tmpdir(), 'tug-storage-index-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('openBackend', () => {
  it('picks the driver from the DSN scheme', async () => {
    const cases: Array<[string, abstract new (...args: never[]) => unknown]> = [
      ['memory://', MemoryBackend],
      [`sqlite://${join(dir, 'a.db')}`, SqliteBackend],
      [join(dir, 'plain', 'b.db'), SqliteBackend],
      ['etcd://127.0.0.1:2379,127.0.0.2:2379', EtcdBackend],
    ];
    for (const [dsn, driver] of cases) {
      const backend = await openBackend(dsn);
      try {
        assert.ok(backend instanceof driver, dsn);
      } finally {
        await backend.close();
      }
    }
  });

  it('refuses unknown schemes and malformed locations', async () => {
    await assert.rejects(openBackend('mysql://db:3306/tug'), /unknown datastore "mysql"/);
    await assert.rejects(openBackend('etcd://'), /at least one host:port/);
    await assert.rejects(openBackend('etcd://no-port'), /not host:port/);
    await assert.rejects(openBackend('sqlite://'), /needs a file path/);
  });
});

describe('guaranteedUpdate', () => {
  const bytes = (n: number): Uint8Array => new TextEncoder().encode(String(n));
  const number = (b: Uint8Array): number => Number(new TextDecoder().decode(b));

  it('retries on conflicts until every concurrent update has landed', async () => {
    const backend = new MemoryBackend();
    await backend.create('/counter', bytes(0));
    let calls = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        guaranteedUpdate(backend, '/counter', async (current) => {
          calls++;
          await new Promise((r) => setImmediate(r)); // let the others read the same revision
          return bytes(number(current.value) + 1);
        }),
      ),
    );
    assert.equal(number((await backend.get('/counter'))!.value), 20);
    assert.ok(calls > 20, 'conflicts should have forced retries');
  });

  it('aborts when fn throws, writes nothing for a no-op, and needs the key to exist', async () => {
    const backend = new MemoryBackend();
    const kv = await backend.create('/x', bytes(1));
    await assert.rejects(guaranteedUpdate(backend, '/x', () => { throw new Error('invalid'); }), /invalid/);
    const same = await guaranteedUpdate(backend, '/x', (current) => Uint8Array.from(current.value));
    assert.equal(same.modRevision, kv.modRevision);
    assert.equal(await backend.currentRevision(), kv.modRevision);
    await assert.rejects(guaranteedUpdate(backend, '/missing', () => bytes(2)), KeyNotFoundError);
  });
});
