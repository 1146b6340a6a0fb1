import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/objects.ts';
import { ingressServiceNames, matchLabelsSelector, ownedBy, slicePodNames } from './related.ts';

const obj = (name: string, uid: string, owner?: string): KubeObject => ({
  metadata: { name, uid, ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'X', name: 'o', uid: owner }] } : {}) },
});

describe('related objects', () => {
  it('follows ownerReferences down a Deployment → ReplicaSets → Pods chain', () => {
    const d = obj('web', 'd');
    const sets = ownedBy([d], [obj('rs1', 'r1', 'd'), obj('rs2', 'r2', 'd'), obj('other', 'r3', 'x')]);
    assert.deepEqual(sets.map((s) => s.metadata?.name), ['rs1', 'rs2']);
    const pods = ownedBy(sets, [obj('p1', 'p1', 'r1'), obj('p2', 'p2', 'r2'), obj('p3', 'p3', 'r3')]);
    assert.deepEqual(pods.map((p) => p.metadata?.name), ['p1', 'p2']);
  });

  it("takes a Service's Pods from its EndpointSlices' targetRefs", () => {
    const slices: KubeObject[] = [
      { endpoints: [{ targetRef: { kind: 'Pod', name: 'a' } }, { targetRef: { kind: 'Pod', name: 'b' } }, { addresses: ['10.0.0.9'] }] },
      { endpoints: [{ targetRef: { kind: 'Pod', name: 'a' } }, { targetRef: { kind: 'Node', name: 'n' } }] },
    ];
    assert.deepEqual(slicePodNames(slices), ['a', 'b']);
  });

  it("collects an Ingress's backend Services", () => {
    const ing: KubeObject = {
      spec: {
        defaultBackend: { service: { name: 'fallback' } },
        rules: [{ http: { paths: [{ backend: { service: { name: 'web' } } }, { backend: { service: { name: 'api' } } }] } }, { http: { paths: [{ backend: { service: { name: 'web' } } }] } }],
      },
    };
    assert.deepEqual(ingressServiceNames(ing), ['fallback', 'web', 'api']);
  });

  it('writes matchLabels as a label selector', () => {
    assert.equal(matchLabelsSelector({ matchLabels: { app: 'web', tier: 'fe' } }), 'app=web,tier=fe');
    assert.equal(matchLabelsSelector(undefined), '');
  });
});
