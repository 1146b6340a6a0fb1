// Unit tests for the garbage collector's per-dependent decision and its absent-owner memory.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiObject } from '../../api/kind.js';
import { AbsentOwners, classify, decide, type OwnerState } from './decide.js';
import type { OwnerRef } from './graph.js';

const ref = (uid: string): OwnerRef => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `rs-${uid}`, uid });
const dep = (finalizers: string[] = []): ApiObject => ({ metadata: { name: 'p', namespace: 'ns', finalizers } });

function owners(states: Record<string, OwnerState>) {
  return classify(Object.keys(states).map(ref), (r) => states[r.uid] as OwnerState);
}

describe('garbage collector decision', () => {
  it('keeps a dependent whose owners all exist', () => {
    assert.deepEqual(decide(dep(), owners({ a: 'solid' }), { hasDependents: false }), { action: 'keep' });
  });

  it('drops only the dead references when another owner is alive', () => {
    assert.deepEqual(decide(dep(), owners({ a: 'solid', b: 'dangling', c: 'waiting' }), { hasDependents: true }), { action: 'removeRefs', uids: ['b', 'c'] });
  });

  it('deletes in the background when every owner is gone', () => {
    assert.deepEqual(decide(dep(), owners({ a: 'dangling', b: 'dangling' }), { hasDependents: true }), { action: 'delete', policy: 'Background' });
  });

  it('deletes in the foreground under a foreground-deleting owner when it has dependents of its own', () => {
    assert.deepEqual(decide(dep(), owners({ a: 'waiting' }), { hasDependents: true }), { action: 'delete', policy: 'Foreground' });
    assert.deepEqual(decide(dep(), owners({ a: 'waiting' }), { hasDependents: false }), { action: 'delete', policy: 'Background' });
  });

  it("honours a dependent's own orphan finalizer", () => {
    assert.deepEqual(decide(dep(['orphan']), owners({ a: 'dangling' }), { hasDependents: false }), { action: 'delete', policy: 'Orphan' });
  });

  it('remembers a bounded number of absent owners, oldest forgotten first', () => {
    const a = new AbsentOwners(2);
    a.add('1');
    a.add('2');
    a.add('3');
    assert.equal(a.has('1'), false);
    assert.equal(a.has('2'), true);
    assert.equal(a.has('3'), true);
  });
});
