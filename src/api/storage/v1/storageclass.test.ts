// Tests for StorageClass: reclaim policy and binding mode defaults, a required provisioner,
// Recycle refused, and provisioner and parameters fixed after creation.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiObject } from '../../kind.js';
import type { FieldError } from '../../../lib/field-errors.js';
import { decodeObject } from '../../check.js';
import { storageClassKind } from './index.js';

const fields = (errs: FieldError[]): string[] => errs.map((e) => `${e.field} ${e.type}`);
const sc = (body: Record<string, unknown>): ApiObject => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name: 'local-path' },
  ...body,
});

describe('StorageClass', () => {
  it('defaults reclaimPolicy to Delete and volumeBindingMode to Immediate', () => {
    const s = sc({ provisioner: 'tugboat.dev/local-path' });
    storageClassKind.defaults(s);
    assert.equal(s.reclaimPolicy, 'Delete');
    assert.equal(s.volumeBindingMode, 'Immediate');
    assert.deepEqual(storageClassKind.validate(s, undefined), []);
  });

  it('requires a provisioner and refuses Recycle', () => {
    const s = sc({ reclaimPolicy: 'Recycle' });
    storageClassKind.defaults(s);
    assert.deepEqual(fields(storageClassKind.validate(s, undefined)), ['provisioner FieldValueRequired', 'reclaimPolicy FieldValueNotSupported']);
  });

  it('forbids changing provisioner, parameters and binding mode', () => {
    const old = sc({ provisioner: 'a.example.com/p', parameters: { type: 'ssd' }, reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' });
    const now = sc({ provisioner: 'b.example.com/p', parameters: { type: 'hdd' }, reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer' });
    assert.deepEqual(fields(storageClassKind.validate(now, old)), [
      'parameters FieldValueForbidden',
      'provisioner FieldValueForbidden',
      'volumeBindingMode FieldValueInvalid',
    ]);
    const relabeled = sc({ ...old, metadata: { name: 'local-path', labels: { tier: 'fast' } }, allowVolumeExpansion: true });
    assert.deepEqual(storageClassKind.validate(relabeled, old), []);
  });

  it('is cluster-scoped with short name sc and decodes allowed topologies', () => {
    assert.deepEqual([storageClassKind.namespaced, storageClassKind.shortNames], [false, ['sc']]);
    const r = decodeObject(
      storageClassKind.schema,
      sc({
        provisioner: 'p.example.com',
        mountOptions: ['debug'],
        allowedTopologies: [{ matchLabelExpressions: [{ key: 'topology.kubernetes.io/zone', values: ['a', 'b'] }] }],
      }),
    );
    assert.deepEqual([r.unknownFields, r.errors], [[], []]);
  });
});
