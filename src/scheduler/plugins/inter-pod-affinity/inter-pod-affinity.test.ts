// Tests for InterPodAffinity: required affinity and anti-affinity by topology key, existing
// pods' anti-affinity against the incoming pod, the first-pod-of-a-group exception, namespace
// selection, and preferred-term scoring.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clusterOf, filterOn, handleFor, makeNode, makePod, scoresOf } from '../../testing/fixtures.js';
import { create } from './index.js';

const nodes = [
  makeNode('a1', { labels: { zone: 'a' } }),
  makeNode('a2', { labels: { zone: 'a' } }),
  makeNode('b1', { labels: { zone: 'b' } }),
  makeNode('nozone'),
];
const term = (app: string, topologyKey: string, extra: object = {}) => ({ labelSelector: { matchLabels: { app } }, topologyKey, ...extra });

describe('InterPodAffinity filter', () => {
  const db = makePod('db', { nodeName: 'a1', labels: { app: 'db' } });

  it('requires a pod matching the affinity term in the same topology domain', () => {
    const h = handleFor(clusterOf(nodes, [db]));
    const web = makePod('web', { labels: { app: 'web' }, spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db', 'zone')] } } } });
    assert.equal(filterOn(create, h, web, 'a2'), undefined);
    const s = filterOn(create, h, web, 'b1');
    assert.deepEqual([s?.code, s?.reasons], ['UnschedulableAndUnresolvable', ["node(s) didn't match pod affinity rules"]]);
    assert.notEqual(filterOn(create, h, web, 'nozone'), undefined, 'a node without the topology key never satisfies affinity');
  });

  it('lets the first pod of a self-affine group in anywhere it has the topology key', () => {
    const h = handleFor(clusterOf(nodes));
    const first = makePod('c', { labels: { app: 'cache' }, spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('cache', 'zone')] } } } });
    assert.equal(filterOn(create, h, first, 'b1'), undefined);
    assert.notEqual(filterOn(create, h, first, 'nozone'), undefined);
  });

  it('keeps a pod out of domains holding pods its anti-affinity matches', () => {
    const h = handleFor(clusterOf(nodes, [db]));
    const db2 = makePod('db2', { labels: { app: 'db' }, spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db', 'zone')] } } } });
    assert.deepEqual(filterOn(create, h, db2, 'a2')?.reasons, ["node(s) didn't match pod anti-affinity rules"]);
    assert.equal(filterOn(create, h, db2, 'b1'), undefined);
  });

  it("honours existing pods' anti-affinity against the incoming pod", () => {
    const loner = makePod('loner', {
      nodeName: 'b1',
      labels: { app: 'loner' },
      spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('noisy', 'kubernetes.io/hostname')] } } },
    });
    const h = handleFor(clusterOf(nodes, [loner]));
    const noisy = makePod('n', { labels: { app: 'noisy' } });
    assert.deepEqual(filterOn(create, h, noisy, 'b1')?.reasons, ["node(s) didn't satisfy existing pods anti-affinity rules"]);
    assert.equal(filterOn(create, h, noisy, 'a1'), undefined);
    assert.equal(filterOn(create, h, makePod('quiet', { labels: { app: 'quiet' } }), 'b1'), undefined);
  });

  it('looks only in the namespaces a term names or selects', () => {
    const other = makePod('db', { namespace: 'other', nodeName: 'a1', labels: { app: 'db' } });
    const h = handleFor(clusterOf(nodes, [other]), { namespaces: { other: { team: 'data' }, default: {} } });
    const affine = (extra: object) =>
      makePod('web', { spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db', 'zone', extra)] } } } });
    assert.notEqual(filterOn(create, h, affine({}), 'a2'), undefined, 'own namespace only by default');
    assert.equal(filterOn(create, h, affine({ namespaces: ['other'] }), 'a2'), undefined);
    assert.equal(filterOn(create, h, affine({ namespaceSelector: { matchLabels: { team: 'data' } } }), 'a2'), undefined);
  });
});

describe('InterPodAffinity score', () => {
  it('prefers domains with preferred pods and avoids those with anti-preferred ones', () => {
    const h = handleFor(clusterOf(nodes, [makePod('db', { nodeName: 'a1', labels: { app: 'db' } }), makePod('batch', { nodeName: 'b1', labels: { app: 'batch' } })]));
    const pod = makePod('web', {
      spec: {
        affinity: {
          podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, podAffinityTerm: term('db', 'zone') }] },
          podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, podAffinityTerm: term('batch', 'zone') }] },
        },
      },
    });
    // zone a: +50, zone b: -50, no zone: 0 → scaled min..max.
    assert.deepEqual(scoresOf(create, h, pod), { a1: 100, a2: 100, b1: 0, nozone: 50 });
  });
});
