import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, Service, ServicePort } from '../../api/core/v1/index.js';
import type { EndpointSlice } from '../../api/discovery/v1/index.js';
import { ClusterZone } from './zone.js';
import { ZoneResolver, type Resolution } from './lookup.js';
import { RCODE, TYPE, type Rr } from './records.js';
import { reverseName } from './names.js';

const svc = (ns: string, name: string, spec: Service['spec']): Service => ({ metadata: { namespace: ns, name }, spec });
const slice = (
  ns: string,
  service: string,
  name: string,
  o: { endpoints: { ip: string; hostname?: string; ready?: boolean }[]; ports?: { name: string; port: number; protocol?: 'TCP' | 'UDP' }[]; type?: 'IPv4' | 'IPv6' },
): EndpointSlice => ({
  metadata: { namespace: ns, name, labels: { 'kubernetes.io/service-name': service } },
  addressType: o.type ?? 'IPv4',
  endpoints: o.endpoints.map((e) => ({ addresses: [e.ip], ...(e.hostname ? { hostname: e.hostname } : {}), ...(e.ready === undefined ? {} : { conditions: { ready: e.ready } }) })),
  ports: (o.ports ?? []).map((p) => ({ name: p.name, port: p.port, protocol: p.protocol ?? 'TCP' })),
});
const pod = (ns: string, name: string, ip: string, extra: Partial<Pod> = {}): Pod => ({
  metadata: { namespace: ns, name },
  spec: { containers: [] },
  status: { phase: 'Running', podIP: ip, podIPs: [{ ip }] },
  ...extra,
});
const httpPorts: ServicePort[] = [
  { name: 'http', port: 80, protocol: 'TCP' },
  { port: 9999, protocol: 'TCP' },
  { name: 'dns', port: 53, protocol: 'UDP' },
];

function fixture(): { zone: ClusterZone; r: ZoneResolver } {
  const zone = new ClusterZone({ domain: 'cluster.local', podRecords: true, nsAddresses: ['169.254.20.10'] });
  zone.upsertNamespace({ metadata: { name: 'default' } });
  zone.upsertNamespace({ metadata: { name: 'empty' } });
  zone.upsertService(svc('default', 'web', { clusterIP: '10.43.0.20', clusterIPs: ['10.43.0.20', 'fd00:43::20'], ports: httpPorts }));
  zone.upsertSlice(slice('default', 'web', 'web-abc', { endpoints: [{ ip: '10.244.0.5' }, { ip: '10.244.0.6', ready: false }], ports: [{ name: 'http', port: 8080 }] }));
  zone.upsertService(svc('default', 'db', { clusterIP: 'None', ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }] }));
  zone.upsertSlice(
    slice('default', 'db', 'db-1', {
      endpoints: [{ ip: '10.244.1.10', hostname: 'db-0' }, { ip: '10.244.1.11', hostname: 'db-1' }, { ip: '10.244.1.12' }, { ip: '10.244.1.13', hostname: 'db-3', ready: false }],
      ports: [{ name: 'pg', port: 5432 }],
    }),
  );
  zone.upsertService(svc('default', 'nothing-ready', { clusterIP: 'None', ports: [{ name: 'x', port: 1, protocol: 'TCP' }] }));
  zone.upsertSlice(slice('default', 'nothing-ready', 'nr-1', { endpoints: [{ ip: '10.244.2.1', ready: false }], ports: [{ name: 'x', port: 1 }] }));
  zone.upsertService(svc('default', 'peers', { clusterIP: 'None', publishNotReadyAddresses: true }));
  zone.upsertSlice(slice('default', 'peers', 'p-1', { endpoints: [{ ip: '10.244.3.1', hostname: 'peer-0', ready: false }] }));
  zone.upsertService(svc('default', 'ext', { type: 'ExternalName', externalName: 'db.example.com.' }));
  zone.upsertService(svc('default', 'alias', { type: 'ExternalName', externalName: 'web.default.svc.cluster.local' }));
  zone.upsertService(svc('other', 'only-svc', { clusterIP: '10.43.0.30' }));
  zone.upsertPod(pod('default', 'p1', '10.244.0.5'));
  zone.upsertPod(pod('default', 'p6', 'fd00:244::6'));
  zone.upsertPod(pod('default', 'done', '10.244.9.9', { status: { phase: 'Succeeded', podIP: '10.244.9.9' } }));
  return { zone, r: new ZoneResolver(zone, { ttl: 5 }) };
}

function answerOf(res: Resolution): { rcode: number; answers: Rr[]; authorities: Rr[]; additionals: Rr[]; authoritative: boolean } {
  assert.equal(res.kind, 'answer', `expected an answer, got ${res.kind}`);
  if (res.kind !== 'answer') throw new Error('unreachable');
  return res.answer;
}
const ask = (r: ZoneResolver, name: string, type: number): ReturnType<typeof answerOf> => answerOf(r.resolve({ name, type, class: 1 }));
const ips = (rrs: Rr[]): string[] => rrs.flatMap((rr) => (rr.type === TYPE.A || rr.type === TYPE.AAAA ? [rr.ip] : []));
const targets = (rrs: Rr[]): string[] => rrs.flatMap((rr) => (rr.type === TYPE.SRV || rr.type === TYPE.PTR || rr.type === TYPE.CNAME ? [rr.target] : []));

function assertNegative(a: ReturnType<typeof answerOf>, rcode: number): void {
  assert.equal(a.rcode, rcode);
  assert.equal(a.answers.length, 0);
  assert.equal(a.authorities[0]?.type, TYPE.SOA);
  assert.equal(a.authorities[0]?.ttl, 5);
}

describe('cluster zone answers', () => {
  it('answers a ClusterIP service with its cluster IPs, per family, TTL 5', () => {
    const { r } = fixture();
    const a = ask(r, 'web.default.svc.cluster.local', TYPE.A);
    assert.equal(a.rcode, RCODE.NOERROR);
    assert.ok(a.authoritative);
    assert.deepEqual(ips(a.answers), ['10.43.0.20']);
    assert.equal(a.answers[0]?.ttl, 5);
    assert.deepEqual(ips(ask(r, 'web.default.svc.cluster.local', TYPE.AAAA).answers), ['fd00:43::20']);
  });

  it('answers SRV for named ports only, pointing at the service name, with glue', () => {
    const { r } = fixture();
    const a = ask(r, '_http._tcp.web.default.svc.cluster.local', TYPE.SRV);
    assert.deepEqual(targets(a.answers), ['web.default.svc.cluster.local']);
    const srv = a.answers[0];
    assert.ok(srv?.type === TYPE.SRV && srv.port === 80);
    assert.deepEqual(ips(a.additionals).sort(), ['10.43.0.20', 'fd00:43::20']);
    assert.equal(ask(r, '_dns._udp.web.default.svc.cluster.local', TYPE.SRV).answers.length, 1);
    // The protocol label is an empty non-terminal; a wrong protocol or unknown port does not exist.
    assertNegative(ask(r, '_tcp.web.default.svc.cluster.local', TYPE.SRV), RCODE.NOERROR);
    assertNegative(ask(r, '_dns._tcp.web.default.svc.cluster.local', TYPE.SRV), RCODE.NXDOMAIN);
    assertNegative(ask(r, '_https._tcp.web.default.svc.cluster.local', TYPE.SRV), RCODE.NXDOMAIN);
  });

  it('answers a headless service with ready endpoint addresses and per-endpoint names', () => {
    const { r } = fixture();
    assert.deepEqual(ips(ask(r, 'db.default.svc.cluster.local', TYPE.A).answers), ['10.244.1.10', '10.244.1.11', '10.244.1.12']);
    assert.deepEqual(ips(ask(r, 'db-0.db.default.svc.cluster.local', TYPE.A).answers), ['10.244.1.10']);
    assert.deepEqual(ips(ask(r, '10-244-1-12.db.default.svc.cluster.local', TYPE.A).answers), ['10.244.1.12']);
    // Not ready: no name.
    assertNegative(ask(r, 'db-3.db.default.svc.cluster.local', TYPE.A), RCODE.NXDOMAIN);
    const srv = ask(r, '_pg._tcp.db.default.svc.cluster.local', TYPE.SRV);
    assert.deepEqual(targets(srv.answers), ['10-244-1-12.db.default.svc.cluster.local', 'db-0.db.default.svc.cluster.local', 'db-1.db.default.svc.cluster.local']);
    assert.ok(srv.answers.every((rr) => rr.type === TYPE.SRV && rr.port === 5432 && rr.weight === 33));
    assert.equal(srv.additionals.length, 3);
  });

  it('gives NXDOMAIN for a headless service without ready endpoints, unless it publishes unready ones', () => {
    const { r } = fixture();
    assertNegative(ask(r, 'nothing-ready.default.svc.cluster.local', TYPE.A), RCODE.NXDOMAIN);
    assert.deepEqual(ips(ask(r, 'peers.default.svc.cluster.local', TYPE.A).answers), ['10.244.3.1']);
    assert.deepEqual(ips(ask(r, 'peer-0.peers.default.svc.cluster.local', TYPE.A).answers), ['10.244.3.1']);
  });

  it('gives NODATA for an existing name without records of the asked type', () => {
    const { r } = fixture();
    assertNegative(ask(r, 'db.default.svc.cluster.local', TYPE.AAAA), RCODE.NOERROR);
    assertNegative(ask(r, 'web.default.svc.cluster.local', TYPE.TXT), RCODE.NOERROR);
    assertNegative(ask(r, 'web.default.svc.cluster.local', 15), RCODE.NOERROR);
  });

  it('treats namespaces and the zone structure as existing names', () => {
    const { r, zone } = fixture();
    assertNegative(ask(r, 'default.svc.cluster.local', TYPE.A), RCODE.NOERROR);
    assertNegative(ask(r, 'empty.svc.cluster.local', TYPE.A), RCODE.NOERROR);
    assertNegative(ask(r, 'empty.pod.cluster.local', TYPE.A), RCODE.NOERROR);
    // A namespace known only through a Service exists too.
    assertNegative(ask(r, 'other.svc.cluster.local', TYPE.A), RCODE.NOERROR);
    assertNegative(ask(r, 'missing.svc.cluster.local', TYPE.A), RCODE.NXDOMAIN);
    assertNegative(ask(r, 'svc.cluster.local', TYPE.A), RCODE.NOERROR);
    assertNegative(ask(r, 'pod.cluster.local', TYPE.A), RCODE.NOERROR);
    const soa = ask(r, 'cluster.local', TYPE.SOA);
    assert.equal(soa.answers[0]?.type, TYPE.SOA);
    const ns = ask(r, 'cluster.local', TYPE.NS);
    assert.deepEqual(targets(ns.answers).length, 0);
    assert.ok(ns.answers[0]?.type === TYPE.NS && ns.answers[0].target === 'ns.dns.cluster.local');
    assert.deepEqual(ips(ns.additionals), ['169.254.20.10']);
    const v = ask(r, 'dns-version.cluster.local', TYPE.TXT);
    assert.ok(v.answers[0]?.type === TYPE.TXT && v.answers[0].text[0] === '1.1.0');
    zone.deleteNamespace({ metadata: { name: 'empty' } });
    assertNegative(ask(r, 'empty.svc.cluster.local', TYPE.A), RCODE.NXDOMAIN);
  });

  it('answers NXDOMAIN for search-path expansions and unknown names under the zone', () => {
    const { r } = fixture();
    for (const n of ['example.com.default.svc.cluster.local', 'web.default.svc.cluster.local.default.svc.cluster.local', 'nope.default.svc.cluster.local', 'a.b.c.cluster.local']) {
      assertNegative(ask(r, n, TYPE.A), RCODE.NXDOMAIN);
    }
  });

  it('forwards names outside the zone', () => {
    const { r } = fixture();
    assert.equal(r.resolve({ name: 'example.com', type: TYPE.A, class: 1 }).kind, 'forward');
    assert.equal(r.resolve({ name: 'cluster.local.example.com', type: TYPE.A, class: 1 }).kind, 'forward');
  });

  it('answers ExternalName with a CNAME, chased upstream or inside the zone', () => {
    const { r } = fixture();
    const ext = r.resolve({ name: 'ext.default.svc.cluster.local', type: TYPE.A, class: 1 });
    assert.equal(ext.kind, 'chase');
    assert.ok(ext.kind === 'chase' && ext.target === 'db.example.com' && targets(ext.answer.answers)[0] === 'db.example.com');
    assert.deepEqual(targets(ask(r, 'ext.default.svc.cluster.local', TYPE.CNAME).answers), ['db.example.com']);
    const alias = ask(r, 'alias.default.svc.cluster.local', TYPE.A);
    assert.deepEqual(targets(alias.answers), ['web.default.svc.cluster.local']);
    assert.deepEqual(ips(alias.answers), ['10.43.0.20']);
  });

  it('answers verified pod names only for live pods of that namespace', () => {
    const { r } = fixture();
    assert.deepEqual(ips(ask(r, '10-244-0-5.default.pod.cluster.local', TYPE.A).answers), ['10.244.0.5']);
    assert.deepEqual(ips(ask(r, 'fd00-244--6.default.pod.cluster.local', TYPE.AAAA).answers), ['fd00:244::6']);
    assertNegative(ask(r, '10-244-0-5.default.pod.cluster.local', TYPE.AAAA), RCODE.NOERROR);
    assertNegative(ask(r, '10-244-0-5.other.pod.cluster.local', TYPE.A), RCODE.NXDOMAIN);
    assertNegative(ask(r, '10-244-0-99.default.pod.cluster.local', TYPE.A), RCODE.NXDOMAIN);
    assertNegative(ask(r, '10-244-9-9.default.pod.cluster.local', TYPE.A), RCODE.NXDOMAIN);
  });

  it('answers PTR for cluster IPs, endpoint addresses and pods, and forwards other addresses', () => {
    const { r } = fixture();
    const ptr = (ip: string): string[] => targets(ask(r, reverseName(ip) ?? '', TYPE.PTR).answers);
    assert.deepEqual(ptr('10.43.0.20'), ['web.default.svc.cluster.local']);
    assert.deepEqual(ptr('fd00:43::20'), ['web.default.svc.cluster.local']);
    assert.deepEqual(ptr('10.244.1.10'), ['db-0.db.default.svc.cluster.local']);
    assert.deepEqual(ptr('10.244.0.5'), ['10-244-0-5.web.default.svc.cluster.local']);
    assert.deepEqual(ptr('fd00:244::6'), ['fd00-244--6.default.pod.cluster.local']);
    assert.equal(r.resolve({ name: reverseName('192.0.2.1') ?? '', type: TYPE.PTR, class: 1 }).kind, 'forward');
    assert.equal(ask(r, reverseName('10.43.0.20') ?? '', TYPE.A).answers.length, 0);
  });

  it('follows slice and service changes, and drops names of deleted services', () => {
    const { r, zone } = fixture();
    const v0 = zone.version;
    zone.upsertSlice(slice('default', 'db', 'db-1', { endpoints: [{ ip: '10.244.1.20', hostname: 'db-0' }], ports: [{ name: 'pg', port: 5432 }] }));
    assert.ok(zone.version > v0);
    assert.deepEqual(ips(ask(r, 'db-0.db.default.svc.cluster.local', TYPE.A).answers), ['10.244.1.20']);
    assertNegative(ask(r, 'db-1.db.default.svc.cluster.local', TYPE.A), RCODE.NXDOMAIN);
    zone.deleteService(svc('default', 'web', {}));
    assertNegative(ask(r, 'web.default.svc.cluster.local', TYPE.A), RCODE.NXDOMAIN);
    assertNegative(ask(r, '_http._tcp.web.default.svc.cluster.local', TYPE.SRV), RCODE.NXDOMAIN);
    assert.equal(r.resolve({ name: reverseName('10.43.0.20') ?? '', type: TYPE.PTR, class: 1 }).kind, 'forward');
    zone.deleteSlice(slice('default', 'db', 'db-1', { endpoints: [] }));
    assertNegative(ask(r, 'db.default.svc.cluster.local', TYPE.A), RCODE.NXDOMAIN);
  });

  it('refuses other classes inside the zone', () => {
    const { r } = fixture();
    const a = answerOf(r.resolve({ name: 'web.default.svc.cluster.local', type: TYPE.A, class: 3 }));
    assert.equal(a.rcode, RCODE.REFUSED);
  });
});
