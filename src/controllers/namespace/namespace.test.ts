// Integration tests of the namespace controller against a real `tug server` running no
// controllers: a namespace full of objects of many kinds is deleted; an object held by a
// finalizer keeps it Terminating with the conditions Kubernetes reports, and once released the
// namespace empties and disappears.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiObject, KindDef } from '../../api/kind.js';
import { configMapKind, namespaceKind, persistentVolumeClaimKind, podKind, secretKind, serviceAccountKind, serviceKind, type Namespace } from '../../api/core/v1/index.js';
import { deploymentKind } from '../../api/apps/v1/index.js';
import { jobKind } from '../../api/batch/v1/index.js';
import { leaseKind } from '../../api/coordination/v1/index.js';
import { kubectl } from '../../../test/support/kubectl.js';
import { eventually, getOrUndefined, startCluster, type Cluster } from '../testing/index.test.js';
import { namespaceController } from './index.js';

const NS = 'doomed';
const POD_SPEC = { containers: [{ name: 'c', image: 'busybox' }] };

let c: Cluster;

before(async () => {
  c = await startCluster();
  c.run(namespaceController);
});

after(() => c.stop());

async function count(kind: KindDef): Promise<number> {
  return (await c.client.list(kind, NS)).items.length;
}

describe('namespace controller', () => {
  it('empties a terminating namespace, reporting what holds it up, then lets it go', async () => {
    await c.client.create(namespaceKind, undefined, { metadata: { name: NS } });
    const create = (kind: KindDef, obj: ApiObject): Promise<ApiObject> => c.client.create(kind, NS, obj);
    for (let i = 0; i < 3; i++) await create(podKind, { metadata: { name: `p${i}` }, spec: POD_SPEC });
    await create(configMapKind, { metadata: { name: 'cm' }, data: { a: 'b' } });
    await create(configMapKind, { metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    await create(secretKind, { metadata: { name: 's' }, stringData: { a: 'b' } });
    await create(serviceKind, { metadata: { name: 'svc' }, spec: { selector: { app: 'x' }, ports: [{ port: 80 }] } });
    await create(serviceAccountKind, { metadata: { name: 'sa' } });
    await create(leaseKind, { metadata: { name: 'l' }, spec: {} });
    await create(persistentVolumeClaimKind, { metadata: { name: 'c' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
    const tmpl = { metadata: { labels: { app: 'x' } }, spec: POD_SPEC };
    await create(deploymentKind, { metadata: { name: 'd' }, spec: { selector: { matchLabels: { app: 'x' } }, template: tmpl } });
    await create(jobKind, { metadata: { name: 'j' }, spec: { template: { ...tmpl, spec: { ...POD_SPEC, restartPolicy: 'Never' } } } });

    await c.client.delete(namespaceKind, undefined, NS);
    const conditionsOf = async (): Promise<Map<string, { status: string; reason?: string; message?: string }>> => {
      const ns = await c.client.get<Namespace & ApiObject>(namespaceKind, undefined, NS);
      return new Map((ns.status?.conditions ?? []).map((x) => [x.type ?? '', { status: x.status ?? '', reason: x.reason, message: x.message }]));
    };
    await eventually(async () => (await conditionsOf()).get('NamespaceContentRemaining')?.message === 'Some resources are remaining: configmaps. has 1 resource instances', {
      what: 'only the held ConfigMap to remain',
    });
    const conds = await conditionsOf();
    assert.deepEqual(conds.get('NamespaceFinalizersRemaining'), {
      status: 'True',
      reason: 'SomeFinalizersRemain',
      message: 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances',
    });
    assert.equal(conds.get('NamespaceContentRemaining')?.reason, 'SomeResourcesRemain');
    assert.equal(conds.get('NamespaceDeletionContentFailure')?.status, 'False');
    assert.equal(conds.get('NamespaceDeletionDiscoveryFailure')?.reason, 'ResourcesDiscovered');
    for (const kind of [podKind, secretKind, serviceKind, serviceAccountKind, leaseKind, persistentVolumeClaimKind, deploymentKind, jobKind]) assert.equal(await count(kind), 0, kind.plural);
    const ns = await c.client.get<Namespace & ApiObject>(namespaceKind, undefined, NS);
    assert.equal(ns.status?.phase, 'Terminating');
    assert.deepEqual(ns.spec?.finalizers, ['kubernetes']);
    const described = await kubectl(['describe', 'namespace', NS], { kubeconfig: c.server.kubeconfig });
    assert.match(described.stdout, /Status:\s+Terminating/);
    assert.match(described.stdout, /NamespaceContentRemaining\s+True\s+.*SomeResourcesRemain\s+Some resources are remaining: configmaps\. has 1 resource instances/);

    await c.client.patch(configMapKind, NS, 'held', { type: 'merge', body: { metadata: { finalizers: null } } });
    await eventually(async () => (await getOrUndefined(c.client, namespaceKind, undefined, NS)) === undefined, { what: 'the namespace to disappear' });
  });
});
