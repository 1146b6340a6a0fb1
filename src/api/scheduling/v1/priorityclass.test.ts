// Tests for PriorityClass: the user ceiling of one billion, the reserved system- names, the
// default preemption policy, and that value and preemptionPolicy cannot change.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiObject } from '../../kind.js';
import type { FieldError } from '../../../lib/field-errors.js';
import { priorityClassKind } from './index.js';

const pc = (name: string, o: Record<string, unknown> = {}): ApiObject => ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value: 100, ...o });
const errors = (errs: FieldError[]): string[] => errs.map((e) => `${e.field} ${e.type}${e.detail ? `: ${e.detail}` : ''}`);

describe('PriorityClass', () => {
  it('accepts user classes up to one billion and defaults the preemption policy', () => {
    const ok = pc('high', { value: 1_000_000_000 });
    priorityClassKind.defaults(ok);
    assert.deepEqual(priorityClassKind.validate(ok, undefined), []);
    assert.equal(ok.preemptionPolicy, 'PreemptLowerPriority');
    assert.deepEqual(errors(priorityClassKind.validate(pc('too-high', { value: 1_000_000_001 }), undefined)), [
      'value FieldValueForbidden: maximum allowed value of a user defined priority is 1000000000',
    ]);
  });

  it('reserves system- names for the built-in classes with their values', () => {
    assert.deepEqual(priorityClassKind.validate(pc('system-node-critical', { value: 2_000_001_000 }), undefined), []);
    assert.deepEqual(errors(priorityClassKind.validate(pc('system-mine', { value: 5 }), undefined)), [
      "metadata.name FieldValueForbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class",
    ]);
    assert.equal(priorityClassKind.validate(pc('system-cluster-critical', { value: 5 }), undefined).length, 1);
  });

  it('forbids changing value or preemptionPolicy', () => {
    const old = pc('c', { value: 5, preemptionPolicy: 'Never' });
    assert.deepEqual(errors(priorityClassKind.validate(pc('c', { value: 6, preemptionPolicy: 'Never' }), old)), ['value FieldValueForbidden: may not be changed in an update.']);
    assert.deepEqual(errors(priorityClassKind.validate(pc('c', { value: 5, preemptionPolicy: 'PreemptLowerPriority' }), old)), [
      'preemptionPolicy FieldValueInvalid: field is immutable',
    ]);
    assert.deepEqual(priorityClassKind.validate(pc('c', { value: 5, preemptionPolicy: 'Never', description: 'changed' }), old), []);
    assert.deepEqual([priorityClassKind.namespaced, priorityClassKind.shortNames, priorityClassKind.apiVersion], [false, ['pc'], 'scheduling.k8s.io/v1']);
  });
});
