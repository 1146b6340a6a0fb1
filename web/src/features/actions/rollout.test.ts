import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/objects.ts';
import { restartPatch, revisionsOf, undoPlan } from './rollout.ts';

const template = (image: string, hash?: string) => ({
  metadata: { labels: { app: 'web', ...(hash ? { 'pod-template-hash': hash } : {}) } },
  spec: { containers: [{ name: 'web', image }] },
});
const deployment: KubeObject = {
  kind: 'Deployment',
  metadata: { name: 'web', uid: 'd1', resourceVersion: '40', annotations: { 'deployment.kubernetes.io/revision': '2', team: 'a' } },
  spec: { template: template('web:2') },
};
const rs = (rev: number, image: string, owner = 'd1'): KubeObject => ({
  kind: 'ReplicaSet',
  metadata: {
    name: `web-${rev}`,
    annotations: { 'deployment.kubernetes.io/revision': String(rev), 'deployment.kubernetes.io/desired-replicas': '2', 'kubernetes.io/change-cause': `v${rev}` },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: owner, controller: true }],
  },
  spec: { template: template(image, `h${rev}`) },
});

describe('rollout undo', () => {
  it("copies the chosen ReplicaSet's template without pod-template-hash, and its user annotations", () => {
    const plan = undoPlan(deployment, rs(1, 'web:1'));
    assert.equal(plan.skip, false);
    if (plan.skip) return;
    const [tmpl, annotations] = plan.ops as { op: string; path: string; value: Record<string, unknown> }[];
    assert.deepEqual(tmpl, { op: 'replace', path: '/spec/template', value: template('web:1') });
    assert.equal(annotations?.path, '/metadata/annotations');
    assert.deepEqual(annotations?.value, { 'deployment.kubernetes.io/revision': '2', team: 'a', 'kubernetes.io/change-cause': 'v1' });
  });

  it('does nothing when the revision is already the template (key order aside)', () => {
    const same = rs(2, 'web:2');
    const plan = undoPlan({ ...deployment, spec: { template: { spec: { containers: [{ image: 'web:2', name: 'web' }] }, metadata: { labels: { app: 'web' } } } } }, same);
    assert.equal(plan.skip, true);
  });

  it("lists only this Deployment's ReplicaSets, newest revision first", () => {
    const revs = revisionsOf(deployment, [rs(1, 'a'), rs(3, 'c'), rs(2, 'b'), rs(9, 'z', 'other')]);
    assert.deepEqual(revs.map((r) => r.revision), [3, 2, 1]);
  });
});

describe('rollout restart', () => {
  it('stamps the pod template with restartedAt', () => {
    assert.deepEqual(restartPatch(new Date('2026-01-02T03:04:05Z')), {
      spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-02T03:04:05.000Z' } } } },
    });
  });
});
