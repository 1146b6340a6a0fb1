// The cluster DNS against a real `tug server`: Services, headless Services with StatefulSet-style
// pods (hostname + subdomain), an ExternalName and a hand-made EndpointSlice are created through
// the API; the endpointslice controller in the server builds the other slices. The DNS server
// runs in this process on a loopback port and is queried with dns-packet over UDP and TCP and
// with busybox's nslookup; names outside the cluster go to a fake upstream on loopback.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type * as dnsPacket from 'dns-packet';
import { HttpClient, InformerFactory } from '../../src/client/index.js';
import { namespaceKind, nodeKind, podKind, serviceKind, type Pod, type Service } from '../../src/api/core/v1/index.js';
import { endpointSliceKind, type EndpointSlice } from '../../src/api/discovery/v1/index.js';
import { ClusterDns } from '../../src/agent/dns/index.js';
import { query, startFakeUpstream, type FakeUpstream } from '../../src/agent/dns/test-upstream.js';
import type { TugServer } from '../support/tug-server.js';
import { startTugServerAnyBuild } from './tug-from-source.js';
import { eventually } from '../support/eventually.js';

const exec = promisify(execFile);
const NS = 'dnstest';
const NODE = 'dns-test-node';
const ZONE = 'cluster.local';

let server: TugServer;
let client: HttpClient;
let upstream: FakeUpstream;
let dns: ClusterDns;
let port = 0;
const ac = new AbortController();
let running: Promise<void> | undefined;

const data = (p: { answers?: dnsPacket.Answer[] }): unknown[] => (p.answers ?? []).map((a) => ('data' in a ? a.data : undefined));
const sortedData = (p: { answers?: dnsPacket.Answer[] }): string[] => data(p).map((d) => (typeof d === 'string' ? d : JSON.stringify(d))).sort();

async function runningPod(name: string, o: { app: string; ip: string; hostname?: string; subdomain?: string }): Promise<void> {
  const pod: Pod = {
    metadata: { name, namespace: NS, labels: { app: o.app } },
    spec: {
      nodeName: NODE,
      containers: [{ name: 'c', image: 'busybox', ports: [{ name: 'main', containerPort: 8080 }] }],
      ...(o.hostname ? { hostname: o.hostname } : {}),
      ...(o.subdomain ? { subdomain: o.subdomain } : {}),
    },
  };
  await client.create(podKind, NS, pod);
  const now = new Date().toISOString();
  await client.patch(
    podKind,
    NS,
    name,
    {
      type: 'merge',
      body: {
        status: {
          phase: 'Running',
          podIP: o.ip,
          podIPs: [{ ip: o.ip }],
          conditions: [
            { type: 'Ready', status: 'True', lastTransitionTime: now },
            { type: 'ContainersReady', status: 'True', lastTransitionTime: now },
          ],
        },
      },
    },
    { subresource: 'status' },
  );
}

async function createObjects(): Promise<void> {
  await client.create(namespaceKind, undefined, { metadata: { name: NS } });
  await client.create(nodeKind, undefined, { metadata: { name: NODE } });
  const now = new Date().toISOString();
  await client.patch(
    nodeKind,
    undefined,
    NODE,
    { type: 'merge', body: { status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'test', lastHeartbeatTime: now, lastTransitionTime: now }] } } },
    { subresource: 'status' },
  );
  const services: Service[] = [
    { metadata: { name: 'web', namespace: NS }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'main', protocol: 'TCP' }] } },
    { metadata: { name: 'db', namespace: NS }, spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ name: 'pg', port: 5432, targetPort: 8080, protocol: 'TCP' }] } },
    { metadata: { name: 'ext', namespace: NS }, spec: { type: 'ExternalName', externalName: 'db.example.com' } },
    { metadata: { name: 'manual', namespace: NS }, spec: { clusterIP: 'None', ports: [{ name: 'peer', port: 7000, protocol: 'TCP' }] } },
  ];
  for (const s of services) await client.create(serviceKind, NS, s);
  await runningPod('web-a', { app: 'web', ip: '10.244.5.10' });
  await runningPod('db-0', { app: 'db', ip: '10.244.5.20', hostname: 'db-0', subdomain: 'db' });
  await runningPod('db-1', { app: 'db', ip: '10.244.5.21', hostname: 'db-1', subdomain: 'db' });
  const manual: EndpointSlice = {
    metadata: { name: 'manual-1', namespace: NS, labels: { 'kubernetes.io/service-name': 'manual' } },
    addressType: 'IPv4',
    endpoints: [
      { addresses: ['10.244.6.1'], hostname: 'm-0', conditions: { ready: true } },
      { addresses: ['10.244.6.2'], conditions: { ready: true } },
      { addresses: ['10.244.6.3'], hostname: 'm-2', conditions: { ready: false } },
    ],
    ports: [{ name: 'peer', port: 7000, protocol: 'TCP' }],
  };
  await client.create(endpointSliceKind, NS, manual);
}

async function nslookup(name: string, type: string): Promise<string> {
  const r = await exec('busybox', ['nslookup', `-type=${type}`, name, `127.0.0.1:${port}`]).catch((err: { stdout?: string; stderr?: string }) => ({ stdout: err.stdout ?? '', stderr: err.stderr ?? '' }));
  return `${r.stdout}${r.stderr}`;
}

describe('cluster DNS against a real tug server', { timeout: 120_000 }, () => {
  before(async () => {
    server = await startTugServerAnyBuild();
    client = new HttpClient({ server: server.url, caCertPem: server.caCertPem, token: server.token });
    upstream = await startFakeUpstream({ 'db.example.com': ['192.0.2.10'], 'example.org': ['192.0.2.20'] });
    const informers = new InformerFactory(client);
    dns = new ClusterDns({ client, informers, nodeName: NODE, log: () => undefined, listenAddresses: ['127.0.0.1:0'], upstreams: [`127.0.0.1:${upstream.port}`] });
    informers.start(ac.signal);
    running = dns.run(ac.signal);
    await dns.ready;
    port = Number(dns.addresses()[0]?.split(':')[1]);
    await createObjects();
  });
  after(async () => {
    ac.abort();
    await running;
    client?.close();
    await upstream?.close();
    await server?.cleanup();
  });

  it('answers a ClusterIP Service with its cluster IP over UDP and TCP, and its SRV record', async () => {
    const svc = await client.get<Service>(serviceKind, NS, 'web');
    const ip = svc.spec?.clusterIP ?? '';
    assert.match(ip, /^\d+\.\d+\.\d+\.\d+$/);
    const udp = await eventually(async () => {
      const r = await query(`web.${NS}.svc.${ZONE}`, 'A', { port });
      return r.rcode === 0 && r.answers?.length ? r : undefined;
    }, { what: 'web A record' });
    assert.deepEqual(data(udp), [ip]);
    assert.ok(udp.flag_aa);
    assert.equal(udp.answers?.[0]?.type === 'A' ? udp.answers[0].ttl : 0, 5);
    assert.deepEqual(data(await query(`WEB.${NS}.SVC.${ZONE}`, 'A', { port, tcp: true })), [ip]);
    const srv = await query(`_http._tcp.web.${NS}.svc.${ZONE}`, 'SRV', { port });
    assert.deepEqual(data(srv), [{ priority: 0, weight: 100, port: 80, target: `web.${NS}.svc.${ZONE}` }]);
    const ptr = await query(`${ip.split('.').reverse().join('.')}.in-addr.arpa`, 'PTR', { port });
    assert.deepEqual(data(ptr), [`web.${NS}.svc.${ZONE}`]);
  });

  it('answers a headless Service with its ready pods, StatefulSet names and per-pod SRV', async () => {
    const a = await eventually(async () => {
      const r = await query(`db.${NS}.svc.${ZONE}`, 'A', { port });
      return r.answers?.length === 2 ? r : undefined;
    }, { what: 'headless db A records from the endpointslice controller' });
    assert.deepEqual(sortedData(a), ['10.244.5.20', '10.244.5.21']);
    assert.deepEqual(data(await query(`db-0.db.${NS}.svc.${ZONE}`, 'A', { port })), ['10.244.5.20']);
    const srv = await query(`_pg._tcp.db.${NS}.svc.${ZONE}`, 'SRV', { port, tcp: true });
    assert.deepEqual(sortedData(srv), [
      JSON.stringify({ priority: 0, weight: 50, port: 8080, target: `db-0.db.${NS}.svc.${ZONE}` }),
      JSON.stringify({ priority: 0, weight: 50, port: 8080, target: `db-1.db.${NS}.svc.${ZONE}` }),
    ]);
    assert.deepEqual(data(await query('21.5.244.10.in-addr.arpa', 'PTR', { port })), [`db-1.db.${NS}.svc.${ZONE}`]);
  });

  it('answers a hand-made EndpointSlice: hostnames, dashed addresses, only ready endpoints', async () => {
    const a = await eventually(async () => {
      const r = await query(`manual.${NS}.svc.${ZONE}`, 'A', { port });
      return r.answers?.length ? r : undefined;
    });
    assert.deepEqual(sortedData(a), ['10.244.6.1', '10.244.6.2']);
    assert.deepEqual(data(await query(`m-0.manual.${NS}.svc.${ZONE}`, 'A', { port })), ['10.244.6.1']);
    assert.deepEqual(data(await query(`10-244-6-2.manual.${NS}.svc.${ZONE}`, 'A', { port })), ['10.244.6.2']);
    assert.equal((await query(`m-2.manual.${NS}.svc.${ZONE}`, 'A', { port })).rcode, 3);
  });

  it('answers pod names, ExternalName, NXDOMAIN and NODATA as the DNS specification says', async () => {
    assert.deepEqual(data(await query(`10-244-5-10.${NS}.pod.${ZONE}`, 'A', { port })), ['10.244.5.10']);
    assert.equal((await query(`10-244-5-99.${NS}.pod.${ZONE}`, 'A', { port })).rcode, 3);
    const ext = await query(`ext.${NS}.svc.${ZONE}`, 'A', { port });
    assert.deepEqual(data(ext), ['db.example.com', '192.0.2.10']);
    const nodata = await query(`web.${NS}.svc.${ZONE}`, 'AAAA', { port });
    assert.equal(nodata.rcode, 0);
    assert.equal(nodata.answers?.length, 0);
    assert.equal(nodata.authorities?.[0]?.type, 'SOA');
    assert.equal((await query(`${NS}.svc.${ZONE}`, 'A', { port })).rcode, 0);
    assert.equal((await query(`nosuchns.svc.${ZONE}`, 'A', { port })).rcode, 3);
    assert.equal((await query(`example.org.${NS}.svc.${ZONE}`, 'A', { port })).rcode, 3);
    assert.deepEqual(data(await query('example.org', 'A', { port })), ['192.0.2.20']);
  });

  it('is readable by busybox nslookup', async () => {
    const web = await nslookup(`web.${NS}.svc.${ZONE}`, 'a');
    const svc = await client.get<Service>(serviceKind, NS, 'web');
    assert.match(web, new RegExp(`Address: ${(svc.spec?.clusterIP ?? 'x').replace(/\./g, '\\.')}`));
    const srv = await nslookup(`_pg._tcp.db.${NS}.svc.${ZONE}`, 'srv');
    assert.match(srv, /\b8080 db-0\.db\./);
    assert.match(srv, new RegExp(`db-0\\.db\\.${NS}\\.svc\\.cluster\\.local`));
    const ptr = await nslookup('20.5.244.10.in-addr.arpa', 'ptr');
    assert.match(ptr, new RegExp(`db-0\\.db\\.${NS}\\.svc\\.cluster\\.local`));
    const missing = await nslookup(`nope.${NS}.svc.${ZONE}`, 'a');
    assert.match(missing, /NXDOMAIN/);
  });

  it('drops a pod from the headless answer when it is deleted', async () => {
    await client.delete(podKind, NS, 'db-1', { gracePeriodSeconds: 0 });
    const a = await eventually(async () => {
      const r = await query(`db.${NS}.svc.${ZONE}`, 'A', { port });
      return r.answers?.length === 1 ? r : undefined;
    }, { what: 'db-1 gone from DNS' });
    assert.deepEqual(data(a), ['10.244.5.20']);
    assert.equal((await query(`db-1.db.${NS}.svc.${ZONE}`, 'A', { port })).rcode, 3);
  });
});
