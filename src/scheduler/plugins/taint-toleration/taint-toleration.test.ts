// Tests for TaintToleration: NoSchedule/NoExecute taints filter unless tolerated (Equal, Exists,
// empty key), with Kubernetes' message; PreferNoSchedule taints only lower the score.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clusterOf, filterOn, handleFor, makeNode, makePod, scoresOf } from '../../testing/fixtures.js';
import { create } from './index.js';

describe('TaintToleration', () => {
  const cache = clusterOf([
    makeNode('cp', { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }),
    makeNode('gpu', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }] }),
    makeNode('soft', { taints: [{ key: 'spot', value: 'true', effect: 'PreferNoSchedule' }] }),
    makeNode('plain'),
  ]);
  const h = handleFor(cache);

  it('rejects untolerated hard taints with the taint in the message', () => {
    const s = filterOn(create, h, makePod('p'), 'cp');
    assert.equal(s?.code, 'UnschedulableAndUnresolvable');
    assert.deepEqual(s?.reasons, ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }']);
    assert.deepEqual(filterOn(create, h, makePod('p'), 'gpu')?.reasons, ['node(s) had untolerated taint {dedicated: gpu}']);
    assert.equal(filterOn(create, h, makePod('p'), 'soft'), undefined);
  });

  it('accepts matching tolerations: Equal with value, Exists by key, and an empty key with Exists', () => {
    const tol = (t: object) => makePod('p', { spec: { tolerations: [t] } });
    assert.equal(filterOn(create, h, tol({ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoExecute' }), 'gpu'), undefined);
    assert.notEqual(filterOn(create, h, tol({ key: 'dedicated', operator: 'Equal', value: 'cpu' }), 'gpu'), undefined);
    assert.notEqual(filterOn(create, h, tol({ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }), 'gpu'), undefined);
    assert.equal(filterOn(create, h, tol({ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' }), 'cp'), undefined);
    assert.equal(filterOn(create, h, tol({ operator: 'Exists' }), 'gpu'), undefined);
  });

  it('scores nodes with untolerated PreferNoSchedule taints lower', () => {
    const s = scoresOf(create, h, makePod('p'), ['soft', 'plain']);
    assert.deepEqual(s, { soft: 0, plain: 100 });
    const tolerant = makePod('p', { spec: { tolerations: [{ key: 'spot', operator: 'Exists' }] } });
    assert.deepEqual(scoresOf(create, h, tolerant, ['soft', 'plain']), { soft: 100, plain: 100 });
  });
});
