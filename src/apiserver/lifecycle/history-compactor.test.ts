// The history compactor on the real sqlite driver: after two ticks the history older than the
// first tick is gone (reads at those revisions say Compacted, as 410 Gone reaches clients), the
// history since the first tick is still there, and nothing current is lost.
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompactedError, openBackend, type Backend } from '../../storage/index.js';
import { HistoryCompactor } from './history-compactor.js';

describe('history compactor', () => {
  let dir: string;
  let backend: Backend;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'compactor-'));
    backend = await openBackend(join(dir, 'state.db'));
  });
  afterEach(async () => {
    await backend.close();
    await rm(dir, { recursive: true, force: true });
  });

  const put = async (key: string, value: string): Promise<number> => {
    const current = await backend.get(key);
    const r = current ? await backend.update(key, Buffer.from(value), { expectedRevision: current.modRevision }) : await backend.create(key, Buffer.from(value));
    return r.modRevision;
  };

  it('keeps one interval of history and compacts what is older', async () => {
    const c = new HistoryCompactor(backend);
    const early = await put('/k/a', 'v1');
    await put('/k/a', 'v2');
    assert.equal(await c.tick(), undefined, 'the first tick only remembers where it is');
    const firstTick = await backend.currentRevision();
    const later = await put('/k/a', 'v3');
    await put('/k/b', 'x');
    assert.equal(await c.tick(), firstTick);
    await assert.rejects(backend.list('/k/', { revision: early }), CompactedError);
    const atLater = await backend.list('/k/', { revision: later });
    assert.deepEqual(atLater.items.map((i) => Buffer.from(i.value).toString()), ['v3']);
    const now = await backend.list('/k/');
    assert.deepEqual(now.items.map((i) => `${i.key}=${Buffer.from(i.value).toString()}`), ['/k/a=v3', '/k/b=x']);
  });
});
