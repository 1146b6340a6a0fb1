// Runs the storage conformance suite against a real etcd started for this file (each test gets
// its own key prefix in it), plus the etcd driver's own concerns: key prefixes isolate stores,
// and a watch whose etcd goes away ends through onError instead of crashing the process.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { startEtcd } from '../../../test/support/etcd.js';
import type { WatchEvent } from '../backend.js';
import { runBackendConformance } from '../conformance.js';
import { EtcdBackend } from './etcd.js';

const etcd = await startEtcd();
after(() => etcd.stop());
let n = 0;

runBackendConformance('etcd', async () => {
  const backend = new EtcdBackend({ endpoints: [etcd.endpoint], keyPrefix: `/conformance-${++n}` });
  return { backend, cleanup: () => backend.close() };
});

describe('etcd driver', () => {
  it('key prefixes keep stores sharing one etcd apart', async () => {
    const one = new EtcdBackend({ endpoints: [etcd.endpoint], keyPrefix: '/iso-1' });
    const two = new EtcdBackend({ endpoints: [etcd.endpoint], keyPrefix: '/iso-2' });
    try {
      await one.create('/x', new Uint8Array([1]));
      assert.equal(await two.get('/x'), undefined);
      await two.create('/x', new Uint8Array([2]));
      assert.deepEqual((await one.list('')).items.map((kv) => [kv.key, kv.value[0]]), [['/x', 1]]);
      assert.equal(await two.count(''), 1);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  it('a watch whose etcd stops ends with onError', async () => {
    const doomed = await startEtcd();
    const backend = new EtcdBackend({ endpoints: [doomed.endpoint] });
    const errors: Error[] = [];
    const events: WatchEvent[] = [];
    const controller = new AbortController();
    try {
      await backend.watch('/', {
        afterRevision: await backend.currentRevision(),
        signal: controller.signal,
        onEvents: (e) => events.push(...e),
        onError: (err) => errors.push(err),
      });
      await backend.create('/a', new Uint8Array([1]));
      await doomed.stop();
      const deadline = Date.now() + 10_000;
      while (errors.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.equal(errors.length, 1);
      assert.equal(events.length, 1);
    } finally {
      controller.abort();
      await backend.close();
      await doomed.stop();
    }
  });
});
