// Tests for priority admission: a named class sets spec.priority and the preemption policy, a
// missing class is Forbidden, a contradicting spec.priority is Forbidden, and pods naming no
// class get the global default class or priority 0.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiObject } from '../../../api/kind.js';
import { StatusError } from '../../../lib/errors.js';
import { podPriorityAdmission, type PriorityClassLookup } from './pod-priority.js';

const classes: ApiObject[] = [
  { metadata: { name: 'high' }, value: 1000, preemptionPolicy: 'PreemptLowerPriority' },
  { metadata: { name: 'polite' }, value: 500, preemptionPolicy: 'Never' },
];
const lookup = (all: ApiObject[]): PriorityClassLookup => ({
  get: (name) => Promise.resolve(all.find((c) => c.metadata?.name === name)),
  list: () => all,
});
const ctx = { now: new Date(), user: undefined, dryRun: false, warnings: [] };
const pod = (spec: Record<string, unknown>): ApiObject & { spec: Record<string, unknown> } => ({ metadata: { name: 'p', namespace: 'default' }, spec: { containers: [], ...spec } });

describe('pod priority admission', () => {
  it('fills in the priority and preemption policy of the named class', async () => {
    const p = pod({ priorityClassName: 'polite', preemptionPolicy: 'PreemptLowerPriority' });
    await podPriorityAdmission(lookup(classes))(p, ctx);
    assert.deepEqual([p.spec.priority, p.spec.preemptionPolicy], [500, 'Never']);
  });

  it('forbids a class that does not exist and a priority that contradicts the class', async () => {
    await assert.rejects(podPriorityAdmission(lookup(classes))(pod({ priorityClassName: 'nope' }), ctx), (e: unknown) => {
      assert.ok(e instanceof StatusError);
      assert.deepEqual([e.code, e.message], [403, 'pods "p" is forbidden: no PriorityClass with name nope was found']);
      return true;
    });
    await assert.rejects(podPriorityAdmission(lookup(classes))(pod({ priorityClassName: 'high', priority: 7 }), ctx), /the integer value of priority \(7\) must not be provided/);
    await assert.rejects(podPriorityAdmission(lookup(classes))(pod({ priorityClassName: 'high', preemptionPolicy: 'Never' }), ctx), /PreemptionPolicy \(Never\)/);
  });

  it('gives pods without a class the global default, or 0', async () => {
    const plain = pod({ priority: 0 });
    await podPriorityAdmission(lookup(classes))(plain, ctx);
    assert.equal(plain.spec.priority, 0);
    const withDefault = pod({ priority: 0 });
    await podPriorityAdmission(lookup([...classes, { metadata: { name: 'normal' }, value: 50, globalDefault: true }]))(withDefault, ctx);
    assert.deepEqual([withDefault.spec.priorityClassName, withDefault.spec.priority], ['normal', 50]);
  });
});
