// Tests for NodeResourcesFit: requests vs allocatable (cpu, memory, extended resources, pod
// count), the init-container and sidecar rules, pod overhead, and least-allocated scoring.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clusterOf, filterOn, handleFor, makeNode, makePod, scoresOf } from '../../testing/fixtures.js';
import { create } from './index.js';

describe('NodeResourcesFit filter', () => {
  const cache = clusterOf(
    [makeNode('n1', { cpu: '2', memory: '4Gi', pods: 2, extra: { 'nvidia.com/gpu': '1' } })],
    [makePod('running', { nodeName: 'n1', cpu: '1500m', memory: '1Gi' })],
  );
  const h = handleFor(cache);

  it('passes a pod that fits the remaining room and rejects one that does not, naming each short resource', () => {
    assert.equal(filterOn(create, h, makePod('p', { cpu: '500m', memory: '3Gi' }), 'n1'), undefined);
    assert.deepEqual(filterOn(create, h, makePod('p', { cpu: '600m', memory: '4Gi' }), 'n1')?.reasons, ['Insufficient cpu', 'Insufficient memory']);
    assert.equal(filterOn(create, h, makePod('p', { cpu: '600m' }), 'n1')?.code, 'Unschedulable');
  });

  it('counts pods against allocatable pods, even for pods requesting nothing', () => {
    const full = clusterOf([makeNode('n1', { pods: 1 })], [makePod('a', { nodeName: 'n1' })]);
    assert.deepEqual(filterOn(create, handleFor(full), makePod('p'), 'n1')?.reasons, ['Too many pods']);
  });

  it('checks extended resources the pod asks for', () => {
    const gpu = (n: string) => makePod('p', { spec: { containers: [{ name: 'c', resources: { requests: { 'nvidia.com/gpu': n } } }] } });
    assert.equal(filterOn(create, h, gpu('1'), 'n1'), undefined);
    assert.deepEqual(filterOn(create, h, gpu('2'), 'n1')?.reasons, ['Insufficient nvidia.com/gpu']);
  });

  it('takes the largest init container when it exceeds the app containers, and adds sidecars and overhead', () => {
    const empty = handleFor(clusterOf([makeNode('n1', { cpu: '1' })]));
    const withInit = (init: string, opts: { sidecar?: string; overhead?: string } = {}) =>
      makePod('p', {
        spec: {
          containers: [{ name: 'app', resources: { requests: { cpu: '300m' } } }],
          initContainers: [
            ...(opts.sidecar ? [{ name: 'side', restartPolicy: 'Always' as const, resources: { requests: { cpu: opts.sidecar } } }] : []),
            { name: 'init', resources: { requests: { cpu: init } } },
          ],
          ...(opts.overhead ? { overhead: { cpu: opts.overhead } } : {}),
        },
      });
    assert.equal(filterOn(create, empty, withInit('1'), 'n1'), undefined);
    assert.deepEqual(filterOn(create, empty, withInit('1100m'), 'n1')?.reasons, ['Insufficient cpu']);
    // The sidecar runs during the later init container and beside the app: 200m + 900m > 1.
    assert.deepEqual(filterOn(create, empty, withInit('900m', { sidecar: '200m' }), 'n1')?.reasons, ['Insufficient cpu']);
    assert.deepEqual(filterOn(create, empty, withInit('100m', { overhead: '800m' }), 'n1')?.reasons, ['Insufficient cpu']);
  });
});

describe('NodeResourcesFit score (least allocated)', () => {
  it('prefers the emptier node, counting default requests for pods that set none', () => {
    const cache = clusterOf(
      [makeNode('busy', { cpu: '4', memory: '8Gi' }), makeNode('idle', { cpu: '4', memory: '8Gi' })],
      [makePod('a', { nodeName: 'busy', cpu: '2', memory: '4Gi' }), makePod('b', { nodeName: 'idle' })],
    );
    const s = scoresOf(create, handleFor(cache), makePod('p', { cpu: '1', memory: '2Gi' }));
    // busy: cpu (4-3)/4=25, mem (8-6)/8=25 → 25; idle: cpu (4-1.1)/4=72, mem (8-2.2)/8≈72.
    assert.equal(s.busy, 25);
    assert.ok((s.idle as number) > 70, `idle scored ${s.idle}`);
  });
});
