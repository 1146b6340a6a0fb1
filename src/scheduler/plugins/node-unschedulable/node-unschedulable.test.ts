// Tests for NodeUnschedulable and NodeName.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clusterOf, filterOn, handleFor, makeNode, makePod } from '../../testing/fixtures.js';
import { create } from './index.js';
import { create as nodeName } from '../node-name/index.js';

describe('NodeUnschedulable', () => {
  const h = handleFor(clusterOf([makeNode('cordoned', { unschedulable: true }), makeNode('open')]));

  it('keeps pods off cordoned nodes unless they tolerate the unschedulable taint', () => {
    assert.deepEqual(filterOn(create, h, makePod('p'), 'cordoned')?.reasons, ['node(s) were unschedulable']);
    assert.equal(filterOn(create, h, makePod('p'), 'open'), undefined);
    const ds = makePod('p', { spec: { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] } });
    assert.equal(filterOn(create, h, ds, 'cordoned'), undefined);
  });
});

describe('NodeName', () => {
  const h = handleFor(clusterOf([makeNode('a'), makeNode('b')]));

  it('passes only the named node', () => {
    const pod = makePod('p', { spec: { nodeName: 'a' } });
    assert.equal(filterOn(nodeName, h, pod, 'a'), undefined);
    assert.deepEqual(filterOn(nodeName, h, pod, 'b')?.reasons, ["node(s) didn't match the requested node name"]);
  });
});
