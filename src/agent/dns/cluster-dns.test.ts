import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiObject, KindDef } from '../../api/kind.js';
import { InformerFactory, type Client, type ObjectList, type WatchEvent, type WatchOptions } from '../../client/index.js';
import { ClusterDns } from './cluster-dns.js';
import { query, startFakeUpstream, type FakeUpstream } from './test-upstream.js';
import { resolvConfServers, resolveUpstreams } from './upstreams.js';
import { Forwarder } from './forwarder.js';
import * as dnsPacket from 'dns-packet';

/** Serves fixed lists and lets the test push watch events; every other verb is unused here. */
class FakeClient implements Client {
  readonly watchers = new Map<string, (e: WatchEvent) => void>();
  constructor(private readonly objects: Record<string, ApiObject[]>) {}
  async list<T extends ApiObject>(kind: KindDef): Promise<ObjectList<T>> {
    return { metadata: { resourceVersion: '1' }, items: (this.objects[kind.plural] ?? []) as T[] };
  }
  async watch<T extends ApiObject>(kind: KindDef, _ns: string | undefined, opts: WatchOptions, onEvent: (e: WatchEvent<T>) => void): Promise<void> {
    this.watchers.set(kind.plural, onEvent as (e: WatchEvent) => void);
    await new Promise<void>((r) => (opts.signal.aborted ? r() : opts.signal.addEventListener('abort', () => r(), { once: true })));
  }
  push(plural: string, e: WatchEvent): void {
    this.watchers.get(plural)?.(e);
  }
  get(): never {
    throw new Error('unused');
  }
  create(): never {
    throw new Error('unused');
  }
  update(): never {
    throw new Error('unused');
  }
  patch(): never {
    throw new Error('unused');
  }
  delete(): never {
    throw new Error('unused');
  }
  createSubresource(): never {
    throw new Error('unused');
  }
}

const data = (p: { answers?: dnsPacket.Answer[] }): unknown[] => (p.answers ?? []).map((a) => ('data' in a ? a.data : undefined));

describe('ClusterDns on loopback sockets', () => {
  const ac = new AbortController();
  let client: FakeClient;
  let dns: ClusterDns;
  let upstream: FakeUpstream;
  let running: Promise<void>;
  let port = 0;

  before(async () => {
    upstream = await startFakeUpstream({ 'example.org': ['192.0.2.20'] });
    client = new FakeClient({
      namespaces: [{ metadata: { name: 'default' } }],
      services: [{ metadata: { namespace: 'default', name: 'web' }, spec: { clusterIP: '10.43.0.20', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } } as ApiObject],
      endpointslices: [],
      pods: [{ metadata: { namespace: 'default', name: 'p' }, status: { phase: 'Running', podIP: '10.244.0.9' } } as ApiObject],
    });
    const informers = new InformerFactory(client);
    dns = new ClusterDns({ client, informers, nodeName: 'n1', log: () => undefined, listenAddresses: ['127.0.0.1:0', '[::1]:0'], upstreams: [`127.0.0.1:${upstream.port}`] });
    informers.start(ac.signal);
    running = dns.run(ac.signal);
    await dns.ready;
    port = Number(dns.addresses()[0]?.split(':')[1]);
  });
  after(async () => {
    ac.abort();
    await running;
    await upstream.close();
  });

  it('serves the informer cache over UDP and TCP on the same port', async () => {
    assert.ok(port > 0);
    assert.deepEqual(data(await query('web.default.svc.cluster.local', 'A', { port })), ['10.43.0.20']);
    assert.deepEqual(data(await query('web.default.svc.cluster.local', 'A', { port, tcp: true })), ['10.43.0.20']);
    assert.deepEqual(data(await query('10-244-0-9.default.pod.cluster.local', 'A', { port })), ['10.244.0.9']);
    assert.deepEqual(data(await query('example.org', 'A', { port, tcp: true })), ['192.0.2.20']);
  });

  it('serves IPv6 listen addresses too', async () => {
    const v6 = dns.addresses()[1] ?? '';
    assert.match(v6, /^\[::1\]:\d+$/);
    const v6port = Number(v6.split(']:')[1]);
    assert.deepEqual(data(await query('web.default.svc.cluster.local', 'A', { host: '::1', port: v6port })), ['10.43.0.20']);
    assert.deepEqual(data(await query('web.default.svc.cluster.local', 'A', { host: '::1', port: v6port, tcp: true })), ['10.43.0.20']);
  });

  it('follows watch events', async () => {
    client.push('services', { type: 'ADDED', object: { metadata: { namespace: 'default', name: 'db', resourceVersion: '2' }, spec: { clusterIP: 'None' } } as ApiObject });
    client.push('endpointslices', {
      type: 'ADDED',
      object: {
        metadata: { namespace: 'default', name: 'db-x', resourceVersion: '3', labels: { 'kubernetes.io/service-name': 'db' } },
        addressType: 'IPv4',
        endpoints: [{ addresses: ['10.244.1.10'], hostname: 'db-0' }],
        ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }],
      } as ApiObject,
    });
    assert.deepEqual(data(await query('db-0.db.default.svc.cluster.local', 'A', { port })), ['10.244.1.10']);
    const srv = await query('_pg._tcp.db.default.svc.cluster.local', 'SRV', { port });
    assert.deepEqual(data(srv), [{ priority: 0, weight: 100, port: 5432, target: 'db-0.db.default.svc.cluster.local' }]);
    client.push('services', { type: 'DELETED', object: { metadata: { namespace: 'default', name: 'web', resourceVersion: '4' } } as ApiObject });
    assert.equal((await query('web.default.svc.cluster.local', 'A', { port })).rcode, 3);
  });

  it('keeps a TCP connection open for several pipelined queries', async () => {
    const { connect } = await import('node:net');
    const sock = connect({ host: '127.0.0.1', port });
    const frames = ['db.default.svc.cluster.local', 'nope.default.svc.cluster.local', 'example.org'].map((name, i) => {
      const m = dnsPacket.encode({ type: 'query', id: 100 + i, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type: 'A', class: 'IN' }] });
      const len = Buffer.alloc(2);
      len.writeUInt16BE(m.length);
      return Buffer.concat([len, m]);
    });
    sock.write(Buffer.concat(frames));
    const replies = new Map<number, number>();
    let buf = Buffer.alloc(0);
    await new Promise<void>((resolve, reject) => {
      sock.on('error', reject);
      sock.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
          const m = buf.subarray(2, 2 + buf.readUInt16BE(0));
          buf = buf.subarray(2 + m.length);
          replies.set(m.readUInt16BE(0), m.readUInt16BE(2) & 0xf);
          if (replies.size === 3) resolve();
        }
      });
    });
    sock.destroy();
    assert.deepEqual([...replies.entries()].sort(), [
      [100, 0],
      [101, 3],
      [102, 0],
    ]);
  });
});

describe('dns upstreams', () => {
  it('reads nameservers from resolv.conf and never forwards to itself', async () => {
    assert.deepEqual(resolvConfServers('# c\nsearch a b\nnameserver 10.0.0.2\nnameserver fe80::1%eth0\noptions ndots:5\n'), ['10.0.0.2', 'fe80::1']);
    const got = await resolveUpstreams({ upstreams: ['169.254.20.10', '10.0.0.2:5353', '[::1]:53'], own: [{ host: '169.254.20.10', port: 53 }, { host: '::', port: 53 }] });
    assert.deepEqual(got, [{ host: '10.0.0.2', port: 5353 }]);
  });

  it('tries the next upstream when one does not answer', async () => {
    const up = await startFakeUpstream({ 'example.org': ['192.0.2.20'] });
    const f = new Forwarder({ upstreams: [{ host: '127.0.0.1', port: 9 }, { host: '127.0.0.1', port: up.port }], timeoutMs: 200 });
    try {
      const msg = dnsPacket.encode({ type: 'query', id: 31337, questions: [{ name: 'example.org', type: 'A', class: 'IN' }] });
      const out = await f.forward(msg, { tcp: false });
      assert.ok(out);
      assert.equal(out.readUInt16BE(0), 31337);
      assert.deepEqual(data(dnsPacket.decode(out)), ['192.0.2.20']);
    } finally {
      f.close();
      await up.close();
    }
  });
});
