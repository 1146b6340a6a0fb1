// Unit tests of ReplicaSet status arithmetic and the ReplicaFailure condition.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/core/v1/index.js';
import type { ReplicaSet } from '../../api/apps/v1/index.js';
import { calculateStatus } from './status.js';
import { slowStartBatch } from './pod-control.js';

const rs: ReplicaSet = {
  metadata: { name: 'x', generation: 4 },
  spec: { replicas: 3, minReadySeconds: 10, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b', tier: 'web' } } } },
} as ReplicaSet;

const pod = (labels: Record<string, string>, readyAt?: string): Pod =>
  ({ metadata: { labels }, status: { phase: 'Running', conditions: readyAt ? [{ type: 'Ready', status: 'True', lastTransitionTime: readyAt }] : [] } }) as Pod;

describe('calculateStatus', () => {
  const now = Date.parse('2024-01-01T00:01:00Z');
  it('counts fully labelled, ready and available pods', () => {
    const s = calculateStatus({ rs, now, pods: [pod({ a: 'b', tier: 'web' }, '2024-01-01T00:00:00Z'), pod({ a: 'b' }, '2024-01-01T00:00:55Z'), pod({ a: 'b', tier: 'web' })] });
    assert.deepEqual(s, { replicas: 3, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 1, observedGeneration: 4 });
  });
  it('adds ReplicaFailure on a create error and removes it after a clean sync', () => {
    const failed = calculateStatus({ rs, now, pods: [], manageError: new Error('pods "x" is forbidden: exceeded quota') });
    assert.deepEqual(failed.conditions, [
      { type: 'ReplicaFailure', status: 'True', lastTransitionTime: '2024-01-01T00:01:00Z', reason: 'FailedCreate', message: 'pods "x" is forbidden: exceeded quota' },
    ]);
    const healed = calculateStatus({ rs: { ...rs, status: failed }, now, pods: [] });
    assert.equal(healed.conditions, undefined);
  });
});

describe('slowStartBatch', () => {
  it('doubles the batch while calls succeed and stops after a failing batch', async () => {
    let calls = 0;
    const r = await slowStartBatch(20, {
      initialBatch: 1,
      fn: async () => {
        calls += 1;
        if (calls > 5) throw new Error('quota');
      },
    });
    // Batches 1, 2, 4: the third batch has two failures, so nothing more is attempted.
    assert.equal(calls, 7);
    assert.equal(r.successes, 5);
    assert.equal((r.error as Error).message, 'quota');
  });
});
