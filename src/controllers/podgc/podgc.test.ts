// Integration tests of the pod garbage collector against a real `tug server` running no
// controllers, with a 200 ms period, a 500 ms quarantine and a threshold of three terminated
// pods: orphans of a node that never existed are marked Failed and deleted, terminated pods
// beyond the threshold go oldest first, and terminating pods on out-of-service nodes are
// force-deleted while those on merely NotReady nodes are left to their kubelet.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { podKind, type Pod } from '../../api/core/v1/index.js';
import { createNode, eventually, finishPod, getOrUndefined, markRunning, startCluster, type Cluster } from '../testing/index.test.js';
import { podGcControllerWith } from './index.js';

let c: Cluster;
const NS = 'default';

async function addPod(name: string, nodeName: string, o: { finalizers?: string[] } = {}): Promise<Pod> {
  const pod = await c.client.create<Pod>(podKind, NS, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS, ...(o.finalizers ? { finalizers: o.finalizers } : {}) },
    spec: { nodeName, containers: [{ name: 'c', image: 'busybox' }] },
  });
  await markRunning(c.client, pod);
  return c.client.get<Pod>(podKind, NS, name);
}

const gone = async (name: string): Promise<boolean> => (await getOrUndefined(c.client, podKind, NS, name)) === undefined;

before(async () => {
  c = await startCluster();
  await createNode(c.client, { name: 'real' });
  await createNode(c.client, { name: 'shut-down', ready: 'False', taints: [{ key: 'node.kubernetes.io/out-of-service', value: 'nodeshutdown', effect: 'NoExecute' }] });
  await createNode(c.client, { name: 'flaky', ready: 'False' });
  c.run(podGcControllerWith({ periodMs: 200, quarantineMs: 500, terminatedPodThreshold: 3 }));
});

after(() => c.stop());

describe('pod GC', () => {
  it('marks orphans of a missing node Failed and deletes them', async () => {
    await addPod('orphan', 'ghost');
    await addPod('held-orphan', 'ghost', { finalizers: ['example.com/hold'] });
    await addPod('homed', 'real');
    await eventually(() => gone('orphan'), { what: 'orphan deleted' });
    // The finalizer keeps this one visible: Failed, with the reason, and deletion under way (the
    // collector may still be on its way to it after deleting the other orphan).
    const held = await eventually(async () => {
      const p = await c.client.get<Pod>(podKind, NS, 'held-orphan');
      return p.metadata?.deletionTimestamp ? p : undefined;
    }, { what: 'deletion of the held orphan' });
    assert.equal(held.status?.phase, 'Failed');
    const cond = held.status?.conditions?.find((x) => x.type === 'DisruptionTarget');
    assert.deepEqual([cond?.status, cond?.reason, cond?.message], ['True', 'DeletionByPodGC', 'PodGC: node no longer exists']);
    assert.ok(held.metadata?.deletionTimestamp);
    assert.equal(held.metadata?.deletionGracePeriodSeconds, 0);
    await c.client.patch(podKind, NS, 'held-orphan', { type: 'merge', body: { metadata: { finalizers: null } } });
    assert.equal(await gone('homed'), false, 'pods on existing nodes stay');
  });

  it('keeps at most the threshold of terminated pods, deleting the oldest', async () => {
    for (const name of ['t1', 't2', 't3', 't4', 't5']) await finishPod(c.client, await addPod(name, 'real'));
    await eventually(async () => (await gone('t1')) && (await gone('t2')), { what: 'oldest two deleted' });
    for (const name of ['t3', 't4', 't5']) assert.equal(await gone(name), false, name);
  });

  it('force-deletes terminating pods on out-of-service nodes only', async () => {
    await addPod('stuck', 'shut-down');
    await addPod('waiting', 'flaky');
    await c.client.delete(podKind, NS, 'stuck');
    await c.client.delete(podKind, NS, 'waiting');
    await eventually(() => gone('stuck'), { what: 'pod on out-of-service node deleted' });
    const waiting = await c.client.get<Pod>(podKind, NS, 'waiting');
    assert.ok(waiting.metadata?.deletionTimestamp, 'still terminating, left to its kubelet');
    assert.equal(waiting.status?.phase, 'Running');
  });
});
