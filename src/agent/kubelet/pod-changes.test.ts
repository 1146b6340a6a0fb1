// Which pod updates make the kubelet sync: not the status it wrote itself, but any change of spec,
// labels, annotations or deletion, and every update of a pod with readiness gates.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/core/v1/index.js';
import { needsSync } from './pod-changes.js';

const base: Pod = {
  metadata: { name: 'p', namespace: 'ns', uid: 'u1', labels: { app: 'a' }, annotations: { x: '1' }, resourceVersion: '5' },
  spec: { nodeName: 'n', containers: [{ name: 'c', image: 'busybox' }] },
  status: { phase: 'Pending' },
};
const withChange = (f: (p: Pod) => void): Pod => {
  const p = structuredClone(base);
  f(p);
  return p;
};

describe('needsSync', () => {
  it('ignores a status-only update', () => {
    const next = withChange((p) => {
      p.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
      p.metadata = { ...p.metadata, resourceVersion: '6' };
    });
    assert.equal(needsSync(base, next), false);
  });

  it('syncs on spec, label, annotation and deletion changes', () => {
    assert.equal(needsSync(base, withChange((p) => ((p.spec?.containers[0] ?? { name: '' }).image = 'other'))), true);
    assert.equal(needsSync(base, withChange((p) => (p.metadata = { ...p.metadata, labels: { app: 'b' } }))), true);
    assert.equal(needsSync(base, withChange((p) => (p.metadata = { ...p.metadata, annotations: {} }))), true);
    assert.equal(needsSync(base, withChange((p) => (p.metadata = { ...p.metadata, deletionTimestamp: '2026-01-01T00:00:00Z', deletionGracePeriodSeconds: 30 }))), true);
  });

  it('syncs on any update of a pod with readiness gates', () => {
    const gated = withChange((p) => {
      if (p.spec) p.spec.readinessGates = [{ conditionType: 'example.com/lb' }];
    });
    const next = structuredClone(gated);
    next.status = { phase: 'Running', conditions: [{ type: 'example.com/lb', status: 'True' }] };
    assert.equal(needsSync(gated, next), true);
  });
});
