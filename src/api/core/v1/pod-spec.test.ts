// Tests for the published shape of the pod schemas: the strategic-merge-patch keys and list types
// kubectl apply relies on, and the OpenAPI definition names tools look up.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TSchema } from '@sinclair/typebox';
import { PodSpec, PodTemplateSpec } from './pod-spec.js';
import { PodStatus } from './pod-status.js';
import { Container } from './container.js';
import { Pod } from './pod.js';

type Ext = Record<string, unknown>;
const props = (s: TSchema): Record<string, Ext> => (s as unknown as { properties: Record<string, Ext> }).properties;

function patchInfo(s: Ext): [unknown, unknown, unknown, unknown] {
  return [s['x-kubernetes-patch-merge-key'], s['x-kubernetes-patch-strategy'], s['x-kubernetes-list-type'], s['x-kubernetes-list-map-keys']];
}

describe('pod schema patch metadata', () => {
  it('merges pod spec lists by their Kubernetes keys', () => {
    const spec = props(PodSpec);
    assert.deepEqual(patchInfo(spec.containers!), ['name', 'merge', 'map', ['name']]);
    assert.deepEqual(patchInfo(spec.initContainers!), ['name', 'merge', 'map', ['name']]);
    assert.deepEqual(patchInfo(spec.ephemeralContainers!), ['name', 'merge', 'map', ['name']]);
    assert.deepEqual(patchInfo(spec.volumes!), ['name', 'merge,retainKeys', 'map', ['name']]);
    assert.deepEqual(patchInfo(spec.imagePullSecrets!), ['name', 'merge', 'map', ['name']]);
    assert.deepEqual(patchInfo(spec.hostAliases!), ['ip', 'merge', 'map', ['ip']]);
    assert.deepEqual(patchInfo(spec.tolerations!), [undefined, undefined, 'atomic', undefined]);
    assert.deepEqual(patchInfo(spec.topologySpreadConstraints!), ['topologyKey', 'merge', 'map', ['topologyKey', 'whenUnsatisfiable']]);
    assert.deepEqual(patchInfo(spec.resourceClaims!), ['name', 'merge,retainKeys', 'map', ['name']]);
    assert.deepEqual(patchInfo(spec.schedulingGates!), ['name', 'merge', 'map', ['name']]);
  });

  it('merges container lists by their Kubernetes keys', () => {
    const c = props(Container);
    assert.deepEqual(patchInfo(c.ports!), ['containerPort', 'merge', 'map', ['containerPort', 'protocol']]);
    assert.deepEqual(patchInfo(c.env!), ['name', 'merge', 'map', ['name']]);
    assert.deepEqual(patchInfo(c.volumeMounts!), ['mountPath', 'merge', 'map', ['mountPath']]);
    assert.deepEqual(patchInfo(c.command!), [undefined, undefined, 'atomic', undefined]);
  });

  it('merges status conditions by type', () => {
    assert.deepEqual(patchInfo(props(PodStatus).conditions!), ['type', 'merge', 'map', ['type']]);
  });

  it('names definitions as the Kubernetes OpenAPI does', () => {
    const id = (s: unknown) => (s as { $id?: string }).$id;
    assert.equal(id(Pod), 'io.k8s.api.core.v1.Pod');
    assert.equal(id(PodSpec), 'io.k8s.api.core.v1.PodSpec');
    assert.equal(id(PodTemplateSpec), 'io.k8s.api.core.v1.PodTemplateSpec');
    assert.equal(id(Container), 'io.k8s.api.core.v1.Container');
    assert.equal(id(props(Container).livenessProbe), 'io.k8s.api.core.v1.Probe');
    assert.deepEqual((Pod as unknown as Ext)['x-kubernetes-group-version-kind'], [{ group: '', version: 'v1', kind: 'Pod' }]);
  });
});
