// Tests for the scheduler cache: assumed pods count on their node until confirmed or forgotten,
// a confirmation does not count a pod twice, finished pods' nodes stay tracked without Node
// objects, and the affinity node lists follow the pods.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { podInfo } from '../framework/pod-info.js';
import { makeNode, makePod } from '../testing/fixtures.js';
import { SchedulerCache } from './cache.js';

describe('SchedulerCache', () => {
  it('counts an assumed pod until it is confirmed, once, or forgotten', () => {
    const cache = new SchedulerCache();
    cache.setNode(makeNode('n1'));
    const pod = podInfo(makePod('p', { cpu: '500m' }));
    cache.assume(pod, 'n1');
    const n1 = cache.get('n1');
    assert.deepEqual([n1?.requested.milliCpu, n1?.requested.pods, cache.isAssumed(pod.uid)], [500, 1, true]);
    cache.setPod(pod, 'n1');
    assert.deepEqual([n1?.requested.milliCpu, n1?.pods.length, cache.isAssumed(pod.uid)], [500, 1, false]);
    cache.forget(pod.uid);
    assert.equal(n1?.pods.length, 1, 'a confirmed pod is not forgotten');
    const other = podInfo(makePod('q', { cpu: '250m' }));
    cache.assume(other, 'n1');
    cache.forget(other.uid);
    assert.deepEqual([n1?.requested.milliCpu, n1?.pods.length], [500, 1]);
  });

  it('keeps pods of a node whose Node object is missing, and lists the node once it appears', () => {
    const cache = new SchedulerCache();
    cache.setPod(podInfo(makePod('early', { nodeName: 'late', cpu: '1' })), 'late');
    assert.equal(cache.get('late'), undefined);
    assert.equal(cache.nodes().length, 0);
    cache.setNode(makeNode('late'));
    assert.deepEqual([cache.nodes().length, cache.get('late')?.requested.milliCpu], [1, 1000]);
    cache.removeNode('late');
    assert.deepEqual([cache.nodes().length, cache.get('late')], [0, undefined]);
  });

  it('tracks which nodes hold pods with affinity terms', () => {
    const cache = new SchedulerCache();
    cache.setNode(makeNode('a'));
    cache.setNode(makeNode('b'));
    const anti = podInfo(
      makePod('anti', {
        nodeName: 'b',
        spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: {} }] } } },
      }),
    );
    cache.setPod(anti, 'b');
    assert.deepEqual([cache.nodesWithAffinityPods().map((n) => n.name), cache.nodesWithRequiredAntiAffinityPods().map((n) => n.name)], [['b'], ['b']]);
    cache.removePod(anti.uid);
    assert.deepEqual(cache.nodesWithAffinityPods(), []);
  });
});
