import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import { ClusterZone } from './zone.js';
import { ZoneResolver } from './lookup.js';
import { Forwarder } from './forwarder.js';
import { Responder } from './responder.js';
import { startFakeUpstream, type FakeUpstream } from './test-upstream.js';

const q = (name: string, type: dnsPacket.RecordType, o: { id?: number; edns?: number; version?: number } = {}): Buffer =>
  dnsPacket.encode({
    type: 'query',
    id: o.id ?? 1,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ name, type, class: 'IN' }],
    additionals: o.edns ? [{ type: 'OPT', name: '.', udpPayloadSize: o.edns, extendedRcode: 0, ednsVersion: o.version ?? 0, flags: 0, flag_do: false, options: [] }] : [],
  });

async function reply(r: Responder, raw: Buffer, tcp = false): Promise<dnsPacket.DecodedPacket & { rcode: number; raw: Buffer }> {
  const out = await r.handle(raw, { tcp });
  assert.ok(out, 'expected a reply');
  return { ...dnsPacket.decode(out), rcode: out.readUInt16BE(2) & 0xf, raw: out };
}

describe('dns responder', () => {
  let upstream: FakeUpstream;
  let forwarder: Forwarder;
  let zone: ClusterZone;
  let ready = true;
  let r: Responder;

  before(async () => {
    upstream = await startFakeUpstream({ 'db.example.com': ['192.0.2.10'], 'example.org': ['192.0.2.20'] });
    forwarder = new Forwarder({ upstreams: [{ host: '127.0.0.1', port: upstream.port }], timeoutMs: 500 });
    zone = new ClusterZone({ domain: 'cluster.local' });
    zone.upsertNamespace({ metadata: { name: 'default' } });
    zone.upsertService({ metadata: { namespace: 'default', name: 'web' }, spec: { clusterIP: '10.43.0.20', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } });
    zone.upsertService({ metadata: { namespace: 'default', name: 'ext' }, spec: { type: 'ExternalName', externalName: 'db.example.com' } });
    zone.upsertService({ metadata: { namespace: 'default', name: 'big' }, spec: { clusterIP: 'None' } });
    zone.upsertSlice({
      metadata: { namespace: 'default', name: 'big-1', labels: { 'kubernetes.io/service-name': 'big' } },
      addressType: 'IPv4',
      endpoints: Array.from({ length: 60 }, (_, i) => ({ addresses: [`10.244.7.${i + 1}`] })),
    });
    r = new Responder({ zone, resolver: new ZoneResolver(zone, { ttl: 5 }), forwarder, ready: () => ready });
  });
  after(async () => {
    forwarder.close();
    await upstream.close();
  });

  it('answers case-insensitively and echoes the asked case, also from its cache', async () => {
    const first = await reply(r, q('WEB.Default.svc.CLUSTER.local', 'A', { id: 11 }));
    assert.equal(first.id, 11);
    assert.equal(first.questions?.[0]?.name, 'WEB.Default.svc.CLUSTER.local');
    assert.deepEqual(first.answers?.map((a) => ('data' in a ? a.data : '')), ['10.43.0.20']);
    const second = await reply(r, q('web.default.SVC.cluster.local', 'A', { id: 12 }));
    assert.equal(second.id, 12);
    assert.equal(second.questions?.[0]?.name, 'web.default.SVC.cluster.local');
    assert.equal(second.answers?.[0]?.name, 'web.default.SVC.cluster.local');
    assert.deepEqual(second.answers?.map((a) => ('data' in a ? a.data : '')), ['10.43.0.20']);
  });

  it('stops serving a cached reply once the zone changes', async () => {
    assert.equal((await reply(r, q('gone.default.svc.cluster.local', 'A'))).rcode, 3);
    zone.upsertService({ metadata: { namespace: 'default', name: 'gone' }, spec: { clusterIP: '10.43.0.99' } });
    const now = await reply(r, q('gone.default.svc.cluster.local', 'A'));
    assert.equal(now.rcode, 0);
    assert.deepEqual(now.answers?.map((a) => ('data' in a ? a.data : '')), ['10.43.0.99']);
    zone.deleteService({ metadata: { namespace: 'default', name: 'gone' } });
    assert.equal((await reply(r, q('gone.default.svc.cluster.local', 'A'))).rcode, 3);
  });

  it('forwards other names to the upstream with the client ID, and SERVFAILs when none answers', async () => {
    const fwd = await reply(r, q('example.org', 'A', { id: 777 }));
    assert.equal(fwd.id, 777);
    assert.deepEqual(fwd.answers?.map((a) => ('data' in a ? a.data : '')), ['192.0.2.20']);
    assert.ok(upstream.seen.includes('example.org/A/udp'));
    const nx = await reply(r, q('nowhere.example', 'A'));
    assert.equal(nx.rcode, 3);
    assert.ok(!nx.flag_aa);
    const deadForwarder = new Forwarder({ upstreams: [{ host: '127.0.0.1', port: 9 }], timeoutMs: 100 });
    const dead = new Responder({ zone, resolver: new ZoneResolver(zone, { ttl: 5 }), forwarder: deadForwarder, ready: () => true });
    assert.equal((await reply(dead, q('example.org', 'A'))).rcode, 2);
    deadForwarder.close();
  });

  it('relays a truncated upstream reply over UDP and forwards over TCP for TCP clients', async () => {
    const udp = await reply(r, q('big.example.net', 'A'));
    assert.ok(udp.flag_tc);
    const tcp = await reply(r, q('big.example.net', 'A'), true);
    assert.ok(!tcp.flag_tc);
    assert.equal(tcp.answers?.length, 60);
    assert.ok(upstream.seen.includes('big.example.net/A/tcp'));
  });

  it('chases an ExternalName CNAME through the upstream', async () => {
    const ext = await reply(r, q('Ext.default.svc.cluster.local', 'A', { id: 5, edns: 1232 }));
    assert.equal(ext.id, 5);
    assert.equal(ext.questions?.[0]?.name, 'Ext.default.svc.cluster.local');
    assert.deepEqual(
      ext.answers?.map((a) => [a.type, 'data' in a ? a.data : '']),
      [
        ['CNAME', 'db.example.com'],
        ['A', '192.0.2.10'],
      ],
    );
    assert.equal(ext.additionals?.[0]?.type, 'OPT');
  });

  it('truncates a big headless answer over plain UDP, not over TCP or with a large EDNS buffer', async () => {
    const udp = await reply(r, q('big.default.svc.cluster.local', 'A'));
    assert.ok(udp.flag_tc);
    assert.equal(udp.answers?.length, 0);
    assert.ok(udp.raw.length <= 512);
    const edns = await reply(r, q('big.default.svc.cluster.local', 'A', { edns: 4096 }));
    assert.ok(!edns.flag_tc);
    assert.equal(edns.answers?.length, 60);
    const tcp = await reply(r, q('big.default.svc.cluster.local', 'A'), true);
    assert.equal(tcp.answers?.length, 60);
  });

  it('answers SERVFAIL for cluster names until the caches have synced, but forwards meanwhile', async () => {
    ready = false;
    try {
      assert.equal((await reply(r, q('nope.default.svc.cluster.local', 'A'))).rcode, 2);
      assert.equal((await reply(r, q('example.org', 'A'))).rcode, 0);
    } finally {
      ready = true;
    }
    assert.equal((await reply(r, q('nope.default.svc.cluster.local', 'A'))).rcode, 3);
  });

  it('answers BADVERS to an unknown EDNS version and FORMERR to a broken question', async () => {
    const bad = await reply(r, q('web.default.svc.cluster.local', 'A', { edns: 1232, version: 1 }));
    const o = bad.additionals?.[0];
    assert.ok(o?.type === 'OPT' && o.extendedRcode === 1);
    const broken = q('web.default.svc.cluster.local', 'A').subarray(0, 18);
    assert.equal((await reply(r, broken)).rcode, 1);
  });
});
