// Tests for NodeResourcesBalancedAllocation: nodes whose cpu and memory would be used in equal
// proportions score highest, and pods requesting nothing skip the plugin.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clusterOf, handleFor, makeNode, makePod, scoresOf } from '../../testing/fixtures.js';
import { create } from './index.js';

describe('NodeResourcesBalancedAllocation', () => {
  const cache = clusterOf(
    [makeNode('cpu-heavy', { cpu: '4', memory: '8Gi' }), makeNode('even', { cpu: '4', memory: '8Gi' })],
    [makePod('a', { nodeName: 'cpu-heavy', cpu: '3' }), makePod('b', { nodeName: 'even', cpu: '1', memory: '2Gi' })],
  );

  it('scores 100 * (1 - |cpu fraction - memory fraction| / 2)', () => {
    const s = scoresOf(create, handleFor(cache), makePod('p', { cpu: '1', memory: '2Gi' }));
    // cpu-heavy: cpu 1.0, memory 0.25 → 1 - 0.375 = 62; even: 0.5 and 0.5 → 100.
    assert.deepEqual(s, { 'cpu-heavy': 62, even: 100 });
  });

  it('skips best-effort pods', () => {
    assert.deepEqual(scoresOf(create, handleFor(cache), makePod('p')), { 'cpu-heavy': 0, even: 0 });
  });
});
