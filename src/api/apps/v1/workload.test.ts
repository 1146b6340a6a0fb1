import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { intOrPercentValue, sameValue, selectorMatches } from './workload.js';

describe('selectorMatches', () => {
  const labels = { app: 'web', tier: 'front' };

  it('ANDs matchLabels and every expression operator', () => {
    assert.equal(selectorMatches({}, labels), true);
    assert.equal(selectorMatches({ matchLabels: { app: 'web' } }, labels), true);
    assert.equal(selectorMatches({ matchLabels: { app: 'api' } }, labels), false);
    assert.equal(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] }, labels), true);
    assert.equal(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, labels), false);
    assert.equal(selectorMatches({ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, labels), true);
    assert.equal(selectorMatches({ matchExpressions: [{ key: 'env', operator: 'Exists' }] }, labels), false);
    assert.equal(selectorMatches({ matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] }, labels), true);
    assert.equal(
      selectorMatches({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, labels),
      false,
    );
    assert.equal(selectorMatches({ matchLabels: { app: 'web' } }, undefined), false);
  });
});

describe('sameValue', () => {
  it('ignores key order and treats missing and empty lists alike, nothing else', () => {
    assert.equal(sameValue({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 }), true);
    assert.equal(sameValue({ a: [] }, {}), true);
    assert.equal(sameValue({ a: {} }, {}), false);
    assert.equal(sameValue([1, 2], [2, 1]), false);
    assert.equal(sameValue({ a: '1' }, { a: 1 }), false);
  });
});

describe('intOrPercentValue', () => {
  it('reads counts and percentages', () => {
    assert.equal(intOrPercentValue(3), 3);
    assert.equal(intOrPercentValue('25%'), 25);
    assert.equal(intOrPercentValue('0%'), 0);
    assert.equal(intOrPercentValue(undefined), 0);
  });
});
