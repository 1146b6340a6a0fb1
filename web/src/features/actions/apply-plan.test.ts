import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildCatalog } from '../../api/discovery.ts';
import { planApply } from './apply-plan.ts';
import { fieldSegments, lineOfField } from './yaml-locate.ts';

const catalog = buildCatalog([
  { group: '', version: 'v1', resources: [{ name: 'configmaps', kind: 'ConfigMap', namespaced: true, verbs: ['create', 'list'] }, { name: 'namespaces', kind: 'Namespace', namespaced: false, verbs: ['list'] }] },
  { group: 'apps', version: 'v1', resources: [{ name: 'deployments', kind: 'Deployment', namespaced: true, verbs: ['list'] }, { name: 'deployments/scale', kind: 'Scale', namespaced: true, verbs: ['get'] }] },
]);

const manifest = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: -1
  template:
    spec:
      containers:
      - name: a
        image: one
      - name: b
---
apiVersion: v1
kind: Namespace
metadata: {name: team}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c, namespace: other}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
`;

describe('planApply', () => {
  it('resolves each document to its resource and namespace', () => {
    const plan = planApply(manifest, catalog, 'dev');
    assert.deepEqual(
      plan.map((d) => [d.index, d.info?.plural, d.namespace, d.problem?.message]),
      [
        [0, 'deployments', 'dev', undefined],
        [1, 'namespaces', undefined, undefined],
        [2, 'configmaps', 'other', undefined],
        [3, undefined, undefined, 'the server does not serve Widget in example.com/v1'],
      ],
    );
  });

  it('reports YAML syntax errors with their line', () => {
    const [d] = planApply('kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: [oops\n', catalog, 'dev');
    assert.match(d?.problem?.message ?? '', /^YAML/);
    assert.equal(typeof d?.problem?.line, 'number');
  });
});

describe('lineOfField', () => {
  it('finds the line of a Kubernetes field path, list indexes included', () => {
    assert.deepEqual(fieldSegments('spec.template.spec.containers[1].image'), ['spec', 'template', 'spec', 'containers', 1, 'image']);
    assert.equal(lineOfField(manifest, 0, 'spec.replicas'), 6);
    assert.equal(lineOfField(manifest, 0, 'spec.template.spec.containers[0].image'), 11);
    // containers[1].image is missing: the nearest present parent is the list item
    assert.equal(lineOfField(manifest, 0, 'spec.template.spec.containers[1].image'), 12);
    assert.equal(lineOfField(manifest, 2, 'metadata.name'), 20);
  });
});
