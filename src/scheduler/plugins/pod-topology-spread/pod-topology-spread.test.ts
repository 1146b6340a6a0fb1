// Tests for PodTopologySpread: DoNotSchedule skew by zone, minDomains, nodes missing the key,
// the node affinity inclusion policy, and ScheduleAnyway scoring.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clusterOf, filterOn, handleFor, makeNode, makePod, scoresOf } from '../../testing/fixtures.js';
import { create } from './index.js';

const nodes = [makeNode('a1', { labels: { zone: 'a' } }), makeNode('a2', { labels: { zone: 'a' } }), makeNode('b1', { labels: { zone: 'b' } }), makeNode('nozone')];
const web = (n: string, node: string) => makePod(n, { nodeName: node, labels: { app: 'web' } });
const spread = (o: { maxSkew?: number; minDomains?: number; when?: 'DoNotSchedule' | 'ScheduleAnyway'; key?: string; nodeSelector?: Record<string, string> } = {}) =>
  makePod('new', {
    labels: { app: 'web' },
    spec: {
      ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
      topologySpreadConstraints: [
        {
          maxSkew: o.maxSkew ?? 1,
          topologyKey: o.key ?? 'zone',
          whenUnsatisfiable: o.when ?? 'DoNotSchedule',
          labelSelector: { matchLabels: { app: 'web' } },
          ...(o.minDomains ? { minDomains: o.minDomains } : {}),
        },
      ],
    },
  });

describe('PodTopologySpread filter', () => {
  const h = handleFor(clusterOf(nodes, [web('w1', 'a1'), web('w2', 'a2'), web('w3', 'b1')]));

  it('rejects the fuller domain when it would exceed maxSkew', () => {
    // zone a has 2, zone b has 1: a third in a makes 3 vs 1.
    assert.deepEqual(filterOn(create, h, spread(), 'a1')?.reasons, ["node(s) didn't match pod topology spread constraints"]);
    assert.equal(filterOn(create, h, spread(), 'b1'), undefined);
    assert.equal(filterOn(create, h, spread({ maxSkew: 2 }), 'a1'), undefined);
  });

  it('rejects nodes without the topology key as unresolvable', () => {
    const s = filterOn(create, h, spread(), 'nozone');
    assert.deepEqual([s?.code, s?.reasons], ['UnschedulableAndUnresolvable', ["node(s) didn't match pod topology spread constraints (missing required label)"]]);
  });

  it('treats missing domains as empty while there are fewer than minDomains', () => {
    // zone a would hold 3: skew 2 against zone b, but 3 against the missing third domain.
    assert.equal(filterOn(create, h, spread({ maxSkew: 2 }), 'a1'), undefined);
    assert.notEqual(filterOn(create, h, spread({ maxSkew: 2, minDomains: 3 }), 'a1'), undefined);
  });

  it('only counts domains of nodes the pod may use (nodeAffinityPolicy Honor)', () => {
    // Restricted to zone a, zone b is no domain: the minimum is zone a's own count.
    assert.equal(filterOn(create, h, spread({ nodeSelector: { zone: 'a' } }), 'a1'), undefined);
  });

  it('ignores pods of other namespaces and terminating pods', () => {
    const h2 = handleFor(
      clusterOf(nodes, [makePod('x', { namespace: 'other', nodeName: 'a1', labels: { app: 'web' } }), makePod('y', { nodeName: 'a2', labels: { app: 'web' }, terminating: true })]),
    );
    assert.equal(filterOn(create, h2, spread(), 'a1'), undefined);
  });
});

describe('PodTopologySpread score', () => {
  it('prefers the emptier domains and gives nodes without the key 0', () => {
    const h = handleFor(clusterOf(nodes, [web('w1', 'a1'), web('w2', 'a2'), web('w3', 'b1')]));
    const s = scoresOf(create, h, spread({ when: 'ScheduleAnyway' }));
    assert.equal(s.nozone, 0);
    assert.equal(s.a1, s.a2);
    assert.ok((s.b1 as number) > (s.a1 as number), JSON.stringify(s));
    assert.equal(s.b1, 100);
  });
});
