// Unit tests of proportional scaling and of the Progressing condition, on a fake client that
// records what the controller writes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment, ReplicaSet } from '../../api/apps/v1/index.js';
import type { ApiObject } from '../../api/kind.js';
import { ObjectCache, type Client } from '../../client/index.js';
import { WorkQueue, type Clock } from '../../lib/workqueue.js';
import { DESIRED_REPLICAS, MAX_REPLICAS } from './annotations.js';
import type { DeploymentEnv, SyncState } from './env.js';
import { syncRolloutStatus } from './progress.js';
import { isScalingEvent, scale } from './scale.js';

function fakeEnv(now: number): { env: DeploymentEnv; events: string[]; delayed: number[] } {
  const events: string[] = [];
  const delayed: number[] = [];
  const client = {
    async update(_k: unknown, _ns: string, obj: ApiObject) {
      return structuredClone(obj);
    },
  } as unknown as Client;
  const clock: Clock = { now: () => now, setTimeout: () => ({ cancel: () => undefined }) };
  const queue = new WorkQueue({ clock });
  queue.addAfter = (_key: string, ms: number) => void delayed.push(ms);
  return {
    env: {
      client,
      recorder: { event: (_o, _t, reason, message) => void events.push(`${reason}: ${message}`) },
      clock,
      log: () => undefined,
      queue,
      deployments: new ObjectCache(),
      replicaSets: new ObjectCache(),
      pods: new ObjectCache(),
    },
    events,
    delayed,
  };
}

const rs = (name: string, o: { replicas: number; created: string; desired?: number; max?: number; available?: number }): ReplicaSet =>
  ({
    metadata: {
      name,
      uid: name,
      creationTimestamp: o.created,
      annotations: { [DESIRED_REPLICAS]: String(o.desired ?? 10), [MAX_REPLICAS]: String(o.max ?? 13) },
    },
    spec: { replicas: o.replicas },
    status: { replicas: o.replicas, availableReplicas: o.available ?? 0, readyReplicas: o.available ?? 0 },
  }) as unknown as ReplicaSet;

const deployment = (replicas: number, extra: Partial<NonNullable<Deployment['spec']>> = {}, status: Deployment['status'] = {}): Deployment =>
  ({
    metadata: { name: 'web', generation: 2 },
    spec: { replicas, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } }, progressDeadlineSeconds: 60, ...extra },
    status,
  }) as Deployment;

describe('proportional scaling', () => {
  it('splits a scale-up by size, leftovers to the largest', async () => {
    const { env, events } = fakeEnv(0);
    const old = rs('old', { replicas: 8, created: '2024-01-01T00:00:00Z' });
    const fresh = rs('new', { replicas: 5, created: '2024-01-02T00:00:00Z' });
    const st: SyncState = { key: 'ns/web', d: deployment(20), rsList: [old, fresh] };
    assert.ok(isScalingEvent(st.d, st.rsList));
    await scale(env, st, { newRS: fresh, oldRSs: [old] });
    const size = (n: string): number | undefined => st.rsList.find((r) => r.metadata?.name === n)?.spec?.replicas;
    assert.deepEqual([size('old'), size('new')], [14, 9]);
    assert.deepEqual(events.sort(), ['ScalingReplicaSet: Scaled up replica set new from 5 to 9', 'ScalingReplicaSet: Scaled up replica set old from 8 to 14']);
    assert.ok(st.rsList.every((r) => r.metadata?.annotations?.[DESIRED_REPLICAS] === '20' && r.metadata.annotations[MAX_REPLICAS] === '23'));
    assert.ok(!isScalingEvent(st.d, st.rsList));
  });

  it('takes a scale-down from the larger and older ReplicaSets first', async () => {
    const { env } = fakeEnv(0);
    const a = rs('a', { replicas: 5, created: '2024-01-01T00:00:00Z' });
    const b = rs('b', { replicas: 5, created: '2024-01-02T00:00:00Z' });
    const st: SyncState = { key: 'ns/web', d: deployment(6, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }), rsList: [a, b] };
    for (const r of st.rsList) r.metadata = { ...r.metadata, annotations: { [DESIRED_REPLICAS]: '9', [MAX_REPLICAS]: '10' } };
    await scale(env, st, { newRS: b, oldRSs: [a] });
    const sizes = st.rsList.map((r) => r.spec?.replicas);
    // 10 -> 7 in total: each keeps round(5 * 7/10) = 4, and the older one gives up the leftover.
    assert.deepEqual(sizes, [3, 4]);
  });

  it('scales the only active ReplicaSet straight to the new count', async () => {
    const { env } = fakeEnv(0);
    const only = rs('only', { replicas: 3, created: '2024-01-01T00:00:00Z', desired: 3, max: 4 });
    const idle = rs('idle', { replicas: 0, created: '2023-01-01T00:00:00Z' });
    const st: SyncState = { key: 'ns/web', d: deployment(7), rsList: [idle, only] };
    await scale(env, st, { newRS: only, oldRSs: [idle] });
    assert.deepEqual(st.rsList.map((r) => r.spec?.replicas), [0, 7]);
  });
});

describe('syncRolloutStatus', () => {
  const progressing = (lastUpdateTime: string) => ({
    type: 'Progressing',
    status: 'True' as const,
    reason: 'ReplicaSetUpdated',
    message: 'ReplicaSet "web-1" is progressing.',
    lastUpdateTime,
    lastTransitionTime: lastUpdateTime,
  });
  const stuck = rs('web-1', { replicas: 2, created: '2024-01-01T00:00:00Z', available: 0 });

  it('wakes up at the progress deadline when nothing moves', async () => {
    const now = Date.parse('2024-01-01T00:00:40Z');
    const { env, delayed } = fakeEnv(now);
    const status = { observedGeneration: 2, replicas: 2, updatedReplicas: 2, readyReplicas: 0, availableReplicas: 0, unavailableReplicas: 2, conditions: [
      // Two unavailable pods are within maxUnavailable (2), so the Deployment counts as available.
      { type: 'Available', status: 'True' as const, reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.', lastUpdateTime: '2024-01-01T00:00:00Z', lastTransitionTime: '2024-01-01T00:00:00Z' },
      progressing('2024-01-01T00:00:00Z'),
    ] };
    const st: SyncState = { key: 'ns/web', d: deployment(2, {}, status), rsList: [stuck] };
    await syncRolloutStatus(env, st, stuck);
    assert.deepEqual(delayed, [20_010]);
  });

  it('turns Progressing into ProgressDeadlineExceeded once the deadline passed', async () => {
    const { env } = fakeEnv(Date.parse('2024-01-01T00:01:01Z'));
    const status = { observedGeneration: 2, replicas: 2, updatedReplicas: 2, conditions: [progressing('2024-01-01T00:00:00Z')] };
    const st: SyncState = { key: 'ns/web', d: deployment(2, {}, status), rsList: [stuck] };
    await syncRolloutStatus(env, st, stuck);
    const p = st.d.status?.conditions?.find((c) => c.type === 'Progressing');
    assert.deepEqual([p?.status, p?.reason, p?.message], ['False', 'ProgressDeadlineExceeded', 'ReplicaSet "web-1" has timed out progressing.']);
  });

  it('records NewReplicaSetAvailable when the rollout completes', async () => {
    const { env } = fakeEnv(Date.parse('2024-01-01T00:00:30Z'));
    const done = rs('web-1', { replicas: 2, created: '2024-01-01T00:00:00Z', available: 2 });
    const st: SyncState = { key: 'ns/web', d: deployment(2, {}, { conditions: [progressing('2024-01-01T00:00:00Z')] }), rsList: [done] };
    await syncRolloutStatus(env, st, done);
    const s = st.d.status;
    assert.deepEqual([s?.replicas, s?.updatedReplicas, s?.availableReplicas, s?.observedGeneration], [2, 2, 2, 2]);
    const p = s?.conditions?.find((c) => c.type === 'Progressing');
    assert.deepEqual([p?.reason, p?.lastTransitionTime], ['NewReplicaSetAvailable', '2024-01-01T00:00:00Z']);
    assert.equal(s?.conditions?.find((c) => c.type === 'Available')?.status, 'True');
  });
});
