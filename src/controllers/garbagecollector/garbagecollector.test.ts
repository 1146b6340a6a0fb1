// Integration tests of the garbage collector against a real `tug server` running no controllers:
// owner chains are built by hand (ReplicaSets with pods pointing at them) and deleted with each
// propagation policy, through the Client and through the real kubectl.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiObject, KindDef } from '../../api/kind.js';
import { configMapKind, podKind } from '../../api/core/v1/index.js';
import { deploymentKind, replicaSetKind } from '../../api/apps/v1/index.js';
import { kubectl } from '../../../test/support/kubectl.js';
import { eventually, getOrUndefined, startCluster, type Cluster } from '../testing/index.test.js';
import { garbageCollectorController } from './index.js';

const NS = 'default';
const TEMPLATE = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };

let c: Cluster;

const exists = (kind: KindDef, name: string): Promise<ApiObject | undefined> => getOrUndefined(c.client, kind, NS, name);

const refTo = (owner: ApiObject, kind: KindDef, o: { block?: boolean } = {}) => ({
  apiVersion: kind.apiVersion,
  kind: kind.kind,
  name: owner.metadata?.name ?? '',
  uid: owner.metadata?.uid ?? '',
  controller: true,
  blockOwnerDeletion: o.block ?? true,
});

async function replicaSet(name: string, owner?: ApiObject): Promise<ApiObject> {
  return c.client.create(replicaSetKind, NS, {
    metadata: { name, labels: { app: name }, ...(owner ? { ownerReferences: [refTo(owner, deploymentKind)] } : {}) },
    spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: { ...TEMPLATE, metadata: { labels: { app: name } } } },
  });
}

async function podsOf(rs: ApiObject, n: number, o: { finalizers?: string[]; extraOwner?: ApiObject } = {}): Promise<string[]> {
  const names: string[] = [];
  for (let i = 0; i < n; i++) {
    const name = `${rs.metadata?.name ?? ''}-p${i}`;
    const refs = [refTo(rs, replicaSetKind), ...(o.extraOwner ? [{ ...refTo(o.extraOwner, configMapKind), controller: false }] : [])];
    await c.client.create(podKind, NS, { metadata: { name, labels: { app: rs.metadata?.name ?? '' }, ownerReferences: refs, finalizers: o.finalizers }, spec: TEMPLATE.spec });
    names.push(name);
  }
  return names;
}

const allGone = async (kind: KindDef, names: string[]): Promise<boolean> => (await Promise.all(names.map((n) => exists(kind, n)))).every((o) => o === undefined);

before(async () => {
  c = await startCluster();
  c.run(garbageCollectorController);
});

after(() => c.stop());

describe('garbage collector', () => {
  it('background deletion removes the dependents of a deleted owner', async () => {
    const rs = await replicaSet('bg');
    const pods = await podsOf(rs, 3);
    await c.client.delete(replicaSetKind, NS, 'bg', { propagationPolicy: 'Background' });
    assert.equal(await exists(replicaSetKind, 'bg'), undefined);
    await eventually(() => allGone(podKind, pods), { what: 'pods of a deleted ReplicaSet to go' });
  });

  it('orphan deletion keeps the dependents and strips their references', async () => {
    const rs = await replicaSet('orph');
    const pods = await podsOf(rs, 2);
    await c.client.delete(replicaSetKind, NS, 'orph', { propagationPolicy: 'Orphan' });
    await eventually(async () => (await exists(replicaSetKind, 'orph')) === undefined, { what: 'orphaning owner to go' });
    for (const p of pods) {
      const pod = await exists(podKind, p);
      assert.ok(pod, `${p} must survive`);
      assert.deepEqual(pod.metadata?.ownerReferences ?? [], []);
    }
  });

  it('foreground deletion keeps the owner until its blocking dependents are gone', async () => {
    const rs = await replicaSet('fg');
    const [held = ''] = await podsOf(rs, 1, { finalizers: ['example.com/hold'] });
    const others = await Promise.all(
      [1, 2].map(async (i) => {
        const name = `fg-q${i}`;
        await c.client.create(podKind, NS, { metadata: { name, ownerReferences: [refTo(rs, replicaSetKind)] }, spec: TEMPLATE.spec });
        return name;
      }),
    );
    await c.client.delete(replicaSetKind, NS, 'fg', { propagationPolicy: 'Foreground' });
    await eventually(() => allGone(podKind, others), { what: 'unheld dependents to go' });
    const pod = await exists(podKind, held);
    assert.ok(pod?.metadata?.deletionTimestamp, 'the held pod is being deleted');
    const owner = await exists(replicaSetKind, 'fg');
    assert.ok(owner?.metadata?.deletionTimestamp, 'the owner waits');
    assert.deepEqual(owner.metadata.finalizers, ['foregroundDeletion']);
    await c.client.patch(podKind, NS, held, { type: 'merge', body: { metadata: { finalizers: null } } });
    await eventually(async () => (await exists(replicaSetKind, 'fg')) === undefined, { what: 'owner to go after its dependents' });
  });

  it('a dependent with another live owner only loses the dead reference', async () => {
    const cm = await c.client.create<ApiObject>(configMapKind, NS, { metadata: { name: 'keeper' }, data: {} });
    const rs = await replicaSet('shared');
    const [p = ''] = await podsOf(rs, 1, { extraOwner: cm });
    await c.client.delete(replicaSetKind, NS, 'shared', { propagationPolicy: 'Background' });
    await eventually(async () => ((await exists(podKind, p))?.metadata?.ownerReferences ?? []).length === 1, { what: 'dead reference to be dropped' });
    const pod = await exists(podKind, p);
    assert.equal(pod?.metadata?.ownerReferences?.[0]?.uid, cm.metadata?.uid);
  });

  it('deletes objects created pointing at an owner that does not exist (or was replaced)', async () => {
    await c.client.create(podKind, NS, {
      metadata: { name: 'ghost', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'never', uid: '00000000-0000-0000-0000-000000000001' }] },
      spec: TEMPLATE.spec,
    });
    await replicaSet('reborn');
    await c.client.create(podKind, NS, {
      metadata: { name: 'stale-ref', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'reborn', uid: '00000000-0000-0000-0000-000000000002' }] },
      spec: TEMPLATE.spec,
    });
    await eventually(() => allGone(podKind, ['ghost', 'stale-ref']), { what: 'dangling dependents to go' });
    assert.ok(await exists(replicaSetKind, 'reborn'));
  });

  it('kubectl delete deployment cascades through ReplicaSets to pods; --cascade=orphan keeps them', async () => {
    const mk = async (name: string): Promise<string[]> => {
      const d = await c.client.create(deploymentKind, NS, {
        metadata: { name },
        spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { ...TEMPLATE, metadata: { labels: { app: name } } } },
      });
      const rs = await replicaSet(`${name}-rs`, d);
      return podsOf(rs, 2);
    };
    const cascaded = await mk('dep-a');
    const kept = await mk('dep-b');
    const a = await kubectl(['delete', 'deployment', 'dep-a', '-n', NS], { kubeconfig: c.server.kubeconfig });
    assert.equal(a.code, 0, a.stderr);
    assert.match(a.stdout, /deployment.apps "dep-a" deleted/);
    await eventually(async () => (await exists(replicaSetKind, 'dep-a-rs')) === undefined && (await allGone(podKind, cascaded)), { what: 'ReplicaSet and pods of dep-a' });
    const b = await kubectl(['delete', 'deployment', 'dep-b', '-n', NS, '--cascade=orphan'], { kubeconfig: c.server.kubeconfig });
    assert.equal(b.code, 0, b.stderr);
    await eventually(async () => (await exists(deploymentKind, 'dep-b')) === undefined, { what: 'dep-b to go' });
    const rs = await exists(replicaSetKind, 'dep-b-rs');
    assert.ok(rs, 'orphaned ReplicaSet stays');
    assert.deepEqual(rs.metadata?.ownerReferences ?? [], []);
    for (const p of kept) assert.ok(await exists(podKind, p));
  });

  it('kubectl delete --cascade=foreground waits for the whole chain', async () => {
    const d = await c.client.create(deploymentKind, NS, {
      metadata: { name: 'dep-fg' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'dep-fg' } }, template: { ...TEMPLATE, metadata: { labels: { app: 'dep-fg' } } } },
    });
    const pods = await podsOf(await replicaSet('dep-fg-rs', d), 2);
    const r = await kubectl(['delete', 'deployment', 'dep-fg', '-n', NS, '--cascade=foreground', '--wait=true', '--timeout=60s'], { kubeconfig: c.server.kubeconfig });
    assert.equal(r.code, 0, r.stderr);
    // With --wait, kubectl returns only once the deployment is gone, which needs its whole chain gone first.
    assert.equal(await exists(deploymentKind, 'dep-fg'), undefined);
    assert.equal(await exists(replicaSetKind, 'dep-fg-rs'), undefined);
    assert.ok(await allGone(podKind, pods));
  });
});
