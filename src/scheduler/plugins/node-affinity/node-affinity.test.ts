// Tests for NodeAffinity: nodeSelector, required terms (ORed terms, ANDed expressions, every
// operator, matchFields on metadata.name), pinned node names, and preferred-term scoring.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CycleState } from '../../framework/cycle-state.js';
import { podInfo } from '../../framework/pod-info.js';
import type { PreFilterPlugin } from '../../framework/types.js';
import { clusterOf, filterOn, handleFor, makeNode, makePod, scoresOf } from '../../testing/fixtures.js';
import { create } from './index.js';

type Expr = { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt'; values?: string[] };

const required = (terms: { matchExpressions?: Expr[]; matchFields?: Expr[] }[]) =>
  makePod('p', { spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } } });

describe('NodeAffinity filter', () => {
  const h = handleFor(
    clusterOf([
      makeNode('ssd-a', { labels: { disk: 'ssd', zone: 'a', cores: '16' } }),
      makeNode('hdd-b', { labels: { disk: 'hdd', zone: 'b', cores: '4' } }),
    ]),
  );
  const fits = (pod: ReturnType<typeof makePod>, node: string): boolean => filterOn(create, h, pod, node) === undefined;

  it('honours nodeSelector with the Kubernetes message', () => {
    const pod = makePod('p', { spec: { nodeSelector: { disk: 'ssd' } } });
    assert.equal(fits(pod, 'ssd-a'), true);
    const s = filterOn(create, h, pod, 'hdd-b');
    assert.deepEqual([s?.code, s?.reasons], ['UnschedulableAndUnresolvable', ["node(s) didn't match Pod's node affinity/selector"]]);
  });

  it('evaluates In, NotIn, Exists, DoesNotExist, Gt and Lt', () => {
    const one = (e: Expr) => required([{ matchExpressions: [e] }]);
    assert.deepEqual(
      [
        fits(one({ key: 'zone', operator: 'In', values: ['a', 'c'] }), 'ssd-a'),
        fits(one({ key: 'zone', operator: 'NotIn', values: ['a'] }), 'ssd-a'),
        fits(one({ key: 'gpu', operator: 'NotIn', values: ['x'] }), 'ssd-a'),
        fits(one({ key: 'disk', operator: 'Exists' }), 'hdd-b'),
        fits(one({ key: 'disk', operator: 'DoesNotExist' }), 'hdd-b'),
        fits(one({ key: 'cores', operator: 'Gt', values: ['8'] }), 'ssd-a'),
        fits(one({ key: 'cores', operator: 'Gt', values: ['8'] }), 'hdd-b'),
        fits(one({ key: 'cores', operator: 'Lt', values: ['8'] }), 'hdd-b'),
        fits(one({ key: 'zone', operator: 'Gt', values: ['1'] }), 'ssd-a'),
      ],
      [true, false, true, true, false, true, false, true, false],
    );
  });

  it('ORs terms, ANDs expressions within a term, and matches fields on metadata.name', () => {
    const pod = required([
      { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }, { key: 'zone', operator: 'In', values: ['b'] }] },
      { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['hdd-b'] }] },
    ]);
    assert.deepEqual([fits(pod, 'ssd-a'), fits(pod, 'hdd-b')], [false, true]);
    assert.equal(fits(required([{}]), 'ssd-a'), false, 'an empty term matches nothing');
  });

  it('narrows the search to pinned node names', () => {
    const plugin = create(h) as PreFilterPlugin;
    const pod = podInfo(required([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['hdd-b'] }] }]));
    plugin.preFilter(new CycleState(), pod);
    assert.deepEqual([...(plugin.preFilterNodeNames?.(pod) ?? [])], ['hdd-b']);
  });
});

describe('NodeAffinity score', () => {
  it('adds the weights of matching preferred terms, scaled to 100', () => {
    const h = handleFor(clusterOf([makeNode('a', { labels: { zone: 'a', disk: 'ssd' } }), makeNode('b', { labels: { zone: 'b' } }), makeNode('c')]));
    const pod = makePod('p', {
      spec: {
        affinity: {
          nodeAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 30, preference: { matchExpressions: [{ key: 'zone', operator: 'Exists' }] } },
              { weight: 10, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
            ],
          },
        },
      },
    });
    assert.deepEqual(scoresOf(create, h, pod), { a: 100, b: 75, c: 0 });
  });
});
