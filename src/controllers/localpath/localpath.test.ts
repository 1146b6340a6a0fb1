// Integration tests of the local-path provisioner with the PV binder against a real `tug
// server` running no controllers: the default class appears; a claim waits for its first
// consumer, then gets a node-local volume on the selected node, bound; deleting the claim deletes
// the volume; unsupported claims are refused with an event.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nodeKind, persistentVolumeClaimKind, persistentVolumeKind, type PersistentVolume, type PersistentVolumeClaim } from '../../api/core/v1/index.js';
import { storageClassKind, type StorageClass } from '../../api/storage/v1/index.js';
import { eventsFor, eventually, getOrUndefined, startCluster, type Cluster } from '../testing/index.test.js';
import { persistentVolumeBinderControllerWith } from '../persistentvolume/index.js';
import { localPathProvisionerController } from './index.js';

let c: Cluster;
const NS = 'default';

const claim = (name: string, modes = ['ReadWriteOnce']): PersistentVolumeClaim => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: NS },
  spec: { accessModes: modes, resources: { requests: { storage: '1Gi' } }, storageClassName: 'local-path' },
});
const getPVC = (name: string): Promise<PersistentVolumeClaim> => c.client.get<PersistentVolumeClaim>(persistentVolumeClaimKind, NS, name);
const selectNode = (name: string, node: string): Promise<unknown> =>
  c.client.patch(persistentVolumeClaimKind, NS, name, { type: 'merge', body: { metadata: { annotations: { 'volume.kubernetes.io/selected-node': node } } } });
const reasons = async (name: string): Promise<string[]> => (await eventsFor(c.client, NS, name)).map((e) => e.reason);

before(async () => {
  c = await startCluster();
  // The node's hostname label differs from its name, to show which one the affinity uses.
  await c.client.create(nodeKind, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-a', labels: { 'kubernetes.io/hostname': 'host-a' } } });
  c.run(persistentVolumeBinderControllerWith({ resyncPeriodMs: 1000 }), localPathProvisionerController);
});

after(() => c.stop());

describe('local-path provisioner', () => {
  it('ensures the default local-path StorageClass', async () => {
    const sc = await eventually(() => c.client.get<StorageClass>(storageClassKind, undefined, 'local-path').catch(() => undefined), { what: 'local-path class' });
    assert.equal(sc.provisioner, 'rancher.io/local-path');
    assert.equal(sc.metadata?.annotations?.['storageclass.kubernetes.io/is-default-class'], 'true');
    assert.equal(sc.volumeBindingMode, 'WaitForFirstConsumer');
    assert.equal(sc.reclaimPolicy, 'Delete');
  });

  it('provisions a volume on the selected node once the first consumer is scheduled, and binds it', async () => {
    await c.client.create(persistentVolumeClaimKind, NS, claim('data'));
    await eventually(async () => (await reasons('data')).includes('WaitForFirstConsumer'), { what: 'WaitForFirstConsumer event' });
    assert.equal((await c.client.list(persistentVolumeKind, undefined)).items.length, 0, 'nothing before a node is chosen');
    await selectNode('data', 'node-a');
    const bound = await eventually(async () => {
      const p = await getPVC('data');
      return p.status?.phase === 'Bound' && p;
    }, { what: 'claim bound' });
    const uid = bound.metadata?.uid ?? '';
    assert.equal(bound.spec?.volumeName, `pvc-${uid}`);
    assert.equal(bound.metadata?.annotations?.['volume.kubernetes.io/storage-provisioner'], 'rancher.io/local-path');
    const pv = await c.client.get<PersistentVolume>(persistentVolumeKind, undefined, `pvc-${uid}`);
    assert.equal(pv.spec?.local?.path, `/var/lib/tugboat/storage/pvc-${uid}_default_data`);
    assert.deepEqual(pv.spec?.nodeAffinity?.required?.nodeSelectorTerms, [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['host-a'] }] }]);
    assert.deepEqual(pv.spec?.capacity, { storage: '1Gi' });
    assert.equal(pv.spec?.storageClassName, 'local-path');
    assert.equal(pv.spec?.persistentVolumeReclaimPolicy, 'Delete');
    assert.equal(pv.metadata?.annotations?.['pv.kubernetes.io/provisioned-by'], 'rancher.io/local-path');
    assert.equal(pv.spec?.claimRef?.uid, uid);
    await eventually(async () => (await c.client.get<PersistentVolume>(persistentVolumeKind, undefined, `pvc-${uid}`)).status?.phase === 'Bound', { what: 'PV Bound' });
    const r = await reasons('data');
    assert.ok(r.includes('Provisioning') && r.includes('ProvisioningSucceeded'), r.join());
  });

  it('deletes the volume when its claim goes (reclaim policy Delete)', async () => {
    const name = (await getPVC('data')).spec?.volumeName ?? '';
    await c.client.delete(persistentVolumeClaimKind, NS, 'data');
    await eventually(async () => (await getOrUndefined(c.client, persistentVolumeKind, undefined, name)) === undefined, { what: 'PV deleted' });
  });

  it('refuses access modes a node-local directory cannot offer', async () => {
    await c.client.create(persistentVolumeClaimKind, NS, claim('shared', ['ReadWriteMany']));
    await selectNode('shared', 'node-a');
    const ev = await eventually(async () => (await eventsFor(c.client, NS, 'shared')).find((e) => e.reason === 'ProvisioningFailed'), { what: 'ProvisioningFailed' });
    assert.equal(ev.type, 'Warning');
    assert.match(ev.message, /ReadWriteMany/);
    assert.equal((await getPVC('shared')).status?.phase, 'Pending');
  });
});
