// Unit tests of the default not-ready/unreachable tolerations added to new pods.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addDefaultTolerations } from './pod-default-tolerations.js';

const tolerationsOf = (pod: { spec?: unknown }): unknown => (pod.spec as { tolerations?: unknown }).tolerations;

describe('addDefaultTolerations', () => {
  it('adds 300 s tolerations of both taints to a pod with none', () => {
    const pod = { spec: { containers: [] } };
    addDefaultTolerations(pod);
    assert.deepEqual(tolerationsOf(pod), [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
  });

  it('keeps the pod\'s own toleration of a taint and adds only the other', () => {
    const own = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 2 };
    const pod = { spec: { tolerations: [own] } };
    addDefaultTolerations(pod);
    assert.deepEqual(tolerationsOf(pod), [own, { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }]);
  });

  it('adds nothing when a wildcard toleration or an any-effect toleration covers the taints', () => {
    const wildcard = { spec: { tolerations: [{ operator: 'Exists' }] } };
    addDefaultTolerations(wildcard);
    assert.equal((tolerationsOf(wildcard) as unknown[]).length, 1);
    const anyEffect = { spec: { tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }, { key: 'node.kubernetes.io/unreachable', operator: 'Exists' }] } };
    addDefaultTolerations(anyEffect);
    assert.equal((tolerationsOf(anyEffect) as unknown[]).length, 2);
  });

  it('still adds a NoExecute toleration when the pod only tolerates the NoSchedule taint', () => {
    const pod = { spec: { tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }] } };
    addDefaultTolerations(pod);
    assert.equal((tolerationsOf(pod) as unknown[]).length, 3);
  });
});
