// Tests for Lease: spec validation (positive duration, non-negative transitions, preferred holder
// only with a strategy) and that a heartbeat lease decodes with microsecond times.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiObject } from '../../kind.js';
import type { FieldError } from '../../../lib/field-errors.js';
import { decodeObject } from '../../check.js';
import { leaseKind } from './index.js';

const fields = (errs: FieldError[]): string[] => errs.map((e) => `${e.field} ${e.type}`);
const lease = (spec: Record<string, unknown>): ApiObject => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name: 'node-1', namespace: 'kube-node-lease' },
  spec,
});

describe('Lease', () => {
  it('decodes and accepts a node heartbeat', () => {
    const r = decodeObject(leaseKind.schema, lease({ holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2024-01-01T00:00:00.123456Z' }));
    assert.deepEqual([r.unknownFields, r.errors], [[], []]);
    assert.deepEqual(leaseKind.validate(r.object, undefined), []);
  });

  it('rejects a non-positive duration, negative transitions and a preferred holder without strategy', () => {
    const l = lease({ leaseDurationSeconds: 0, leaseTransitions: -1, preferredHolder: 'b' });
    assert.deepEqual(fields(leaseKind.validate(l, undefined)), [
      'spec.leaseDurationSeconds FieldValueInvalid',
      'spec.leaseTransitions FieldValueInvalid',
      'spec.preferredHolder FieldValueForbidden',
    ]);
    assert.deepEqual([leaseKind.namespaced, leaseKind.status, leaseKind.plural], [true, false, 'leases']);
  });
});
