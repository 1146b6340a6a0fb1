// Unit tests of the proxy model: which Services are proxied (not ExternalName, headless or
// another proxy's), how ports meet EndpointSlice ports by name and protocol, readiness defaults,
// locality, load-balancer addresses and policies; and of endpoint selection with its
// terminating fallback and Local traffic policies.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Service } from '../../api/core/v1/index.js';
import type { EndpointSlice } from '../../api/discovery/v1/index.js';
import { buildModel, proxied, type ProxyEndpoint, type ServicePortModel } from './model.js';
import { targets, usable } from './endpoints.js';

const svc = (name: string, spec: Service['spec'], extra: Partial<Service> = {}): Service => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'ns', ...(extra.metadata ?? {}) },
  spec: { type: 'ClusterIP', clusterIP: '10.43.0.10', clusterIPs: ['10.43.0.10'], ...spec },
  ...(extra.status ? { status: extra.status } : {}),
});

const slice = (service: string, o: Partial<EndpointSlice> & { name?: string }): EndpointSlice => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name: o.name ?? `${service}-abc`, namespace: 'ns', labels: { 'kubernetes.io/service-name': service } },
  addressType: o.addressType ?? 'IPv4',
  endpoints: o.endpoints ?? [],
  ports: o.ports ?? [],
});

describe('proxy model', () => {
  it('skips ExternalName, headless, unallocated and other proxies’ Services', () => {
    assert.equal(proxied(svc('a', { type: 'ExternalName', externalName: 'x.example', clusterIP: undefined, clusterIPs: undefined })), false);
    assert.equal(proxied(svc('a', { clusterIP: 'None', clusterIPs: ['None'] })), false);
    assert.equal(proxied(svc('a', { clusterIP: undefined, clusterIPs: undefined })), false);
    assert.equal(proxied(svc('a', {}, { metadata: { name: 'a', labels: { 'service.kubernetes.io/service-proxy-name': 'other' } } })), false);
    assert.equal(proxied(svc('a', {})), true);
  });

  it('matches slice ports by name and protocol, dedupes endpoints across slices and sorts them', () => {
    const s = svc('web', {
      ports: [
        { name: 'http', port: 80, protocol: 'TCP', targetPort: 'web' },
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
      ],
    });
    const slices = [
      slice('web', {
        name: 'web-1',
        endpoints: [{ addresses: ['10.42.0.12'], nodeName: 'n1' }, { addresses: ['10.42.0.9'], nodeName: 'n2', conditions: { ready: false, serving: true, terminating: true } }],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'dns', port: 5353, protocol: 'UDP' }],
      }),
      // Same pod seen in a second slice during a move, plus a pod whose named port resolves differently.
      slice('web', { name: 'web-2', endpoints: [{ addresses: ['10.42.0.12'] }, { addresses: ['10.42.0.30'] }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }),
      slice('web', { name: 'web-3', endpoints: [{ addresses: ['10.42.0.31'] }], ports: [{ name: 'http', port: 9090, protocol: 'TCP' }] }),
      slice('web', { name: 'web-v6', addressType: 'IPv6', endpoints: [{ addresses: ['fd00::1'] }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }),
      slice('other', { endpoints: [{ addresses: ['10.42.9.9'] }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }),
    ];
    const model = buildModel({ services: [s], slices, nodeName: 'n1' });
    assert.deepEqual(model.map((m) => m.id), ['ns/web/tcp/http', 'ns/web/udp/dns']);
    const http = model[0] as ServicePortModel;
    assert.deepEqual(http.endpoints.map((e) => `${e.ip}:${e.port}`), ['10.42.0.9:8080', '10.42.0.12:8080', '10.42.0.30:8080', '10.42.0.31:9090']);
    const byIp = new Map(http.endpoints.map((e) => [e.ip, e]));
    assert.deepEqual(byIp.get('10.42.0.12'), { ip: '10.42.0.12', port: 8080, local: true, ready: true, serving: true, terminating: false });
    assert.deepEqual(byIp.get('10.42.0.9'), { ip: '10.42.0.9', port: 8080, local: false, ready: false, serving: true, terminating: true });
    assert.deepEqual((model[1] as ServicePortModel).endpoints.map((e) => `${e.ip}:${e.port}`), ['10.42.0.9:5353', '10.42.0.12:5353']);
  });

  it('an unnamed single port uses its number in the id and matches the unnamed slice port', () => {
    const model = buildModel({
      services: [svc('one', { ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }] })],
      slices: [slice('one', { endpoints: [{ addresses: ['10.42.0.5'] }], ports: [{ name: '', port: 8080, protocol: 'TCP' }] })],
      nodeName: 'n1',
    });
    assert.equal(model[0]?.id, 'ns/one/tcp/80');
    assert.equal(model[0]?.endpoints.length, 1);
  });

  it('carries node ports, external and load-balancer IPs, affinity and traffic policies', () => {
    const lb = svc(
      'lb',
      {
        type: 'LoadBalancer',
        ports: [{ name: 'http', port: 80, protocol: 'TCP', nodePort: 30080 }],
        externalIPs: ['192.0.2.7', 'fd00::7'],
        externalTrafficPolicy: 'Local',
        internalTrafficPolicy: 'Local',
        sessionAffinity: 'ClientIP',
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } },
      },
      { status: { loadBalancer: { ingress: [{ ip: '172.30.0.2', ipMode: 'VIP' }, { ip: '172.30.0.3', ipMode: 'Proxy' }, { hostname: 'lb.example' }] } } },
    );
    const m = buildModel({ services: [lb], slices: [], nodeName: 'n1' })[0] as ServicePortModel;
    assert.equal(m.nodePort, 30080);
    assert.deepEqual(m.externalIPs, ['192.0.2.7']);
    assert.deepEqual(m.loadBalancerIPs, ['172.30.0.2'], 'Proxy-mode and hostname ingress are not VIPs this node serves');
    assert.equal(m.affinitySeconds, 60);
    assert.equal(m.externalLocal, true);
    assert.equal(m.internalLocal, true);
    const plain = buildModel({ services: [svc('c', { ports: [{ port: 80, nodePort: 30001 }], sessionAffinity: 'ClientIP' })], slices: [], nodeName: 'n1' })[0];
    assert.equal(plain?.nodePort, 0, 'a ClusterIP service serves no node port, whatever the field says');
    assert.equal(plain?.affinitySeconds, 10800, 'ClientIP affinity defaults to three hours');
    assert.equal(plain?.externalLocal, false);
  });
});

const ep = (ip: string, o: Partial<ProxyEndpoint> = {}): ProxyEndpoint => ({ ip, port: 80, local: false, ready: true, serving: true, terminating: false, ...o });
const model = (endpoints: ProxyEndpoint[], o: Partial<ServicePortModel> = {}): ServicePortModel => ({
  id: 'ns/s/tcp/80',
  namespace: 'ns',
  name: 's',
  protocol: 'tcp',
  clusterIP: '10.43.0.10',
  port: 80,
  nodePort: 0,
  externalIPs: [],
  loadBalancerIPs: [],
  affinitySeconds: 0,
  externalLocal: false,
  internalLocal: false,
  endpoints,
  ...o,
});
const ips = (eps: ProxyEndpoint[]): string[] => eps.map((e) => e.ip);

describe('endpoint selection', () => {
  const terminatingServing = { ready: false, serving: true, terminating: true };
  const terminatingDead = { ready: false, serving: false, terminating: true };

  it('uses ready endpoints, and terminating ones that still serve only when none is ready', () => {
    assert.deepEqual(ips(usable([ep('a'), ep('b', terminatingServing), ep('c', { ready: false, serving: false })])), ['a']);
    assert.deepEqual(ips(usable([ep('b', terminatingServing), ep('c', terminatingDead), ep('d', { ready: false, serving: false })])), ['b']);
    assert.deepEqual(usable([ep('c', terminatingDead)]), []);
  });

  it('Local policies pick this node’s endpoints, with their own terminating fallback', () => {
    const eps = [ep('remote-ready'), ep('local-terminating', { ...terminatingServing, local: true })];
    const t = targets(model(eps, { internalLocal: true, externalLocal: true }));
    assert.deepEqual(ips(t.internal), ['local-terminating']);
    assert.deepEqual(ips(t.external), ['local-terminating']);
    assert.deepEqual(ips(t.cluster), ['remote-ready'], 'cluster-wide, a ready endpoint beats a terminating one');
    const none = targets(model([ep('remote')], { internalLocal: true }));
    assert.deepEqual([none.internal, ips(none.external), ips(none.cluster)], [[], ['remote'], ['remote']]);
  });
});
