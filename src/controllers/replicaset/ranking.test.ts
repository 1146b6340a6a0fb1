// Unit tests of the scale-down order: each rule of Kubernetes' ranking decides on its own when
// every earlier rule ties.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/core/v1/index.js';
import { podsToDelete, POD_DELETION_COST } from './ranking.js';

interface Opts {
  node?: string;
  phase?: 'Pending' | 'Running' | 'Unknown';
  readySince?: string;
  restarts?: number;
  created?: string;
  cost?: string;
}

function pod(name: string, o: Opts = {}): Pod {
  return {
    metadata: {
      name,
      creationTimestamp: o.created ?? '2024-01-01T00:00:00Z',
      ...(o.cost !== undefined ? { annotations: { [POD_DELETION_COST]: o.cost } } : {}),
    },
    spec: { containers: [{ name: 'c' }], ...(o.node ? { nodeName: o.node } : {}) },
    status: {
      phase: o.phase ?? 'Running',
      conditions: o.readySince ? [{ type: 'Ready', status: 'True', lastTransitionTime: o.readySince }] : [{ type: 'Ready', status: 'False' }],
      containerStatuses: [{ name: 'c', ready: Boolean(o.readySince), restartCount: o.restarts ?? 0, image: 'x', imageID: '' }],
    },
  } as Pod;
}

const first = (pods: Pod[], related: Pod[] = pods): string | undefined => podsToDelete(pods, { count: 1, related })[0]?.metadata?.name;
const ready = '2024-01-01T00:10:00Z';

describe('podsToDelete', () => {
  it('prefers a pod not yet on a node', () => {
    assert.equal(first([pod('on-node', { node: 'n1', readySince: ready }), pod('nowhere', { readySince: ready })]), 'nowhere');
  });
  it('prefers Pending, then Unknown, over Running', () => {
    assert.equal(first([pod('running', { node: 'n' }), pod('unknown', { node: 'n', phase: 'Unknown' })]), 'unknown');
    assert.equal(first([pod('unknown', { node: 'n', phase: 'Unknown' }), pod('pending', { node: 'n', phase: 'Pending' })]), 'pending');
  });
  it('prefers a pod that is not ready', () => {
    assert.equal(first([pod('ready', { node: 'n', readySince: ready }), pod('unready', { node: 'n' })]), 'unready');
  });
  it('prefers the lower pod-deletion-cost', () => {
    assert.equal(first([pod('cheap', { node: 'n', readySince: ready, cost: '-5' }), pod('dear', { node: 'n', readySince: ready, cost: '10' })]), 'cheap');
  });
  it('prefers a pod doubled up on a node with others of the workload', () => {
    const alone = pod('alone', { node: 'a', readySince: ready });
    const crowded = pod('crowded', { node: 'b', readySince: ready });
    const sibling = pod('sibling', { node: 'b', readySince: ready });
    assert.equal(first([alone, crowded], [alone, crowded, sibling]), 'crowded');
  });
  it('prefers the pod that became ready most recently', () => {
    assert.equal(first([pod('old', { node: 'n', readySince: '2024-01-01T00:00:00Z' }), pod('recent', { node: 'n', readySince: ready })]), 'recent');
  });
  it('prefers more restarts, then the newer pod', () => {
    assert.equal(first([pod('calm', { node: 'n', restarts: 0 }), pod('flappy', { node: 'n', restarts: 3 })]), 'flappy');
    assert.equal(first([pod('old', { node: 'n' }), pod('new', { node: 'n', created: '2024-02-01T00:00:00Z' })]), 'new');
  });
  it('returns everything when asked for at least as many as there are', () => {
    assert.equal(podsToDelete([pod('a'), pod('b')], { count: 5, related: [] }).length, 2);
  });
});
