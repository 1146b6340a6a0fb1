// Tests for one scheduling attempt with the default profile: the FailedScheduling sentence,
// how many nodes are looked at, spreading by score, and preemption's choice of victims.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../api/core/v1/index.js';
import { Algorithm, feasibleNodesToFind, type AlgorithmContext } from './algorithm.js';
import { Nominator } from './cache/nominator.js';
import { CycleState } from './framework/cycle-state.js';
import { fitErrorMessage } from './framework/fit-error.js';
import { Framework } from './framework/framework.js';
import { podInfo } from './framework/pod-info.js';
import { DEFAULT_PROFILE, PLUGINS } from './plugins/registry.js';
import { preempt } from './preemption/index.js';
import { clusterOf, handleFor, makeNode, makePod } from './testing/fixtures.js';

function contextFor(nodes: ReturnType<typeof makeNode>[], pods: Pod[] = []): AlgorithmContext {
  const cache = clusterOf(nodes, pods);
  return { framework: new Framework(PLUGINS, DEFAULT_PROFILE, handleFor(cache)), snapshot: cache, nominator: new Nominator(), random: () => 0.5 };
}

/** The full FailedScheduling message for `pod`, or the node it lands on. */
function attempt(ctx: AlgorithmContext, pod: Pod): { node?: string; message?: string; nominated?: string; victims?: string[] } {
  const state = new CycleState();
  const info = podInfo(pod);
  const a = new Algorithm(ctx).schedule(state, info);
  if (a.kind === 'scheduled') return { node: a.node };
  if (a.kind === 'noNodes') return { message: 'no nodes' };
  const p = preempt(ctx, state, info, { diagnosis: a.diagnosis, filters: a.filters });
  if (p.kind === 'nominated') return { message: fitErrorMessage(a.numAllNodes, a.diagnosis), nominated: p.candidate.node, victims: p.candidate.victims.map((v) => v.name).sort() };
  a.diagnosis.postFilterMsg = p.message;
  return { message: fitErrorMessage(a.numAllNodes, a.diagnosis) };
}

const controlPlane = makeNode('cp', { cpu: '8', taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] });

describe('scheduling attempt', () => {
  it("words FailedScheduling as Kubernetes does, preemption's verdict included", () => {
    const ctx = contextFor([controlPlane, makeNode('w1', { cpu: '2' }), makeNode('w2', { cpu: '2' })]);
    assert.deepEqual(attempt(ctx, makePod('big', { cpu: '3' })), {
      message:
        '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. ' +
        'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    });
    assert.deepEqual(attempt(ctx, makePod('big', { cpu: '3', spec: { preemptionPolicy: 'Never' } })).message?.split('. ')[1], 'preemption: not eligible due to preemptionPolicy=Never.');
  });

  it('reports a PreFilter rejection once instead of per node', () => {
    const ctx = contextFor([makeNode('w1'), makeNode('w2')]);
    const pod = makePod('p', { spec: { volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] } });
    assert.match(attempt(ctx, pod).message ?? '', /^0\/2 nodes are available: persistentvolumeclaim "data" not found\. preemption: 0\/2 nodes are available: 2 Preemption is not helpful for scheduling\.$/);
  });

  it('places a pod on the least loaded node and honours nodeSelector', () => {
    const ctx = contextFor([makeNode('busy', { labels: { disk: 'ssd' } }), makeNode('idle'), makeNode('ssd', { labels: { disk: 'ssd' } })], [makePod('x', { nodeName: 'busy', cpu: '3', memory: '6Gi' })]);
    assert.equal(attempt(ctx, makePod('p', { cpu: '500m', memory: '1Gi' })).node === 'busy', false);
    assert.equal(attempt(ctx, makePod('p', { cpu: '500m', spec: { nodeSelector: { disk: 'ssd' } } })).node, 'ssd');
  });

  it('keeps the room a nominated pod of higher priority is waiting for', () => {
    const ctx = contextFor([makeNode('n1', { cpu: '2' }), makeNode('n2', { cpu: '2' })], [makePod('x', { nodeName: 'n2', cpu: '2' })]);
    ctx.nominator.nominate(podInfo(makePod('waiting', { cpu: '1500m', priority: 100 })), 'n1');
    assert.match(attempt(ctx, makePod('p', { cpu: '1', priority: 1 })).message ?? '', /^0\/2 nodes are available: 2 Insufficient cpu\./);
    assert.equal(attempt(ctx, makePod('p', { cpu: '500m', priority: 1 })).node, 'n1');
    assert.equal(attempt(ctx, makePod('vip', { cpu: '1', priority: 1000 })).node, 'n1', 'a more important pod may take it');
  });

  it('looks at every node below 100, then a shrinking share but never fewer than 100', () => {
    assert.deepEqual([50, 99, 100, 150, 1000, 5000, 10000].map(feasibleNodesToFind), [50, 99, 100, 100, 420, 500, 500]);
  });
});

describe('preemption', () => {
  const nodes = [makeNode('n1', { cpu: '2' }), makeNode('n2', { cpu: '2' })];
  const low = (name: string, node: string, priority: number, cpu = '1') => makePod(name, { nodeName: node, cpu, priority, startTime: '2024-01-01T00:00:00Z' });

  it('evicts the fewest, least important pods on the cheapest node', () => {
    const ctx = contextFor(nodes, [low('a', 'n1', 10), low('b', 'n1', 10), low('c', 'n2', 5), low('d', 'n2', 50)]);
    // n1 needs one of two priority-10 pods gone; n2 can lose c (priority 5) alone.
    assert.deepEqual(attempt(ctx, makePod('vip', { cpu: '1', priority: 100 })), {
      message: '0/2 nodes are available: 2 Insufficient cpu.',
      nominated: 'n2',
      victims: ['c'],
    });
  });

  it('never evicts pods of equal or higher priority', () => {
    const ctx = contextFor(nodes, [low('a', 'n1', 100, '2'), low('b', 'n2', 200, '2')]);
    assert.match(attempt(ctx, makePod('p', { cpu: '1', priority: 100 })).message ?? '', /preemption: 0\/2 nodes are available: 2 No preemption victims found for incoming pod\.$/);
  });

  it('reports the filter failure when even evicting everything lower would not help', () => {
    const ctx = contextFor(nodes, [low('a', 'n1', 0)]);
    assert.match(attempt(ctx, makePod('huge', { cpu: '3', priority: 10 })).message ?? '', /preemption: 0\/2 nodes are available: 1 Insufficient cpu, 1 No preemption victims found for incoming pod\.$/);
  });
});
