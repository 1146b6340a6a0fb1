// Integration tests of the ReplicaSet controller against a real `tug server` with nothing else
// running: pods are created from the template, scaled down in Kubernetes' order, orphans are
// adopted and non-matching pods released, nothing is ever created twice, and the status counts
// ready and available pods (minReadySeconds measured on an injected clock).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventKind, podKind, type Pod } from '../../api/core/v1/index.js';
import { replicaSetKind, type ReplicaSet } from '../../api/apps/v1/index.js';
import { replicaSetController } from './index.js';
import { createNamespace, eventually, markRunning, startCluster, type Cluster } from '../testing/index.test.js';

let c: Cluster;

before(async () => {
  c = await startCluster();
  c.run(replicaSetController);
  // Namespaces starting with "auto-" get a kubelet; in the others the test plays kubelet itself.
  c.fakeKubelet({ readyAfterMs: 30, shouldRun: (p) => (p.metadata?.namespace ?? '').startsWith('auto-') });
});

after(async () => {
  await c?.stop();
});

const podTemplate = (labels: Record<string, string>) => ({ metadata: { labels }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } });

function replicaSet(name: string, o: { replicas: number; labels?: Record<string, string>; minReadySeconds?: number }): ReplicaSet {
  const labels = o.labels ?? { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name },
    spec: { replicas: o.replicas, selector: { matchLabels: labels }, template: podTemplate(labels), ...(o.minReadySeconds ? { minReadySeconds: o.minReadySeconds } : {}) },
  } as ReplicaSet;
}

const podsOf = async (ns: string, rs: ReplicaSet): Promise<Pod[]> =>
  (await c.client.list<Pod>(podKind, ns)).items.filter((p) => p.metadata?.ownerReferences?.some((r) => r.uid === rs.metadata?.uid && r.controller));

const getRS = (ns: string, name: string): Promise<ReplicaSet> => c.client.get<ReplicaSet>(replicaSetKind, ns, name);

async function scale(ns: string, name: string, replicas: number): Promise<void> {
  await c.client.patch(replicaSetKind, ns, name, { type: 'merge', body: { spec: { replicas } } });
}

describe('ReplicaSet controller', () => {
  it('creates pods from the template and reports ready and available replicas', async () => {
    const ns = 'auto-create';
    await createNamespace(c.client, ns);
    const rs = await c.client.create<ReplicaSet>(replicaSetKind, ns, replicaSet('web', { replicas: 3 }));
    const done = await eventually(async () => {
      const s = (await getRS(ns, 'web')).status;
      return s?.replicas === 3 && s.readyReplicas === 3 && s.availableReplicas === 3 ? s : undefined;
    }, { what: 'three available replicas' });
    assert.equal(done.fullyLabeledReplicas, 3);
    assert.equal(done.observedGeneration, rs.metadata?.generation);
    const pods = await podsOf(ns, rs);
    assert.equal(pods.length, 3);
    for (const p of pods) {
      assert.match(p.metadata?.name ?? '', /^web-[a-z0-9]{5}$/);
      assert.deepEqual(p.metadata?.labels, { app: 'web' });
      const ref = p.metadata?.ownerReferences?.[0];
      assert.deepEqual(ref, { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata?.uid, controller: true, blockOwnerDeletion: true });
    }
    const events = await eventually(async () => {
      const evs = (await c.client.list(eventKind, ns)).items.filter((e) => e.reason === 'SuccessfulCreate');
      return evs.length === 3 ? evs : undefined;
    }, { what: 'SuccessfulCreate events' });
    const names = new Set(pods.map((p) => `Created pod: ${p.metadata?.name}`));
    for (const e of events) assert.ok(names.has(String(e.message)), `unexpected event message ${String(e.message)}`);
  });

  it('never creates more pods than asked, however many events arrive', async () => {
    const ns = 'auto-burst';
    await createNamespace(c.client, ns);
    const rs = await c.client.create<ReplicaSet>(replicaSetKind, ns, replicaSet('burst', { replicas: 25 }));
    const seen = new Set<string>();
    const watching = new AbortController();
    const watch = c.client.watch<Pod>(podKind, ns, { signal: watching.signal }, (e) => {
      if (e.type === 'ADDED') seen.add(e.object.metadata?.uid ?? '');
    });
    await eventually(async () => ((await getRS(ns, 'burst')).status?.availableReplicas === 25 ? true : undefined), { what: '25 available' });
    // Keep the controller busy with status churn for a while, then count every pod ever created.
    await scale(ns, 'burst', 25);
    await new Promise((r) => setTimeout(r, 500));
    watching.abort();
    await watch;
    assert.equal(seen.size, 25);
    assert.equal((await podsOf(ns, rs)).length, 25);
  });

  it('scales down pending pods, then not-ready ones, keeping the ready pod', async () => {
    const ns = 'manual-rank';
    await createNamespace(c.client, ns);
    const rs = await c.client.create<ReplicaSet>(replicaSetKind, ns, replicaSet('rank', { replicas: 4 }));
    const pods = await eventually(async () => {
      const ps = await podsOf(ns, rs);
      return ps.length === 4 ? ps : undefined;
    }, { what: 'four pods' });
    const [ready, runningOnly, pendingA, pendingB] = pods as [Pod, Pod, Pod, Pod];
    await markRunning(c.client, ready);
    await markRunning(c.client, runningOnly, { ready: false });
    await eventually(async () => ((await getRS(ns, 'rank')).status?.readyReplicas === 1 ? true : undefined), { what: 'one ready' });

    await scale(ns, 'rank', 2);
    const left = await eventually(async () => {
      const ps = await podsOf(ns, rs);
      return ps.length === 2 ? ps : undefined;
    }, { what: 'two pods left' });
    assert.deepEqual(left.map((p) => p.metadata?.name).sort(), [ready.metadata?.name, runningOnly.metadata?.name].sort());
    assert.ok(![pendingA, pendingB].some((p) => left.some((l) => l.metadata?.name === p.metadata?.name)));

    await scale(ns, 'rank', 1);
    const last = await eventually(async () => {
      const ps = await podsOf(ns, rs);
      return ps.length === 1 ? ps : undefined;
    }, { what: 'one pod left' });
    assert.equal(last[0]?.metadata?.name, ready.metadata?.name);
    const deletes = (await c.client.list(eventKind, ns)).items.filter((e) => e.reason === 'SuccessfulDelete').map((e) => String(e.message));
    assert.ok(deletes.includes(`Deleted pod: ${runningOnly.metadata?.name}`));
  });

  it('deletes the pod that became ready most recently first', async () => {
    const ns = 'manual-ready-age';
    await createNamespace(c.client, ns);
    const rs = await c.client.create<ReplicaSet>(replicaSetKind, ns, replicaSet('age', { replicas: 2 }));
    const [older, newer] = (await eventually(async () => {
      const ps = await podsOf(ns, rs);
      return ps.length === 2 ? ps : undefined;
    })) as [Pod, Pod];
    const readyAt = (pod: Pod, ago: number): Promise<Pod> => markRunning(c.client, pod, { since: new Date(Date.now() - ago * 1000) });
    await readyAt(older, 600);
    await readyAt(newer, 10);
    await eventually(async () => ((await getRS(ns, 'age')).status?.readyReplicas === 2 ? true : undefined));
    await scale(ns, 'age', 1);
    const left = await eventually(async () => {
      const ps = await podsOf(ns, rs);
      return ps.length === 1 ? ps : undefined;
    });
    assert.equal(left[0]?.metadata?.name, older.metadata?.name);
  });

  it('adopts a matching orphan instead of creating a pod, and releases a pod whose labels change', async () => {
    const ns = 'auto-adopt';
    await createNamespace(c.client, ns);
    const orphan = await c.client.create<Pod>(podKind, ns, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'orphan', labels: { app: 'adopt' } }, spec: podTemplate({}).spec } as Pod);
    const rs = await c.client.create<ReplicaSet>(replicaSetKind, ns, replicaSet('adopt', { replicas: 2 }));
    const pods = await eventually(async () => {
      const ps = await podsOf(ns, rs);
      return ps.length === 2 ? ps : undefined;
    }, { what: 'two pods' });
    assert.ok(pods.some((p) => p.metadata?.uid === orphan.metadata?.uid), 'the orphan was adopted');
    const ref = (await c.client.get<Pod>(podKind, ns, 'orphan')).metadata?.ownerReferences?.[0];
    assert.equal(ref?.controller, true);
    assert.equal(ref?.uid, rs.metadata?.uid);
    assert.equal((await c.client.list<Pod>(podKind, ns)).items.length, 2, 'only one pod was created');

    await c.client.patch(podKind, ns, 'orphan', { type: 'merge', body: { metadata: { labels: { app: 'other' } } } });
    await eventually(async () => {
      const p = await c.client.get<Pod>(podKind, ns, 'orphan');
      return (p.metadata?.ownerReferences ?? []).length === 0 ? true : undefined;
    }, { what: 'the pod released' });
    await eventually(async () => ((await podsOf(ns, rs)).length === 2 ? true : undefined), { what: 'a replacement pod' });
    assert.equal((await c.client.list<Pod>(podKind, ns)).items.length, 3);
  });

  it('replaces failed pods and does not count them', async () => {
    const ns = 'manual-failed';
    await createNamespace(c.client, ns);
    const rs = await c.client.create<ReplicaSet>(replicaSetKind, ns, replicaSet('fail', { replicas: 2 }));
    const pods = await eventually(async () => {
      const ps = await podsOf(ns, rs);
      return ps.length === 2 ? ps : undefined;
    });
    const victim = structuredClone(pods[0] as Pod);
    victim.status = { ...victim.status, phase: 'Failed', reason: 'Evicted' };
    await c.client.update(podKind, ns, victim, { subresource: 'status' });
    const all = await eventually(async () => {
      const ps = await podsOf(ns, rs);
      return ps.length === 3 ? ps : undefined;
    }, { what: 'a replacement for the failed pod' });
    assert.equal(all.filter((p) => p.status?.phase === 'Failed').length, 1);
    await eventually(async () => ((await getRS(ns, 'fail')).status?.replicas === 2 ? true : undefined), { what: 'status counting two' });
  });

  it('counts a ready pod as available only after minReadySeconds on its clock', async () => {
    const ns = 'auto-minready';
    await createNamespace(c.client, ns);
    await c.client.create<ReplicaSet>(replicaSetKind, ns, replicaSet('slow', { replicas: 2, minReadySeconds: 60 }));
    await eventually(async () => ((await getRS(ns, 'slow')).status?.readyReplicas === 2 ? true : undefined), { what: 'two ready' });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await getRS(ns, 'slow')).status?.availableReplicas ?? 0, 0);
    c.clock.advance(61_000);
    await eventually(async () => ((await getRS(ns, 'slow')).status?.availableReplicas === 2 ? true : undefined), { what: 'two available' });
  });
});
