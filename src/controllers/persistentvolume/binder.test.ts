// Integration tests of the PV binder against a real `tug server` running no controllers:
// static binding (smallest fit, access modes, selector, pre-binding either way), claims that find
// nothing, release and reclaim policies, claims handed to an external provisioner (played by the
// test), and WaitForFirstConsumer claims bound only once a node is selected.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nodeKind, persistentVolumeClaimKind, persistentVolumeKind, type PersistentVolume, type PersistentVolumeClaim } from '../../api/core/v1/index.js';
import { storageClassKind } from '../../api/storage/v1/index.js';
import { eventsFor, eventually, startCluster, type Cluster } from '../testing/index.test.js';
import { persistentVolumeBinderControllerWith } from './index.js';

let c: Cluster;
const NS = 'default';

function pv(name: string, o: { size: string; modes?: string[]; cls?: string; labels?: Record<string, string>; policy?: 'Retain' | 'Delete'; node?: string; claimRef?: Record<string, string> }): PersistentVolume {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, labels: o.labels ?? {} },
    spec: {
      capacity: { storage: o.size },
      accessModes: o.modes ?? ['ReadWriteOnce'],
      storageClassName: o.cls ?? '',
      persistentVolumeReclaimPolicy: o.policy ?? 'Retain',
      ...(o.node
        ? { local: { path: `/data/${name}` }, nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [o.node] }] }] } } }
        : { hostPath: { path: `/data/${name}` } }),
      ...(o.claimRef ? { claimRef: o.claimRef } : {}),
    },
  };
}

function pvc(name: string, o: { size: string; modes?: string[]; cls?: string; volumeName?: string; selector?: Record<string, string> }): PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: NS },
    spec: {
      accessModes: o.modes ?? ['ReadWriteOnce'],
      resources: { requests: { storage: o.size } },
      storageClassName: o.cls ?? '',
      ...(o.volumeName ? { volumeName: o.volumeName } : {}),
      ...(o.selector ? { selector: { matchLabels: o.selector } } : {}),
    },
  };
}

const getPV = (name: string): Promise<PersistentVolume> => c.client.get<PersistentVolume>(persistentVolumeKind, undefined, name);
const getPVC = (name: string): Promise<PersistentVolumeClaim> => c.client.get<PersistentVolumeClaim>(persistentVolumeClaimKind, NS, name);
const boundTo = (claim: string): Promise<string | undefined> =>
  eventually(async () => {
    const p = await getPVC(claim);
    return p.status?.phase === 'Bound' && p.spec?.volumeName;
  }, { what: `${claim} bound` });
const hasEvent = (name: string, reason: string): Promise<{ reason: string; message: string; type: string }> =>
  eventually(async () => (await eventsFor(c.client, NS, name)).find((e) => e.reason === reason), { what: `${reason} event on ${name}` });

before(async () => {
  c = await startCluster();
  c.run(persistentVolumeBinderControllerWith({ resyncPeriodMs: 1000 }));
});

after(() => c.stop());

describe('PV binder', () => {
  it('binds a claim to the smallest volume that fits, filling in both sides', async () => {
    await c.client.create(persistentVolumeKind, undefined, pv('small', { size: '1Gi' }));
    await c.client.create(persistentVolumeKind, undefined, pv('medium', { size: '2Gi', modes: ['ReadWriteOnce', 'ReadWriteMany'] }));
    await c.client.create(persistentVolumeKind, undefined, pv('large', { size: '5Gi' }));
    await c.client.create(persistentVolumeKind, undefined, pv('fast', { size: '2Gi', cls: 'fast' }));
    await eventually(async () => (await getPV('large')).status?.phase === 'Available', { what: 'volumes Available' });
    await c.client.create(persistentVolumeClaimKind, NS, pvc('data', { size: '1500Mi' }));
    assert.equal(await boundTo('data'), 'medium');
    const claim = await getPVC('data');
    assert.deepEqual(claim.status?.capacity, { storage: '2Gi' });
    assert.deepEqual(claim.status?.accessModes, ['ReadWriteOnce', 'ReadWriteMany']);
    assert.equal(claim.metadata?.annotations?.['pv.kubernetes.io/bind-completed'], 'yes');
    assert.equal(claim.metadata?.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes');
    const vol = await eventually(async () => {
      const v = await getPV('medium');
      return v.status?.phase === 'Bound' && v;
    });
    assert.equal(vol.spec?.claimRef?.name, 'data');
    assert.equal(vol.spec?.claimRef?.uid, claim.metadata?.uid);
    assert.equal(vol.metadata?.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes');
  });

  it('honours access modes, selectors and pre-binding from either side', async () => {
    await c.client.create(persistentVolumeKind, undefined, pv('labelled', { size: '10Gi', labels: { tier: 'gold' } }));
    await c.client.create(persistentVolumeKind, undefined, pv('reserved', { size: '10Gi', claimRef: { namespace: NS, name: 'wants-reserved' } }));
    await c.client.create(persistentVolumeClaimKind, NS, pvc('gold', { size: '1Gi', selector: { tier: 'gold' } }));
    await c.client.create(persistentVolumeClaimKind, NS, pvc('named', { size: '1Gi', volumeName: 'large' }));
    await c.client.create(persistentVolumeClaimKind, NS, pvc('wants-reserved', { size: '1Gi' }));
    await c.client.create(persistentVolumeClaimKind, NS, pvc('shared', { size: '1Gi', modes: ['ReadWriteMany'] }));
    assert.equal(await boundTo('gold'), 'labelled');
    assert.equal(await boundTo('named'), 'large', 'spec.volumeName is honoured although smaller ones fit');
    assert.equal(await boundTo('wants-reserved'), 'reserved', 'a volume pre-bound to the claim wins');
    assert.equal((await getPVC('named')).metadata?.annotations?.['pv.kubernetes.io/bound-by-controller'], undefined, 'the user chose the volume');
    // The only ReadWriteMany volume is taken.
    const ev = await hasEvent('shared', 'FailedBinding');
    assert.equal(ev.message, 'no persistent volumes available for this claim and no storage class is set');
    assert.equal((await getPVC('shared')).status?.phase, 'Pending');
    await c.client.create(persistentVolumeClaimKind, NS, pvc('too-big', { size: '1Gi', volumeName: 'fast' }));
    const mismatch = await hasEvent('too-big', 'VolumeMismatch');
    assert.equal(mismatch.message, 'Cannot bind to requested volume "fast": storageClassName does not match');
  });

  it('releases a volume whose claim is deleted: Retain keeps it, Delete without a provisioner fails', async () => {
    await c.client.delete(persistentVolumeClaimKind, NS, 'data');
    await eventually(async () => (await getPV('medium')).status?.phase === 'Released', { what: 'medium Released' });
    assert.equal((await getPV('medium')).spec?.claimRef?.name, 'data', 'a released volume keeps its claimRef');
    await c.client.create(persistentVolumeKind, undefined, pv('scratch', { size: '3Gi', policy: 'Delete', cls: 'scratch' }));
    await c.client.create(persistentVolumeClaimKind, NS, pvc('tmp', { size: '3Gi', cls: 'scratch' }));
    assert.equal(await boundTo('tmp'), 'scratch');
    await c.client.delete(persistentVolumeClaimKind, NS, 'tmp');
    await eventually(async () => (await getPV('scratch')).status?.phase === 'Failed', { what: 'scratch Failed' });
    assert.equal((await hasEvent('scratch', 'VolumeFailedDelete')).type, 'Warning');
  });

  it('hands claims of a provisioning class to its provisioner and binds what it makes', async () => {
    await c.client.create(storageClassKind, undefined, { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'nfs' }, provisioner: 'example.com/nfs' });
    await c.client.create(persistentVolumeClaimKind, NS, pvc('dyn', { size: '1Gi', cls: 'nfs' }));
    const claim = await eventually(async () => {
      const p = await getPVC('dyn');
      return p.metadata?.annotations?.['volume.kubernetes.io/storage-provisioner'] === 'example.com/nfs' && p;
    }, { what: 'provisioner annotation' });
    assert.equal(claim.metadata?.annotations?.['volume.beta.kubernetes.io/storage-provisioner'], 'example.com/nfs');
    assert.match((await hasEvent('dyn', 'ExternalProvisioning')).message, /external provisioner 'example.com\/nfs'/);
    // The provisioner's part: a volume pre-bound to the claim by uid.
    const made = pv('pvc-dyn', { size: '1Gi', cls: 'nfs', policy: 'Delete', claimRef: { kind: 'PersistentVolumeClaim', namespace: NS, name: 'dyn', uid: claim.metadata?.uid ?? '' } });
    made.metadata = { ...made.metadata, annotations: { 'pv.kubernetes.io/provisioned-by': 'example.com/nfs' } };
    await c.client.create(persistentVolumeKind, undefined, made);
    assert.equal(await boundTo('dyn'), 'pvc-dyn');
  });

  it('binds a WaitForFirstConsumer claim only once a node is selected, to a volume reachable there', async () => {
    await c.client.create(storageClassKind, undefined, {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'local' },
      provisioner: 'kubernetes.io/no-provisioner',
      volumeBindingMode: 'WaitForFirstConsumer',
    });
    for (const n of ['n1', 'n2']) await c.client.create(nodeKind, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: n, labels: { 'kubernetes.io/hostname': n } } });
    await c.client.create(persistentVolumeKind, undefined, pv('local-n1', { size: '1Gi', cls: 'local', node: 'n1' }));
    await c.client.create(persistentVolumeKind, undefined, pv('local-n2', { size: '2Gi', cls: 'local', node: 'n2' }));
    await c.client.create(persistentVolumeClaimKind, NS, pvc('db', { size: '1Gi', cls: 'local' }));
    assert.equal((await hasEvent('db', 'WaitForFirstConsumer')).message, 'waiting for first consumer to be created before binding');
    assert.equal((await getPVC('db')).spec?.volumeName, undefined);
    await c.client.patch(persistentVolumeClaimKind, NS, 'db', { type: 'merge', body: { metadata: { annotations: { 'volume.kubernetes.io/selected-node': 'n2' } } } });
    assert.equal(await boundTo('db'), 'local-n2', 'the smaller volume is on the other node');
  });
});
