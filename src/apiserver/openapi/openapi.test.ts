// Tests for the published OpenAPI documents: definitions and references, the extensions kubectl
// relies on (GVK, patch directives, fieldValidation on PATCH), the protobuf form decoded back
// with an independent reading of the wire format, and the v3 root and group-version documents.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { OpenApiDocs } from './index.js';
import { documentType } from './gnostic.js';
import { configMapKind } from '../../api/core/v1/configmap.js';
import { namespaceKind } from '../../api/core/v1/namespace.js';
import { nodeKind } from '../../api/core/v1/node.js';
import { deploymentKind } from '../../api/apps/v1/deployment.js';

/** Reads a path of keys (and list indexes) out of a parsed document. */
function get(v: unknown, ...keys: (string | number)[]): unknown {
  let cur = v;
  for (const k of keys) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string | number, unknown>)[k] : undefined;
  return cur;
}
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const keys = (v: unknown): string[] => Object.keys(v !== null && typeof v === 'object' ? v : {});
/** gnostic keeps maps as lists of { name, value }. */
const named = (v: unknown, name: string): unknown => get(list(v).find((e) => get(e, 'name') === name), 'value');

const docs = new OpenApiDocs([configMapKind, namespaceKind, nodeKind, deploymentKind], { version: 'v1.32.0' });
const v2: J = JSON.parse(docs.v2Json().toString('utf8'));
const DEPLOY = '/apis/apps/v1/namespaces/{namespace}/deployments/{name}';

function refsIn(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x) => refsIn(x, out));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref' && typeof x === 'string') out.push(x);
      else refsIn(x, out);
    }
  }
  return out;
}

describe('OpenAPI v2', () => {
  it('hoists named schemas into definitions and every $ref resolves', () => {
    const defs = v2.definitions as J;
    for (const name of ['io.k8s.api.apps.v1.Deployment', 'io.k8s.api.apps.v1.DeploymentSpec', 'io.k8s.api.core.v1.Container', 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']) {
      assert.ok(defs[name], name);
    }
    const refs = refsIn(v2);
    assert.ok(refs.length > 50);
    for (const r of refs) {
      assert.ok(r.startsWith('#/definitions/'), r);
      assert.ok(defs[r.slice('#/definitions/'.length)], `dangling ${r}`);
    }
    // No TypeBox internals leak out.
    assert.equal(JSON.stringify(v2).includes('patternProperties'), false);
    assert.equal(JSON.stringify(v2).includes('x-kubernetes-quantity'), false);
  });

  it('marks kinds and lists with their group-version-kind', () => {
    const d = v2.definitions as J;
    assert.deepEqual(d['io.k8s.api.apps.v1.Deployment']['x-kubernetes-group-version-kind'], [{ group: 'apps', version: 'v1', kind: 'Deployment' }]);
    const list = d['io.k8s.api.apps.v1.DeploymentList'];
    assert.deepEqual(list['x-kubernetes-group-version-kind'], [{ group: 'apps', version: 'v1', kind: 'DeploymentList' }]);
    assert.deepEqual(list.required, ['items']);
    assert.equal(list.properties.items.items.$ref, '#/definitions/io.k8s.api.apps.v1.Deployment');
    assert.equal(list.properties.metadata.$ref, '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta');
    assert.deepEqual(
      d['io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions']['x-kubernetes-group-version-kind'].map((g: J) => g.group),
      ['', 'apps'],
    );
  });

  it('keeps patch directives on the referencing field', () => {
    const d = v2.definitions as J;
    const strategy = d['io.k8s.api.apps.v1.DeploymentSpec'].properties.strategy;
    assert.equal(strategy['x-kubernetes-patch-strategy'], 'retainKeys');
    assert.equal(strategy.$ref, '#/definitions/io.k8s.api.apps.v1.DeploymentStrategy');
    assert.equal(d['io.k8s.api.apps.v1.DeploymentStrategy']['x-kubernetes-patch-strategy'], undefined);
    const containers = d['io.k8s.api.core.v1.PodSpec'].properties.containers;
    assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
    assert.equal(containers['x-kubernetes-patch-strategy'], 'merge');
    assert.equal(containers.type, 'array');
  });

  it('publishes int-or-string and quantities as the named string types', () => {
    const d = v2.definitions as J;
    assert.deepEqual(
      { type: d['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].type, format: d['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].format },
      { type: 'string', format: 'int-or-string' },
    );
    assert.equal(d['io.k8s.apimachinery.pkg.api.resource.Quantity'].type, 'string');
    const limits = d['io.k8s.api.core.v1.ResourceRequirements'].properties.limits;
    assert.equal(limits.additionalProperties.$ref, '#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity');
    const surge = d['io.k8s.api.apps.v1.RollingUpdateDeployment'].properties.maxSurge;
    assert.equal(surge.$ref, '#/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString');
    assert.equal(d['io.k8s.api.core.v1.ConfigMap'].properties.data.additionalProperties.type, 'string');
  });

  it('publishes every path and verb with actions, GVKs and the write parameters', () => {
    const paths = v2.paths as J;
    const ns = '/apis/apps/v1/namespaces/{namespace}/deployments';
    assert.deepEqual(Object.keys(paths[ns]).sort(), ['delete', 'get', 'parameters', 'post']);
    assert.deepEqual(Object.keys(paths[DEPLOY]).sort(), ['delete', 'get', 'parameters', 'patch', 'put']);
    assert.equal(paths[ns].get.operationId, 'listAppsV1NamespacedDeployment');
    assert.equal(paths[ns].delete['x-kubernetes-action'], 'deletecollection');
    assert.equal(paths['/apis/apps/v1/deployments'].get.operationId, 'listAppsV1DeploymentForAllNamespaces');
    const patch = paths[DEPLOY].patch;
    assert.equal(patch.operationId, 'patchAppsV1NamespacedDeployment');
    assert.equal(patch['x-kubernetes-action'], 'patch');
    assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: 'apps', version: 'v1', kind: 'Deployment' });
    assert.ok(patch.consumes.includes('application/strategic-merge-patch+json'));
    for (const op of [patch, paths[DEPLOY].put, paths[ns].post]) {
      const names = op.parameters.map((p: J) => p.name);
      for (const n of ['dryRun', 'fieldManager', 'fieldValidation']) assert.ok(names.includes(n), `${op.operationId} lacks ${n}`);
    }
    const scale = paths[`${DEPLOY}/scale`].patch;
    assert.deepEqual(scale['x-kubernetes-group-version-kind'], { group: 'autoscaling', version: 'v1', kind: 'Scale' });
    assert.equal(paths[`${DEPLOY}/status`].put.operationId, 'replaceAppsV1NamespacedDeploymentStatus');
    // Cluster-scoped kinds have no namespace segment and no all-namespaces list.
    assert.ok(paths['/api/v1/nodes/{name}'].patch);
    assert.equal(paths['/api/v1/nodes/{name}'].parameters.some((p: J) => p.name === 'namespace'), false);
    assert.equal(paths['/api/v1/namespaces'].delete, undefined);
    assert.equal(paths['/api/v1/namespaces/{name}/finalize'].put.operationId, 'replaceCoreV1NamespaceFinalize');
    assert.equal(paths['/api/v1/configmaps'].get.operationId, 'listCoreV1ConfigMapForAllNamespaces');
    assert.ok(paths['/apis/apps/v1/']);
  });
});

describe('OpenAPI v2 protobuf', () => {
  const type = documentType();
  const decoded = type.toObject(type.decode(docs.v2Protobuf()), { defaults: false }) as J;
  const def = (name: string): J => decoded.definitions.additionalProperties.find((d: J) => d.name === name).value;
  const prop = (schema: J, name: string): J => schema.properties.additionalProperties.find((p: J) => p.name === name).value;
  const ext = (o: J, name: string): unknown => parseYaml(o.vendorExtension.find((e: J) => e.name === name).value.yaml);

  it('round-trips the document header, definitions and paths', () => {
    assert.equal(decoded.swagger, '2.0');
    assert.equal(decoded.info.version, 'v1.32.0');
    assert.equal(decoded.definitions.additionalProperties.length, Object.keys(v2.definitions).length);
    assert.equal(decoded.paths.path.length, Object.keys(v2.paths).length);
  });

  it('carries schemas with refs, types, extensions as YAML', () => {
    const spec = def('io.k8s.api.apps.v1.DeploymentSpec');
    assert.deepEqual(spec.type.value, ['object']);
    assert.deepEqual(spec.required, ['selector', 'template']);
    const strategy = prop(spec, 'strategy');
    assert.equal(strategy.ref, '#/definitions/io.k8s.api.apps.v1.DeploymentStrategy');
    assert.equal(strategy.type, undefined, 'a reference carries no type');
    assert.equal(ext(strategy, 'x-kubernetes-patch-strategy'), 'retainKeys');
    assert.deepEqual(ext(def('io.k8s.api.apps.v1.Deployment'), 'x-kubernetes-group-version-kind'), [{ group: 'apps', version: 'v1', kind: 'Deployment' }]);
    const labels = prop(def('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'), 'labels');
    assert.deepEqual(labels.additionalProperties.schema.type.value, ['string']);
    const containers = prop(def('io.k8s.api.core.v1.PodSpec'), 'containers');
    assert.equal(containers.items.schema[0].ref, '#/definitions/io.k8s.api.core.v1.Container');
  });

  it('has fieldValidation as a query parameter of the PATCH operation, where kubectl looks', () => {
    const item = decoded.paths.path.find((p: J) => p.name === DEPLOY).value;
    const patch = item.patch;
    assert.deepEqual(ext(patch, 'x-kubernetes-group-version-kind'), { group: 'apps', version: 'v1', kind: 'Deployment' });
    const query = patch.parameters.map((p: J) => p.parameter?.nonBodyParameter?.queryParameterSubSchema?.name).filter(Boolean);
    assert.ok(query.includes('fieldValidation'));
    const body = patch.parameters.find((p: J) => p.parameter?.bodyParameter).parameter.bodyParameter;
    assert.equal(body.schema.ref, '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch');
    assert.equal(item.parameters[0].parameter.nonBodyParameter.pathParameterSubSchema.name, 'name');
    const ok = patch.responses.responseCode.find((r: J) => r.name === '200').value.response;
    assert.equal(ok.schema.schema.ref, '#/definitions/io.k8s.api.apps.v1.Deployment');
  });
});

describe('OpenAPI v3', () => {
  const root: J = JSON.parse(docs.v3Root().toString('utf8'));

  it('lists every group version with a content hash', () => {
    assert.deepEqual(Object.keys(root.paths).sort(), ['api/v1', 'apis/apps/v1']);
    const url: string = root.paths['apis/apps/v1'].serverRelativeURL;
    const hash = /^\/openapi\/v3\/apis\/apps\/v1\?hash=([0-9A-F]+)$/.exec(url)?.[1];
    assert.ok(hash, url);
    assert.equal(docs.etag('apis/apps/v1'), `"${hash}"`);
    assert.equal(docs.v3GroupVersion('apis/batch/v1'), undefined);
    assert.equal(docs.etag('apis/batch/v1'), undefined);
  });

  it('serves one document per group version with only its paths and reachable schemas', () => {
    const apps: J = JSON.parse((docs.v3GroupVersion('apis/apps/v1') as Buffer).toString('utf8'));
    assert.equal(apps.openapi, '3.0.0');
    assert.ok(Object.keys(apps.paths).every((p) => p.startsWith('/apis/apps/v1/')));
    const schemas = apps.components.schemas as J;
    assert.ok(schemas['io.k8s.api.apps.v1.Deployment']);
    assert.ok(schemas['io.k8s.api.autoscaling.v1.Scale']);
    assert.equal(schemas['io.k8s.api.core.v1.ConfigMap'], undefined, 'core kinds stay in api/v1');
    for (const r of refsIn(apps)) {
      assert.ok(r.startsWith('#/components/schemas/'), r);
      assert.ok(schemas[r.slice('#/components/schemas/'.length)], `dangling ${r}`);
    }
    const strategy = schemas['io.k8s.api.apps.v1.DeploymentSpec'].properties.strategy;
    assert.deepEqual(strategy.allOf, [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentStrategy' }]);
    assert.equal(strategy['x-kubernetes-patch-strategy'], 'retainKeys');
    assert.ok(typeof strategy.description === 'string');
    const ios = schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString'];
    assert.equal(ios['x-kubernetes-int-or-string'], true);
    assert.deepEqual(ios.anyOf, [{ type: 'integer' }, { type: 'string' }]);
    const patch = apps.paths[DEPLOY].patch;
    assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: 'apps', version: 'v1', kind: 'Deployment' });
    const fv = patch.parameters.find((p: J) => p.name === 'fieldValidation');
    assert.deepEqual({ in: fv.in, type: fv.schema.type }, { in: 'query', type: 'string' });
    assert.ok(patch.requestBody.content['application/strategic-merge-patch+json']);
  });

  it('builds documents once and keeps them', () => {
    assert.equal(docs.v2Json(), docs.v2Json());
    assert.equal(docs.v2Protobuf(), docs.v2Protobuf());
    assert.equal(docs.v3GroupVersion('/api/v1/'), docs.v3GroupVersion('api/v1'));
    assert.match(docs.etag('v2') ?? '', /^"[0-9A-F]{128}"$/);
    assert.notEqual(docs.etag('v3'), docs.etag('v2'));
  });
});
