// Tests for the Service kind: Kubernetes defaults (type, protocol, targetPort, traffic and IP
// family policies), validation errors at Kubernetes' field paths, cluster-IP immutability, the
// field-selector values, that a full manifest with status decodes with no unknown fields, and
// the update preparation that carries allocated values over.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeObject } from '../../check.js';
import type { ApiObject } from '../../kind.js';
import type { FieldError } from '../../../lib/field-errors.js';
import { serviceKind } from './service.js';
import { prepareServiceUpdate } from './service-update.js';
import type { Service } from './service-schema.js';

const svc = (spec: Record<string, unknown>, name = 'web'): ApiObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default' },
  spec,
});

function defaulted(spec: Record<string, unknown>, name?: string): ApiObject {
  const o = svc(spec, name);
  serviceKind.defaults(o);
  return o;
}

const fields = (errs: FieldError[]): string[] => errs.map((e) => `${e.field} ${e.type}`);

describe('Service defaults', () => {
  it('fills type, affinity, protocol, targetPort and policies like Kubernetes', () => {
    const o = defaulted({ selector: { app: 'web' }, ports: [{ port: 80 }] });
    assert.deepEqual(o.spec, {
      selector: { app: 'web' },
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ipFamilyPolicy: 'SingleStack',
    });
  });

  it('keeps a named targetPort and sets external policy and node-port allocation for LoadBalancer', () => {
    const o = defaulted({ type: 'LoadBalancer', ports: [{ port: 443, targetPort: 'https', protocol: 'TCP' }] });
    const spec = o.spec as Record<string, unknown>;
    assert.equal((spec.ports as { targetPort: unknown }[])[0]?.targetPort, 'https');
    assert.equal(spec.externalTrafficPolicy, 'Cluster');
    assert.equal(spec.allocateLoadBalancerNodePorts, true);
  });

  it('gives ClientIP affinity a three-hour timeout and ExternalName no IP policies', () => {
    const sticky = defaulted({ sessionAffinity: 'ClientIP', ports: [{ port: 80 }] });
    assert.deepEqual((sticky.spec as Record<string, unknown>).sessionAffinityConfig, { clientIP: { timeoutSeconds: 10800 } });
    const ext = defaulted({ type: 'ExternalName', externalName: 'db.example.com' });
    const spec = ext.spec as Record<string, unknown>;
    assert.equal(spec.ipFamilyPolicy, undefined);
    assert.equal(spec.internalTrafficPolicy, undefined);
  });

  it('makes a selector-less headless service RequireDualStack and mirrors clusterIP into clusterIPs', () => {
    assert.equal((defaulted({ clusterIP: 'None' }).spec as Record<string, unknown>).ipFamilyPolicy, 'RequireDualStack');
    assert.deepEqual((defaulted({ clusterIP: '10.0.0.10', ports: [{ port: 53 }] }).spec as Record<string, unknown>).clusterIPs, ['10.0.0.10']);
  });
});

describe('Service validation', () => {
  it('accepts a defaulted, well-formed service', () => {
    assert.deepEqual(serviceKind.validate(defaulted({ selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }] }), undefined), []);
  });

  it('requires DNS-1035 names and at least one port', () => {
    const errs = serviceKind.validate(defaulted({ selector: { app: 'web' } }, '1web'), undefined);
    assert.deepEqual(fields(errs), ['metadata.name FieldValueInvalid', 'spec.ports FieldValueRequired']);
  });

  it('requires unique names when there are several ports and checks numbers and protocols', () => {
    const o = defaulted({
      ports: [
        { port: 80, name: 'http' },
        { port: 70000, name: 'http' },
        { port: 53, protocol: 'HTTP' },
      ],
    });
    assert.deepEqual(fields(serviceKind.validate(o, undefined)), [
      'spec.ports[1].port FieldValueInvalid',
      'spec.ports[1].targetPort FieldValueInvalid',
      'spec.ports[1].name FieldValueDuplicate',
      'spec.ports[2].name FieldValueRequired',
      'spec.ports[2].protocol FieldValueNotSupported',
    ]);
  });

  it('rejects nodePort on ClusterIP services, duplicate port/protocol pairs and unknown types', () => {
    const o = defaulted({ ports: [{ port: 80, nodePort: 30080, name: 'a' }, { port: 80, name: 'b' }] });
    assert.deepEqual(fields(serviceKind.validate(o, undefined)), ['spec.ports[0].nodePort FieldValueForbidden', 'spec.ports[1] FieldValueDuplicate']);
    assert.deepEqual(fields(serviceKind.validate(svc({ type: 'Balanced', ports: [{ port: 80 }] }), undefined)), ['spec.type FieldValueNotSupported']);
  });

  it('requires externalName for ExternalName services and forbids cluster IPs there', () => {
    const o = defaulted({ type: 'ExternalName', clusterIP: '10.0.0.1' });
    assert.deepEqual(fields(serviceKind.validate(o, undefined)), ['spec.externalName FieldValueRequired', 'spec.clusterIP FieldValueForbidden']);
  });

  it('rejects malformed IPs and fields meant for other service types', () => {
    const o = defaulted({
      ports: [{ port: 80 }],
      clusterIP: '10.0.0.300',
      externalIPs: ['127.0.0.1'],
      loadBalancerSourceRanges: ['10.0.0.0/8'],
    });
    assert.deepEqual(fields(serviceKind.validate(o, undefined)), [
      'spec.clusterIPs[0] FieldValueInvalid',
      'spec.loadBalancerSourceRanges FieldValueForbidden',
      'spec.externalIPs[0] FieldValueInvalid',
    ]);
    // A plain ClusterIP service takes no outside traffic, so an external policy makes no sense.
    const internal = defaulted({ ports: [{ port: 80 }], externalTrafficPolicy: 'Local' });
    assert.deepEqual(fields(serviceKind.validate(internal, undefined)), ['spec.externalTrafficPolicy FieldValueInvalid']);
  });

  it('keeps an allocated cluster IP but allows adding a second family', () => {
    const old = defaulted({ ports: [{ port: 80 }], clusterIP: '10.0.0.5' });
    const moved = defaulted({ ports: [{ port: 80 }], clusterIP: '10.0.0.6' });
    const errs = serviceKind.validate(moved, old);
    assert.deepEqual(fields(errs), ['spec.clusterIPs[0] FieldValueInvalid']);
    assert.equal(errs[0]?.detail, 'may not change once set');
    const grown = defaulted({ ports: [{ port: 80 }], clusterIPs: ['10.0.0.5', 'fd00::5'], ipFamilyPolicy: 'PreferDualStack' });
    assert.deepEqual(serviceKind.validate(grown, old), []);
  });
});

describe('Service kind', () => {
  it('is namespaced, in the "all" category, with a status subresource', () => {
    assert.deepEqual([serviceKind.plural, serviceKind.shortNames, serviceKind.categories], ['services', ['svc'], ['all']]);
    assert.equal(serviceKind.status, true);
  });

  it('offers spec.clusterIP and spec.type to field selectors', () => {
    const o = defaulted({ ports: [{ port: 80 }], clusterIP: '10.0.0.7' });
    assert.deepEqual(serviceKind.fields(o), { 'spec.clusterIP': '10.0.0.7', 'spec.type': 'ClusterIP' });
  });

  it('decodes a complete manifest with status and no unknown fields', () => {
    const manifest = {
      ...svc({
        type: 'LoadBalancer',
        selector: { app: 'web' },
        ports: [{ name: 'https', port: 443, targetPort: 8443, nodePort: 30443, protocol: 'TCP', appProtocol: 'https' }],
        clusterIP: '10.0.0.8',
        clusterIPs: ['10.0.0.8'],
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        externalTrafficPolicy: 'Local',
        healthCheckNodePort: 31000,
        loadBalancerClass: 'example.com/lb',
        loadBalancerSourceRanges: ['192.0.2.0/24'],
        allocateLoadBalancerNodePorts: true,
        internalTrafficPolicy: 'Cluster',
        sessionAffinity: 'ClientIP',
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } },
        publishNotReadyAddresses: false,
        trafficDistribution: 'PreferClose',
      }),
      status: {
        loadBalancer: { ingress: [{ ip: '192.0.2.10', ipMode: 'VIP', ports: [{ port: 443, protocol: 'TCP' }] }] },
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2024-01-01T00:00:00Z', reason: 'Ok', message: '' }],
      },
    };
    const r = decodeObject(serviceKind.schema, manifest);
    assert.deepEqual([r.unknownFields, r.errors], [[], []]);
    serviceKind.defaults(r.object);
    assert.deepEqual(serviceKind.validate(r.object, undefined), []);
  });
});

describe('prepareServiceUpdate', () => {
  it('carries allocated IPs and node ports over when a replace leaves them out', () => {
    const old = defaulted({ type: 'NodePort', clusterIP: '10.0.0.9', ports: [{ name: 'http', port: 80, nodePort: 30080 }] });
    const now = defaulted({ type: 'NodePort', ports: [{ name: 'http', port: 80 }] });
    prepareServiceUpdate(now as unknown as Service, old as unknown as Service);
    const spec = now.spec as Record<string, unknown>;
    assert.deepEqual([spec.clusterIP, spec.clusterIPs], ['10.0.0.9', ['10.0.0.9']]);
    assert.equal((spec.ports as { nodePort?: number }[])[0]?.nodePort, 30080);
    assert.deepEqual(serviceKind.validate(now, old), []);
  });

  it('drops node ports and the external policy when a NodePort service becomes ClusterIP', () => {
    const old = defaulted({ type: 'NodePort', clusterIP: '10.0.0.9', ports: [{ name: 'http', port: 80, nodePort: 30080 }] });
    const now = structuredClone(old);
    (now.spec as Record<string, unknown>).type = 'ClusterIP';
    prepareServiceUpdate(now as unknown as Service, old as unknown as Service);
    const spec = now.spec as Record<string, unknown>;
    assert.equal((spec.ports as { nodePort?: number }[])[0]?.nodePort, undefined);
    assert.equal(spec.externalTrafficPolicy, undefined);
    assert.deepEqual(serviceKind.validate(now, old), []);
  });
});
