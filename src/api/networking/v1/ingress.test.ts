// Tests for Ingress and IngressClass: required pathType, path and host rules, backend
// exclusivity, the class annotation conflict, IngressClass parameter scope defaults and the
// immutable controller, and that full manifests decode with no unknown fields.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiObject } from '../../kind.js';
import type { FieldError } from '../../../lib/field-errors.js';
import { decodeObject } from '../../check.js';
import { ingressKind, ingressClassKind, networkingV1Kinds } from './index.js';

const fields = (errs: FieldError[]): string[] => errs.map((e) => `${e.field} ${e.type}`);
const ingress = (spec: Record<string, unknown>, annotations?: Record<string, string>): ApiObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'web', namespace: 'default', ...(annotations ? { annotations } : {}) },
  spec,
});
const svcBackend = (port: Record<string, unknown> = { number: 80 }) => ({ service: { name: 'web', port } });
const rule = (paths: unknown[], host = 'shop.example.com') => ({ host, http: { paths } });

describe('Ingress', () => {
  it('accepts a typical manifest and decodes it with status, without unknown fields', () => {
    const ing = {
      ...ingress({
        ingressClassName: 'tug',
        tls: [{ hosts: ['shop.example.com', '*.example.com'], secretName: 'shop-tls' }],
        rules: [rule([{ path: '/', pathType: 'Prefix', backend: svcBackend({ name: 'http' }) }])],
        defaultBackend: { resource: { apiGroup: 'example.com', kind: 'Bucket', name: 'static' } },
      }),
      status: { loadBalancer: { ingress: [{ ip: '192.0.2.1', ports: [{ port: 443, protocol: 'TCP' }] }] } },
    };
    const r = decodeObject(ingressKind.schema, ing);
    assert.deepEqual([r.unknownFields, r.errors], [[], []]);
    assert.deepEqual(ingressKind.validate(r.object, undefined), []);
  });

  it('requires rules or a default backend, and pathType on every path', () => {
    assert.deepEqual(fields(ingressKind.validate(ingress({}), undefined)), ['spec.rules FieldValueInvalid']);
    const noType = ingress({ rules: [rule([{ path: '/', backend: svcBackend() }])] });
    const errs = ingressKind.validate(noType, undefined);
    assert.deepEqual(fields(errs), ['spec.rules[0].http.paths[0].pathType FieldValueRequired']);
    assert.equal(errs[0]?.detail, 'pathType must be specified');
  });

  it('checks paths, hosts, backends and ports', () => {
    const ing = ingress({
      rules: [
        rule([{ path: 'api', pathType: 'Exact', backend: svcBackend() }], '*.*.example.com'),
        rule([{ path: '/a//b', pathType: 'Prefix', backend: { ...svcBackend(), resource: { kind: 'Bucket', name: 'b' } } }], '10.0.0.1'),
        rule([
          { path: '/', pathType: 'Regex', backend: svcBackend({ name: 'http', number: 80 }) },
          { path: '/x', pathType: 'ImplementationSpecific', backend: svcBackend({}) },
        ]),
      ],
    });
    assert.deepEqual(fields(ingressKind.validate(ing, undefined)), [
      'spec.rules[0].host FieldValueInvalid',
      'spec.rules[0].http.paths[0].path FieldValueInvalid',
      'spec.rules[1].host FieldValueInvalid',
      'spec.rules[1].http.paths[0].path FieldValueInvalid',
      'spec.rules[1].http.paths[0].backend FieldValueInvalid',
      'spec.rules[2].http.paths[0].pathType FieldValueNotSupported',
      'spec.rules[2].http.paths[0].backend.service.port FieldValueInvalid',
      'spec.rules[2].http.paths[1].backend.service.port FieldValueRequired',
    ]);
  });

  it('rejects the legacy class annotation next to ingressClassName on create only', () => {
    const ing = ingress({ ingressClassName: 'tug', defaultBackend: svcBackend() }, { 'kubernetes.io/ingress.class': 'nginx' });
    assert.deepEqual(fields(ingressKind.validate(ing, undefined)), ['annotations.kubernetes.io/ingress.class FieldValueInvalid']);
    assert.deepEqual(ingressKind.validate(ing, ing), []);
  });

  it('is listed as ing with a status subresource', () => {
    assert.deepEqual([ingressKind.apiVersion, ingressKind.plural, ingressKind.shortNames, ingressKind.status], ['networking.k8s.io/v1', 'ingresses', ['ing'], true]);
    assert.deepEqual(networkingV1Kinds.map((k) => k.kind), ['Ingress', 'IngressClass']);
  });
});

describe('IngressClass', () => {
  const ic = (spec: Record<string, unknown>): ApiObject => ({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'tug' }, spec });

  it('defaults parameter scope to Cluster and checks scope rules', () => {
    const c = ic({ controller: 'tugboat.dev/ingress', parameters: { kind: 'Config', name: 'c', apiGroup: 'tugboat.dev' } });
    ingressClassKind.defaults(c);
    assert.equal((c.spec as { parameters: { scope: string } }).parameters.scope, 'Cluster');
    assert.deepEqual(ingressClassKind.validate(c, undefined), []);
    const ns = ic({ controller: 'tugboat.dev/ingress', parameters: { kind: 'Config', name: 'c', scope: 'Namespace' } });
    assert.deepEqual(fields(ingressClassKind.validate(ns, undefined)), ['spec.parameters.namespace FieldValueRequired']);
  });

  it('requires a domain-prefixed controller that never changes', () => {
    assert.deepEqual(fields(ingressClassKind.validate(ic({}), undefined)), ['spec.controller FieldValueRequired']);
    assert.deepEqual(fields(ingressClassKind.validate(ic({ controller: 'nginx' }), undefined)), ['spec.controller FieldValueInvalid']);
    const old = ic({ controller: 'tugboat.dev/ingress' });
    assert.deepEqual(fields(ingressClassKind.validate(ic({ controller: 'tugboat.dev/other' }), old)), ['spec.controller FieldValueInvalid']);
    assert.deepEqual([ingressClassKind.namespaced, ingressClassKind.status], [false, false]);
  });
});
