// Unit tests of the ReplicaSet sync against a cache the test controls: with the cache lagging
// behind the creates (as an informer does), expectations must stop a second sync from creating
// the same pods again; deletes are likewise not repeated.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/core/v1/index.js';
import type { ReplicaSet } from '../../api/apps/v1/index.js';
import type { ApiObject } from '../../api/kind.js';
import { ObjectCache, objectKeyOf, type Client } from '../../client/index.js';
import { WorkQueue, realClock } from '../../lib/workqueue.js';
import { Expectations } from '../runtime/index.js';
import { POD_OWNER_INDEX, RS_OWNER_INDEX, podOwnerIndex, rsOwnerIndex, syncReplicaSet, type ReplicaSetEnv } from './sync.js';
import { MatchMemo } from './pod-view.js';

function fakeEnv(): { env: ReplicaSetEnv; created: Pod[]; deleted: string[] } {
  const created: Pod[] = [];
  const deleted: string[] = [];
  const client = {
    async create(_k: unknown, _ns: string, obj: ApiObject) {
      const pod = structuredClone(obj) as Pod;
      pod.metadata = { ...pod.metadata, name: `${pod.metadata?.generateName ?? ''}${created.length}`, uid: `pod-${created.length}` };
      created.push(pod);
      return pod;
    },
    async update(_k: unknown, _ns: string, obj: ApiObject) {
      return obj;
    },
    async delete(_k: unknown, _ns: string, name: string) {
      deleted.push(name);
      return undefined;
    },
  } as unknown as Client;
  const replicaSets = new ObjectCache<ReplicaSet>();
  replicaSets.addIndex(RS_OWNER_INDEX, rsOwnerIndex);
  const pods = new ObjectCache<Pod>();
  pods.addIndex(POD_OWNER_INDEX, podOwnerIndex);
  const env: ReplicaSetEnv = {
    client,
    recorder: { event: () => undefined },
    clock: realClock,
    log: () => undefined,
    queue: new WorkQueue(),
    expectations: new Expectations(),
    matches: new MatchMemo(),
    replicaSets,
    pods,
  };
  return { env, created, deleted };
}

const rs = (replicas: number): ReplicaSet =>
  ({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web', namespace: 'ns', uid: 'rs-uid', generation: 1 },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
  }) as ReplicaSet;

describe('syncReplicaSet', () => {
  it('does not create again while earlier creates are unobserved', async () => {
    const { env, created } = fakeEnv();
    env.replicaSets.upsert(rs(3));
    await syncReplicaSet(env, 'ns/web');
    assert.equal(created.length, 3);
    // The cache has not seen the pods yet: a second sync must wait for them.
    await syncReplicaSet(env, 'ns/web');
    assert.equal(created.length, 3);
    for (const p of created) {
      env.pods.upsert({ ...p, metadata: { ...p.metadata, namespace: 'ns' } });
      env.expectations.creationObserved('ns/web');
    }
    await syncReplicaSet(env, 'ns/web');
    assert.equal(created.length, 3);
    assert.ok(created.every((p) => p.metadata?.ownerReferences?.[0]?.uid === 'rs-uid' && p.metadata.generateName === 'web-'));
  });

  it('does not delete again while earlier deletes are unobserved', async () => {
    const { env, created, deleted } = fakeEnv();
    env.replicaSets.upsert(rs(4));
    await syncReplicaSet(env, 'ns/web');
    for (const p of created) {
      env.pods.upsert({ ...p, metadata: { ...p.metadata, namespace: 'ns' } });
      env.expectations.creationObserved('ns/web');
    }
    env.replicaSets.upsert(rs(1));
    await syncReplicaSet(env, 'ns/web');
    assert.equal(deleted.length, 3);
    await syncReplicaSet(env, 'ns/web');
    assert.equal(deleted.length, 3);
    for (const name of deleted) {
      const key = `ns/${name}`;
      env.pods.remove(key);
      env.expectations.deletionObserved('ns/web', key);
    }
    await syncReplicaSet(env, 'ns/web');
    assert.equal(deleted.length, 3);
    assert.equal(env.pods.size, 1);
    assert.equal(objectKeyOf(env.pods.list()[0] as Pod).startsWith('ns/web-'), true);
  });
});
