// Tests for the published OpenAPI documents: definitions and references, the extensions kubectl
// relies on (GVK, patch directives, fieldValidation on PATCH), the protobuf form decoded back
// (its top-level field numbers read straight off the wire), and the v3 root and group-version
// documents.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { OpenApiDocs } from './index.js';
import protobuf from 'protobufjs/light.js';
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
const v2: unknown = JSON.parse(docs.v2Json().toString('utf8'));
const def = (name: string, ...path: (string | number)[]): unknown => get(v2, 'definitions', name, ...path);
const DEPLOY = '/apis/apps/v1/namespaces/{namespace}/deployments/{name}';
const DEPLOYS = '/apis/apps/v1/namespaces/{namespace}/deployments';
const op = (path: string, method: string, ...rest: (string | number)[]): unknown => get(v2, 'paths', path, method, ...rest);
const paramNames = (o: unknown): unknown[] => list(get(o, 'parameters')).map((p) => get(p, 'name'));

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
    const names = ['apps.v1.Deployment', 'apps.v1.DeploymentSpec', 'core.v1.Container'].map((n) => `io.k8s.api.${n}`);
    for (const name of [...names, 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']) assert.ok(def(name), name);
    const refs = refsIn(v2);
    assert.ok(refs.length > 50);
    for (const r of refs) {
      assert.ok(r.startsWith('#/definitions/'), r);
      assert.ok(def(r.slice('#/definitions/'.length)), `dangling ${r}`);
    }
    // No TypeBox internals leak out.
    assert.equal(JSON.stringify(v2).includes('patternProperties'), false);
    assert.equal(JSON.stringify(v2).includes('x-kubernetes-quantity'), false);
  });

  it('marks kinds and lists with their group-version-kind', () => {
    assert.deepEqual(def('io.k8s.api.apps.v1.Deployment', 'x-kubernetes-group-version-kind'), [{ group: 'apps', version: 'v1', kind: 'Deployment' }]);
    const L = 'io.k8s.api.apps.v1.DeploymentList';
    assert.deepEqual(def(L, 'x-kubernetes-group-version-kind'), [{ group: 'apps', version: 'v1', kind: 'DeploymentList' }]);
    assert.deepEqual(def(L, 'required'), ['items']);
    assert.equal(def(L, 'properties', 'items', 'items', '$ref'), '#/definitions/io.k8s.api.apps.v1.Deployment');
    assert.equal(def(L, 'properties', 'metadata', '$ref'), '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta');
    const gvks = list(def('io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions', 'x-kubernetes-group-version-kind'));
    assert.deepEqual(gvks.map((g) => get(g, 'group')), ['', 'apps']);
  });

  it('keeps patch directives on the referencing field', () => {
    const strategy = def('io.k8s.api.apps.v1.DeploymentSpec', 'properties', 'strategy');
    assert.equal(get(strategy, 'x-kubernetes-patch-strategy'), 'retainKeys');
    assert.equal(get(strategy, '$ref'), '#/definitions/io.k8s.api.apps.v1.DeploymentStrategy');
    assert.equal(def('io.k8s.api.apps.v1.DeploymentStrategy', 'x-kubernetes-patch-strategy'), undefined);
    const containers = def('io.k8s.api.core.v1.PodSpec', 'properties', 'containers');
    assert.equal(get(containers, 'x-kubernetes-patch-merge-key'), 'name');
    assert.equal(get(containers, 'x-kubernetes-patch-strategy'), 'merge');
    assert.equal(get(containers, 'type'), 'array');
  });

  it('publishes int-or-string and quantities as the named string types', () => {
    const IOS = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
    assert.deepEqual([def(IOS, 'type'), def(IOS, 'format')], ['string', 'int-or-string']);
    assert.equal(def('io.k8s.apimachinery.pkg.api.resource.Quantity', 'type'), 'string');
    const limits = def('io.k8s.api.core.v1.ResourceRequirements', 'properties', 'limits', 'additionalProperties', '$ref');
    assert.equal(limits, '#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity');
    assert.equal(def('io.k8s.api.apps.v1.RollingUpdateDeployment', 'properties', 'maxSurge', '$ref'), `#/definitions/${IOS}`);
    assert.equal(def('io.k8s.api.core.v1.ConfigMap', 'properties', 'data', 'additionalProperties', 'type'), 'string');
  });

  it('publishes every path and verb with actions, GVKs and the write parameters', () => {
    assert.deepEqual(keys(get(v2, 'paths', DEPLOYS)).sort(), ['delete', 'get', 'parameters', 'post']);
    assert.deepEqual(keys(get(v2, 'paths', DEPLOY)).sort(), ['delete', 'get', 'parameters', 'patch', 'put']);
    assert.equal(op(DEPLOYS, 'get', 'operationId'), 'listAppsV1NamespacedDeployment');
    assert.equal(op(DEPLOYS, 'delete', 'x-kubernetes-action'), 'deletecollection');
    assert.equal(op('/apis/apps/v1/deployments', 'get', 'operationId'), 'listAppsV1DeploymentForAllNamespaces');
    const patch = op(DEPLOY, 'patch');
    assert.equal(get(patch, 'operationId'), 'patchAppsV1NamespacedDeployment');
    assert.equal(get(patch, 'x-kubernetes-action'), 'patch');
    assert.deepEqual(get(patch, 'x-kubernetes-group-version-kind'), { group: 'apps', version: 'v1', kind: 'Deployment' });
    assert.ok(list(get(patch, 'consumes')).includes('application/strategic-merge-patch+json'));
    for (const o of [patch, op(DEPLOY, 'put'), op(DEPLOYS, 'post')]) {
      for (const n of ['dryRun', 'fieldManager', 'fieldValidation']) assert.ok(paramNames(o).includes(n), `${String(get(o, 'operationId'))} lacks ${n}`);
    }
    assert.deepEqual(op(`${DEPLOY}/scale`, 'patch', 'x-kubernetes-group-version-kind'), { group: 'autoscaling', version: 'v1', kind: 'Scale' });
    assert.equal(op(`${DEPLOY}/status`, 'put', 'operationId'), 'replaceAppsV1NamespacedDeploymentStatus');
    // Cluster-scoped kinds have no namespace segment and no all-namespaces list.
    assert.ok(op('/api/v1/nodes/{name}', 'patch'));
    assert.equal(paramNames(get(v2, 'paths', '/api/v1/nodes/{name}')).includes('namespace'), false);
    assert.equal(op('/api/v1/namespaces', 'delete'), undefined);
    assert.equal(op('/api/v1/namespaces/{name}/finalize', 'put', 'operationId'), 'replaceCoreV1NamespaceFinalize');
    assert.equal(op('/api/v1/configmaps', 'get', 'operationId'), 'listCoreV1ConfigMapForAllNamespaces');
    assert.ok(op('/apis/apps/v1/', 'get'));
  });
});

describe('OpenAPI v2 protobuf', () => {
  const type = documentType();
  const decoded: unknown = type.toObject(type.decode(docs.v2Protobuf()), { defaults: false });
  const pdef = (name: string): unknown => named(get(decoded, 'definitions', 'additionalProperties'), name);
  const prop = (schema: unknown, name: string): unknown => named(get(schema, 'properties', 'additionalProperties'), name);
  const ext = (o: unknown, name: string): unknown => parseYaml(String(get(named(get(o, 'vendorExtension'), name), 'yaml')));

  it('puts the top-level fields at the gnostic field numbers', () => {
    // Read the wire format directly, without our descriptor: field 1 swagger, 2 info, 8 paths,
    // 9 definitions, 12 security, 13 securityDefinitions.
    const r = protobuf.Reader.create(docs.v2Protobuf());
    const seen: number[] = [];
    let swagger = '';
    while (r.pos < r.len) {
      const tag = r.uint32();
      const field = tag >>> 3;
      seen.push(field);
      if (field === 1) swagger = r.string();
      else r.skipType(tag & 7);
    }
    assert.equal(swagger, '2.0');
    assert.deepEqual([...new Set(seen)].sort((a, b) => a - b), [1, 2, 8, 9, 12, 13]);
  });

  it('round-trips the document header, definitions and paths', () => {
    assert.equal(get(decoded, 'swagger'), '2.0');
    assert.equal(get(decoded, 'info', 'version'), 'v1.32.0');
    assert.equal(list(get(decoded, 'definitions', 'additionalProperties')).length, keys(get(v2, 'definitions')).length);
    assert.equal(list(get(decoded, 'paths', 'path')).length, keys(get(v2, 'paths')).length);
  });

  it('carries schemas with refs, types, extensions as YAML', () => {
    const spec = pdef('io.k8s.api.apps.v1.DeploymentSpec');
    assert.deepEqual(get(spec, 'type', 'value'), ['object']);
    assert.deepEqual(get(spec, 'required'), ['selector', 'template']);
    const strategy = prop(spec, 'strategy');
    assert.equal(get(strategy, 'ref'), '#/definitions/io.k8s.api.apps.v1.DeploymentStrategy');
    assert.equal(get(strategy, 'type'), undefined, 'a reference carries no type');
    assert.equal(ext(strategy, 'x-kubernetes-patch-strategy'), 'retainKeys');
    assert.deepEqual(ext(pdef('io.k8s.api.apps.v1.Deployment'), 'x-kubernetes-group-version-kind'), [{ group: 'apps', version: 'v1', kind: 'Deployment' }]);
    const labels = prop(pdef('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'), 'labels');
    assert.deepEqual(get(labels, 'additionalProperties', 'schema', 'type', 'value'), ['string']);
    const containers = prop(pdef('io.k8s.api.core.v1.PodSpec'), 'containers');
    assert.equal(get(containers, 'items', 'schema', 0, 'ref'), '#/definitions/io.k8s.api.core.v1.Container');
  });

  it('has fieldValidation as a query parameter of the PATCH operation, where kubectl looks', () => {
    const item = named(get(decoded, 'paths', 'path'), DEPLOY);
    const patch = get(item, 'patch');
    assert.deepEqual(ext(patch, 'x-kubernetes-group-version-kind'), { group: 'apps', version: 'v1', kind: 'Deployment' });
    const params = list(get(patch, 'parameters'));
    const query = params.map((p) => get(p, 'parameter', 'nonBodyParameter', 'queryParameterSubSchema', 'name'));
    assert.ok(query.includes('fieldValidation'));
    const body = params.map((p) => get(p, 'parameter', 'bodyParameter')).find(Boolean);
    assert.equal(get(body, 'schema', 'ref'), '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch');
    assert.equal(get(item, 'parameters', 0, 'parameter', 'nonBodyParameter', 'pathParameterSubSchema', 'name'), 'name');
    const ok = get(named(get(patch, 'responses', 'responseCode'), '200'), 'response');
    assert.equal(get(ok, 'schema', 'schema', 'ref'), '#/definitions/io.k8s.api.apps.v1.Deployment');
  });
});

describe('OpenAPI v3', () => {
  const root: unknown = JSON.parse(docs.v3Root().toString('utf8'));

  it('lists every group version with a content hash', () => {
    assert.deepEqual(keys(get(root, 'paths')).sort(), ['api/v1', 'apis/apps/v1']);
    const url = String(get(root, 'paths', 'apis/apps/v1', 'serverRelativeURL'));
    const hash = /^\/openapi\/v3\/apis\/apps\/v1\?hash=([0-9A-F]+)$/.exec(url)?.[1];
    assert.ok(hash, url);
    assert.equal(docs.etag('apis/apps/v1'), `"${hash}"`);
    assert.equal(docs.v3GroupVersion('apis/batch/v1'), undefined);
    assert.equal(docs.etag('apis/batch/v1'), undefined);
  });

  it('serves one document per group version with only its paths and reachable schemas', () => {
    const apps: unknown = JSON.parse((docs.v3GroupVersion('apis/apps/v1') as Buffer).toString('utf8'));
    const schema = (name: string, ...path: (string | number)[]): unknown => get(apps, 'components', 'schemas', name, ...path);
    assert.equal(get(apps, 'openapi'), '3.0.0');
    assert.ok(keys(get(apps, 'paths')).every((p) => p.startsWith('/apis/apps/v1/')));
    assert.ok(schema('io.k8s.api.apps.v1.Deployment'));
    assert.ok(schema('io.k8s.api.autoscaling.v1.Scale'));
    assert.equal(schema('io.k8s.api.core.v1.ConfigMap'), undefined, 'core kinds stay in api/v1');
    for (const r of refsIn(apps)) {
      assert.ok(r.startsWith('#/components/schemas/'), r);
      assert.ok(schema(r.slice('#/components/schemas/'.length)), `dangling ${r}`);
    }
    const strategy = schema('io.k8s.api.apps.v1.DeploymentSpec', 'properties', 'strategy');
    assert.deepEqual(get(strategy, 'allOf'), [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentStrategy' }]);
    assert.equal(get(strategy, 'x-kubernetes-patch-strategy'), 'retainKeys');
    assert.equal(typeof get(strategy, 'description'), 'string');
    const IOS = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
    assert.equal(schema(IOS, 'x-kubernetes-int-or-string'), true);
    assert.deepEqual(schema(IOS, 'anyOf'), [{ type: 'integer' }, { type: 'string' }]);
    const patch = get(apps, 'paths', DEPLOY, 'patch');
    assert.deepEqual(get(patch, 'x-kubernetes-group-version-kind'), { group: 'apps', version: 'v1', kind: 'Deployment' });
    const fv = list(get(patch, 'parameters')).find((p) => get(p, 'name') === 'fieldValidation');
    assert.deepEqual([get(fv, 'in'), get(fv, 'schema', 'type')], ['query', 'string']);
    assert.ok(get(patch, 'requestBody', 'content', 'application/strategic-merge-patch+json'));
  });

  it('says a type description once when its fields already repeat it', () => {
    const v3: unknown = JSON.parse((docs.v3GroupVersion('apis/apps/v1') as Buffer).toString('utf8'));
    const schemas = get(v3, 'components', 'schemas');
    assert.equal(get(schemas, 'io.k8s.api.apps.v1.DeploymentStrategy', 'description'), undefined);
    assert.equal(typeof get(schemas, 'io.k8s.api.apps.v1.Deployment', 'description'), 'string', 'kinds keep theirs');
    assert.equal(typeof get(schemas, 'io.k8s.api.core.v1.ContainerPort', 'description'), 'string', 'list items do not repeat it');
  });

  it('builds documents once and keeps them', () => {
    assert.equal(docs.v2Json(), docs.v2Json());
    assert.equal(docs.v2Protobuf(), docs.v2Protobuf());
    assert.equal(docs.v3GroupVersion('/api/v1/'), docs.v3GroupVersion('api/v1'));
    assert.match(docs.etag('v2') ?? '', /^"[0-9A-F]{128}"$/);
    assert.notEqual(docs.etag('v3'), docs.etag('v2'));
  });
});
