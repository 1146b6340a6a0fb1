// One pass of the StatefulSet algorithm with recorded actions: what OrderedReady waits for,
// what Parallel does at once, the scale-down order, partitioned rolling updates, OnDelete, and
// which revision a re-created pod gets.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ControllerRevision, StatefulSet } from '../../api/apps/v1/index.js';
import type { Pod } from '../../api/core/v1/index.js';
import { templatePatch } from '../history/index.js';
import { runPass, type StatefulActions } from './control.js';
import { newStatefulPod } from './identity.js';
import { countPods } from './status.js';

const OLD = 'web-old';
const NEW = 'web-new';

function set(o: { replicas: number; parallel?: boolean; partition?: number; onDelete?: boolean; image?: string }): StatefulSet {
  return {
    metadata: { name: 'web', namespace: 'ns', uid: 'set-uid' },
    spec: {
      replicas: o.replicas,
      serviceName: 'svc',
      selector: { matchLabels: { app: 'web' } },
      podManagementPolicy: o.parallel ? 'Parallel' : 'OrderedReady',
      updateStrategy: o.onDelete ? { type: 'OnDelete' } : { type: 'RollingUpdate', rollingUpdate: { partition: o.partition ?? 0 } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: o.image ?? 'img:2' }] } },
    },
  };
}

const revision = (name: string, image: string): ControllerRevision => ({
  metadata: { name },
  revision: name === OLD ? 1 : 2,
  data: templatePatch({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } }),
});

function pod(ordinal: number, o: { rev?: string; ready?: boolean; phase?: 'Running' | 'Failed'; deleting?: boolean } = {}): Pod {
  const p = newStatefulPod(set({ replicas: 1 }), { ordinal, revision: o.rev ?? NEW });
  p.metadata = { ...p.metadata, uid: `uid-${ordinal}`, ...(o.deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}) };
  p.status = { phase: o.phase ?? 'Running', conditions: o.ready === false ? [] : [{ type: 'Ready', status: 'True' }] };
  return p;
}

interface Recorded {
  log: string[];
  created: Pod[];
  actions: StatefulActions;
}

function recorder(): Recorded {
  const r: Recorded = { log: [], created: [], actions: undefined as unknown as StatefulActions };
  r.actions = {
    createPods: async (pods) => {
      r.created.push(...pods);
      r.log.push(`create ${pods.map((p) => p.metadata?.name).join(',')}`);
    },
    deletePod: async (p) => void r.log.push(`delete ${p.metadata?.name ?? ''}`),
    repairPod: async (p) => void r.log.push(`repair ${p.metadata?.name ?? ''}`),
    claimsMatch: () => true,
    warn: (reason) => void r.log.push(`warn ${reason}`),
  };
  return r;
}

async function pass(s: StatefulSet, pods: Pod[], o: { current?: string } = {}): Promise<Recorded> {
  const r = recorder();
  const current = o.current === OLD ? revision(OLD, 'img:1') : revision(NEW, 'img:2');
  const update = revision(NEW, 'img:2');
  const counts = countPods(pods, { current: current.metadata?.name ?? '', update: NEW, minReadySeconds: 0, now: Date.now() });
  await runPass({ set: s, current, update, pods, counts, now: Date.now(), actions: r.actions });
  return r;
}

describe('StatefulSet pass', () => {
  it('OrderedReady creates one pod at a time, waiting for the previous to be ready', async () => {
    assert.deepEqual((await pass(set({ replicas: 3 }), [])).log, ['create web-0']);
    assert.deepEqual((await pass(set({ replicas: 3 }), [pod(0, { ready: false })])).log, []);
    assert.deepEqual((await pass(set({ replicas: 3 }), [pod(0)])).log, ['create web-1']);
    assert.deepEqual((await pass(set({ replicas: 3 }), [pod(0, { deleting: true }), pod(1)])).log, []);
  });

  it('Parallel creates every missing pod at once', async () => {
    assert.deepEqual((await pass(set({ replicas: 3, parallel: true }), [pod(1, { ready: false })])).log, ['create web-0,web-2']);
  });

  it('gives created pods their identity', async () => {
    const [created] = (await pass(set({ replicas: 1 }), [])).created;
    assert.equal(created?.spec?.hostname, 'web-0');
    assert.equal(created?.spec?.subdomain, 'svc');
    assert.equal(created?.metadata?.labels?.['controller-revision-hash'], NEW);
  });

  it('scales down from the highest ordinal; OrderedReady one at a time and only when the rest are healthy', async () => {
    const all = [pod(0), pod(1), pod(2), pod(3)];
    assert.deepEqual((await pass(set({ replicas: 2 }), all)).log, ['delete web-3']);
    assert.deepEqual((await pass(set({ replicas: 2, parallel: true }), all)).log, ['delete web-3', 'delete web-2']);
    assert.deepEqual((await pass(set({ replicas: 2 }), [pod(0, { ready: false }), pod(1), pod(2)])).log, []);
    // The first unhealthy pod may be removed even though it is unhealthy.
    assert.deepEqual((await pass(set({ replicas: 2 }), [pod(0), pod(1), pod(2, { ready: false })])).log, ['delete web-2']);
  });

  it('replaces failed pods', async () => {
    assert.deepEqual((await pass(set({ replicas: 2 }), [pod(0, { phase: 'Failed' }), pod(1)])).log, ['warn RecreatingFailedPod', 'delete web-0']);
  });

  it('rolls from the highest ordinal down to the partition', async () => {
    const s = set({ replicas: 3, partition: 1 });
    const o = { current: OLD };
    assert.deepEqual((await pass(s, [pod(0, { rev: OLD }), pod(1, { rev: OLD }), pod(2, { rev: OLD })], o)).log, ['delete web-2']);
    assert.deepEqual((await pass(s, [pod(0, { rev: OLD }), pod(1, { rev: OLD }), pod(2, { ready: false })], o)).log, []);
    assert.deepEqual((await pass(s, [pod(0, { rev: OLD }), pod(1, { rev: OLD }), pod(2)], o)).log, ['delete web-1']);
    assert.deepEqual((await pass(s, [pod(0, { rev: OLD }), pod(1), pod(2)], o)).log, [], 'below the partition nothing changes');
  });

  it('re-creates a pod below the partition from the current revision', async () => {
    const r = await pass(set({ replicas: 3, partition: 2 }), [pod(1, { rev: OLD }), pod(2)], { current: OLD });
    assert.deepEqual(r.log, ['create web-0']);
    assert.equal(r.created[0]?.metadata?.labels?.['controller-revision-hash'], OLD);
    assert.equal(r.created[0]?.spec?.containers[0]?.image, 'img:1');
  });

  it('OnDelete leaves old pods alone', async () => {
    assert.deepEqual((await pass(set({ replicas: 2, onDelete: true }), [pod(0, { rev: OLD }), pod(1, { rev: OLD })], { current: OLD })).log, []);
  });
});
