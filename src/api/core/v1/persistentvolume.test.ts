// Tests for PersistentVolume and PersistentVolumeClaim: Kubernetes defaults (Retain,
// Filesystem, Pending), required access modes and sizes at Kubernetes' field paths, exactly one
// volume source, and what may change after creation.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiObject } from '../../kind.js';
import type { FieldError } from '../../../lib/field-errors.js';
import { decodeObject } from '../../check.js';
import { persistentVolumeKind } from './persistentvolume.js';
import { persistentVolumeClaimKind } from './persistentvolumeclaim.js';

const fields = (errs: FieldError[]): string[] => errs.map((e) => `${e.field} ${e.type}`);
const pv = (spec: Record<string, unknown>): ApiObject => ({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv1' }, spec });
const pvc = (spec: Record<string, unknown>, status?: Record<string, unknown>): ApiObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'data', namespace: 'default' },
  spec,
  ...(status ? { status } : {}),
});
const hostPathPV = (): ApiObject =>
  pv({ capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/srv/pv1' } });

describe('PersistentVolume', () => {
  it('defaults reclaim policy, volume mode, hostPath type and phase', () => {
    const v = hostPathPV();
    persistentVolumeKind.defaults(v);
    const spec = v.spec as Record<string, unknown>;
    assert.equal(spec.persistentVolumeReclaimPolicy, 'Retain');
    assert.equal(spec.volumeMode, 'Filesystem');
    assert.deepEqual(spec.hostPath, { path: '/srv/pv1', type: '' });
    assert.deepEqual(v.status, { phase: 'Pending' });
    assert.deepEqual(persistentVolumeKind.validate(v, undefined), []);
  });

  it('requires capacity, access modes and exactly one source', () => {
    assert.deepEqual(fields(persistentVolumeKind.validate(pv({}), undefined)), [
      'spec.accessModes FieldValueRequired',
      'spec.capacity FieldValueRequired',
      'spec FieldValueRequired',
    ]);
    const two = pv({ capacity: { storage: '1Gi', cpu: '1' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/a' }, nfs: { server: 'nas', path: '/b' } });
    assert.deepEqual(fields(persistentVolumeKind.validate(two, undefined)), ['spec.capacity FieldValueNotSupported', 'spec.nfs FieldValueForbidden']);
  });

  it('requires node affinity for local volumes', () => {
    const local = pv({ capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], local: { path: '/mnt/disk' } });
    assert.deepEqual(fields(persistentVolumeKind.validate(local, undefined)), ['spec.nodeAffinity FieldValueRequired']);
  });

  it('keeps the source fixed but lets capacity change', () => {
    const old = hostPathPV();
    const grown = hostPathPV();
    (grown.spec as Record<string, unknown>).capacity = { storage: '2Gi' };
    assert.deepEqual(persistentVolumeKind.validate(grown, old), []);
    const moved = hostPathPV();
    (moved.spec as Record<string, unknown>).hostPath = { path: '/elsewhere' };
    assert.deepEqual(fields(persistentVolumeKind.validate(moved, old)), ['spec.persistentvolumesource FieldValueForbidden']);
  });

  it('is cluster-scoped, short name pv, and decodes a CSI volume with node affinity', () => {
    assert.deepEqual([persistentVolumeKind.namespaced, persistentVolumeKind.shortNames, persistentVolumeKind.status], [false, ['pv'], true]);
    const r = decodeObject(
      persistentVolumeKind.schema,
      pv({
        capacity: { storage: '5Gi' },
        accessModes: ['ReadWriteOnce'],
        csi: { driver: 'disk.csi.example.com', volumeHandle: 'vol-1', fsType: 'ext4', volumeAttributes: { a: 'b' }, nodePublishSecretRef: { name: 's', namespace: 'ns' } },
        claimRef: { kind: 'PersistentVolumeClaim', namespace: 'default', name: 'data', uid: 'u' },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['a'] }] }] } },
        mountOptions: ['noatime'],
        storageClassName: 'fast',
      }),
    );
    assert.deepEqual([r.unknownFields, r.errors], [[], []]);
  });
});

describe('PersistentVolumeClaim', () => {
  it('defaults volume mode and phase and mirrors dataSource into dataSourceRef', () => {
    const c = pvc({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, dataSource: { kind: 'PersistentVolumeClaim', name: 'src' } });
    persistentVolumeClaimKind.defaults(c);
    const spec = c.spec as Record<string, unknown>;
    assert.equal(spec.volumeMode, 'Filesystem');
    assert.deepEqual(spec.dataSourceRef, { kind: 'PersistentVolumeClaim', name: 'src' });
    assert.deepEqual(c.status, { phase: 'Pending' });
    assert.deepEqual(persistentVolumeClaimKind.validate(c, undefined), []);
  });

  it('requires access modes and a storage request', () => {
    assert.deepEqual(fields(persistentVolumeClaimKind.validate(pvc({}), undefined)), [
      'spec.accessModes FieldValueRequired',
      'spec.resources[storage] FieldValueRequired',
    ]);
  });

  it('treats the same spec in another key order as unchanged (admission adds fields at the end)', () => {
    const stored = pvc({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem', storageClassName: 'local-path' });
    const decoded = pvc({ storageClassName: 'local-path', accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem', resources: { requests: { storage: '1Gi' } } });
    assert.deepEqual(persistentVolumeClaimKind.validate(decoded, stored), []);
  });

  it('allows growing a bound claim and setting volumeName once, nothing else', () => {
    const base = { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } };
    const bound = pvc({ ...base, volumeName: 'pv1' }, { phase: 'Bound', capacity: { storage: '1Gi' } });
    assert.deepEqual(persistentVolumeClaimKind.validate(pvc({ ...base, volumeName: 'pv1' }), pvc(base)), []);
    const grown = pvc({ ...base, volumeName: 'pv1', resources: { requests: { storage: '2Gi' } } });
    assert.deepEqual(persistentVolumeClaimKind.validate(grown, bound), []);
    const shrunk = pvc({ ...base, volumeName: 'pv1', resources: { requests: { storage: '500Mi' } } });
    assert.deepEqual(fields(persistentVolumeClaimKind.validate(shrunk, bound)), ['spec.resources.requests.storage FieldValueForbidden']);
    const rebound = pvc({ ...base, volumeName: 'pv2' });
    assert.deepEqual(fields(persistentVolumeClaimKind.validate(rebound, bound)), ['spec FieldValueForbidden']);
    const pendingResize = pvc({ ...base, resources: { requests: { storage: '2Gi' } } });
    assert.deepEqual(fields(persistentVolumeClaimKind.validate(pendingResize, pvc(base))), ['spec FieldValueForbidden']);
  });

  it('is namespaced with short name pvc and a status subresource', () => {
    assert.deepEqual([persistentVolumeClaimKind.namespaced, persistentVolumeClaimKind.shortNames, persistentVolumeClaimKind.status], [true, ['pvc'], true]);
  });
});
