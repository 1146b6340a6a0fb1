// Unit tests for the slice planner: in-place updates, the per-slice cap, reuse of slices, the
// placeholder slice, and slices of stale port sets.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Endpoint, EndpointPort, EndpointSlice } from '../../api/discovery/v1/index.js';
import { portKey, type DesiredGroup } from './desired.js';
import { planSlices } from './plan.js';

const LABELS = { 'kubernetes.io/service-name': 'web' };
const PORTS: EndpointPort[] = [{ name: 'http', protocol: 'TCP', port: 8080 }];
const ep = (i: number, ready = true): Endpoint => ({
  addresses: [`10.0.0.${i}`],
  conditions: { ready, serving: ready, terminating: false },
  targetRef: { kind: 'Pod', namespace: 'ns', name: `p${i}`, uid: `u${i}` },
});
const slice = (name: string, eps: Endpoint[], ports = PORTS): EndpointSlice => ({ metadata: { name, labels: { ...LABELS } }, addressType: 'IPv4', endpoints: eps, ports });
const desired = (eps: Endpoint[], ports = PORTS): Map<string, DesiredGroup> => new Map([[portKey(ports), { ports, endpoints: eps }]]);
const blank = (ports: EndpointPort[]): EndpointSlice => ({ metadata: { generateName: 'web-', labels: { ...LABELS } }, addressType: 'IPv4', endpoints: [], ports });
const range = (a: number, b: number): Endpoint[] => Array.from({ length: b - a }, (_, i) => ep(a + i));

describe('endpoint slice planning', () => {
  it('creates slices of at most max endpoints', () => {
    const p = planSlices({ existing: [], desired: desired(range(1, 8)), blank, labels: LABELS, max: 3 });
    assert.deepEqual(p.create.map((s) => s.endpoints.length), [3, 3, 1]);
    assert.deepEqual(p.update, []);
  });

  it('changes nothing when nothing changed', () => {
    const p = planSlices({ existing: [slice('a', range(1, 3))], desired: desired(range(1, 3)), blank, labels: LABELS, max: 3 });
    assert.deepEqual(p, { create: [], update: [], delete: [] });
  });

  it('updates a changed endpoint in place and fills the touched slice with new ones', () => {
    const p = planSlices({ existing: [slice('a', [ep(1), ep(2)]), slice('b', [ep(3), ep(4), ep(5)])], desired: desired([ep(1, false), ep(2), ep(3), ep(4), ep(5), ep(6)]), blank, labels: LABELS, max: 3 });
    assert.deepEqual(p.create, []);
    assert.deepEqual(p.delete, []);
    assert.equal(p.update.length, 1);
    assert.equal(p.update[0]?.metadata?.name, 'a');
    assert.deepEqual(p.update[0]?.endpoints.map((e) => [e.targetRef?.name, e.conditions?.ready]), [['p1', false], ['p2', true], ['p6', true]]);
  });

  it('puts a few new endpoints into the unchanged slice they fit best', () => {
    const p = planSlices({ existing: [slice('roomy', [ep(1)]), slice('snug', [ep(2), ep(3)])], desired: desired([ep(1), ep(2), ep(3), ep(4)]), blank, labels: LABELS, max: 3 });
    assert.deepEqual(p.update.map((s) => s.metadata?.name), ['snug']);
    assert.equal(p.create.length, 0);
  });

  it('rewrites a slice that would be deleted instead of creating another one', () => {
    const other: EndpointPort[] = [{ name: 'http', protocol: 'TCP', port: 9090 }];
    const p = planSlices({ existing: [slice('a', [ep(1)])], desired: desired([ep(1)], other), blank, labels: LABELS, max: 3 });
    assert.deepEqual(p.create, []);
    assert.deepEqual(p.delete, []);
    assert.equal(p.update[0]?.metadata?.name, 'a');
    assert.deepEqual(p.update[0]?.ports, other);
  });

  it('keeps one placeholder slice when there are no endpoints', () => {
    const first = planSlices({ existing: [], desired: new Map(), blank, labels: LABELS, max: 3 });
    assert.equal(first.create.length, 1);
    assert.deepEqual(first.create[0]?.endpoints, []);
    const placeholder = { ...(first.create[0] as EndpointSlice), metadata: { name: 'web-x', labels: { ...LABELS } } };
    assert.deepEqual(planSlices({ existing: [placeholder], desired: new Map(), blank, labels: LABELS, max: 3 }), { create: [], update: [], delete: [] });
    const emptied = planSlices({ existing: [slice('a', [ep(1)])], desired: desired([]), blank, labels: LABELS, max: 3 });
    assert.equal(emptied.update[0]?.metadata?.name, 'a');
    assert.deepEqual(emptied.update[0]?.endpoints, []);
    assert.deepEqual(emptied.update[0]?.ports, []);
  });

  it('relabels slices whose labels drifted', () => {
    const drifted = { ...slice('a', [ep(1)]), metadata: { name: 'a', labels: { 'kubernetes.io/service-name': 'web', extra: 'x' } } };
    const p = planSlices({ existing: [drifted], desired: desired([ep(1)]), blank, labels: LABELS, max: 3 });
    assert.deepEqual(p.update[0]?.metadata?.labels, LABELS);
  });
});
