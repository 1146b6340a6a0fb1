// Integration test of the service proxy on real packets (needs root): a node, two backend pods, a
// client pod and an outside client, each in a network namespace this test creates
// (test-topology.ts); a real `tug server` (no controllers) holding the Services and the
// EndpointSlices the test writes; and a ServiceProxy applying its table inside the node
// namespace. Connections are made from the namespaces and the answering backend, and the source
// address it saw, are checked: load balancing, NodePort, LoadBalancer, rejection without
// endpoints, ClientIP affinity with its timeout, the terminating fallback, hairpin, both Local
// traffic policies, re-sync after a restart, and cleanup.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { serviceKind, type Service } from '../../api/core/v1/index.js';
import { endpointSliceKind, type EndpointSlice } from '../../api/discovery/v1/index.js';
import { HttpClient, InformerFactory } from '../../client/index.js';
import { StatusError } from '../../lib/errors.js';
import { startTugServer, type TugServer } from '../../../test/support/tug-server.js';
import { eventually } from '../../../test/support/eventually.js';
import { createTopology, probe, type PodNs, type ProbeResult, type Topology } from './test-topology.js';
import { ServiceProxy } from './index.js';

const root = process.getuid?.() === 0;
const NODE = 'proxy-node';
const NS = 'default';

let topo: Topology;
let server: TugServer;
let client: HttpClient;
let proxy: ServiceProxy;
let stopProxy: () => Promise<void>;
let pod1: PodNs;
let pod2: PodNs;
let pod3: PodNs;
const logs: string[] = [];
const table = `tugboat-proxy-test-${process.pid}`;

function startProxy(): { proxy: ServiceProxy; stop(): Promise<void> } {
  const abort = new AbortController();
  const informers = new InformerFactory(client);
  const p = new ServiceProxy({
    client,
    informers,
    nodeName: NODE,
    log: (m) => void logs.push(m),
    tableName: table,
    nodeIps: [topo.nodeIp],
    clusterCIDR: '10.244.0.0/16',
    netns: topo.node,
    minSyncIntervalMs: 50,
  });
  const running = p.run(abort.signal);
  informers.start(abort.signal);
  return { proxy: p, stop: async () => (abort.abort(), await running) };
}

async function service(name: string, spec: Service['spec']): Promise<Service> {
  return client.create<Service>(serviceKind, NS, { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }], ...spec } });
}

type EpState = { pod: PodNs; ready?: boolean; serving?: boolean; terminating?: boolean; nodeName?: string };

/** Creates or replaces the one EndpointSlice of a Service. */
async function endpoints(svc: string, eps: EpState[]): Promise<void> {
  const body: EndpointSlice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${svc}-1`, namespace: NS, labels: { 'kubernetes.io/service-name': svc } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: eps.map((e) => ({
      addresses: [e.pod.ip],
      nodeName: e.nodeName ?? NODE,
      conditions: { ready: e.ready ?? true, serving: e.serving ?? e.ready ?? true, terminating: e.terminating ?? false },
    })),
  };
  try {
    const old = await client.get<EndpointSlice>(endpointSliceKind, NS, `${svc}-1`);
    await client.update(endpointSliceKind, NS, { ...body, metadata: { ...body.metadata, resourceVersion: old.metadata?.resourceVersion } });
  } catch (err) {
    if (!(err instanceof StatusError && err.reason === 'NotFound')) throw err;
    await client.create(endpointSliceKind, NS, body);
  }
}

const names = (rs: ProbeResult[]): string[] => [...new Set(rs.map((r) => r.name ?? `error:${r.error}`))].sort();
const froms = (rs: ProbeResult[]): string[] => [...new Set(rs.map((r) => r.from ?? ''))];

/** Probes until every answer satisfies `ok` (rules take a sync to arrive), then returns the last batch. */
async function until(from: string, target: { host: string; port: number; count?: number; timeoutMs?: number }, ok: (rs: ProbeResult[]) => boolean, what: string): Promise<ProbeResult[]> {
  return eventually(async () => {
    const rs = await probe(from, target);
    return ok(rs) ? rs : undefined;
  }, { what, timeoutMs: 20_000, intervalMs: 200 });
}

async function tableJson(): Promise<{ nftables: Record<string, { name?: string; elem?: unknown[] } | undefined>[] }> {
  return JSON.parse(await topo.exec(topo.node, 'nft', ['-j', 'list', 'table', 'inet', table])) as { nftables: Record<string, { name?: string; elem?: unknown[] } | undefined>[] };
}

describe('service proxy on a node made of network namespaces', { skip: !root && 'needs root (network namespaces, nftables)' }, () => {
  before(async () => {
    topo = await createTopology({ pods: 3 });
    [pod1, pod2, pod3] = topo.pods as [PodNs, PodNs, PodNs];
    await topo.serve(pod1);
    await topo.serve(pod2);
    server = await startTugServer({ extraArgs: ['--controllers=', '--disable-scheduler'] });
    client = new HttpClient({ server: server.url, caCertPem: server.caCertPem, token: server.token });
    ({ proxy, stop: stopProxy } = startProxy());
    await proxy.ready;
  });

  after(async () => {
    await stopProxy?.();
    await proxy?.cleanup().catch(() => undefined);
    client?.close();
    await server?.cleanup();
    await topo?.destroy();
  });

  it('balances ClusterIP connections over ready endpoints and keeps the pod’s source address', async () => {
    const svc = await service('web', {});
    await endpoints('web', [{ pod: pod1 }, { pod: pod2 }]);
    const ip = svc.spec?.clusterIP ?? '';
    const rs = await until(pod3.netns, { host: ip, port: 80, count: 40 }, (r) => names(r).join() === 'pod1,pod2', 'both backends via the ClusterIP');
    assert.deepEqual(froms(rs), [pod3.ip], 'pod-to-service traffic is not masqueraded');
    // The node itself (the output hook) reaches the Service too.
    await until(topo.node, { host: ip, port: 80, count: 6 }, (r) => r.every((x) => x.name), 'ClusterIP from the node');
  });

  it('serves a NodePort on the node address to outside clients, masqueraded', async () => {
    const svc = await service('web-np', { type: 'NodePort' });
    await endpoints('web-np', [{ pod: pod1 }, { pod: pod2 }]);
    const nodePort = svc.spec?.ports?.[0]?.nodePort ?? 0;
    assert.ok(nodePort >= 30000, 'the API server allocated a node port');
    const rs = await until(topo.client.netns, { host: topo.nodeIp, port: nodePort, count: 30 }, (r) => names(r).join() === 'pod1,pod2', 'NodePort from outside');
    assert.deepEqual(froms(rs), [topo.gatewayIp], 'outside traffic comes back through the node');
  });

  it('rejects connections at once for a Service without endpoints and for ports a ClusterIP does not serve', async () => {
    const svc = await service('empty', { type: 'NodePort' });
    await endpoints('empty', [{ pod: pod1, ready: false, serving: false }]);
    const refused = (r: ProbeResult[]): boolean => r.every((x) => x.error === 'ECONNREFUSED' && x.ms < 1000);
    await until(pod3.netns, { host: svc.spec?.clusterIP ?? '', port: 80, count: 3 }, refused, 'ClusterIP refused');
    await until(topo.client.netns, { host: topo.nodeIp, port: svc.spec?.ports?.[0]?.nodePort ?? 0, count: 3 }, refused, 'NodePort refused');
    const web = await client.get<Service>(serviceKind, NS, 'web');
    await until(pod3.netns, { host: web.spec?.clusterIP ?? '', port: 81, count: 2 }, refused, 'undefined port refused');
  });

  it('pins a client to one endpoint with ClientIP affinity, until the timeout', async () => {
    const svc = await service('sticky', { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 2 } } });
    await endpoints('sticky', [{ pod: pod1 }, { pod: pod2 }]);
    const rs = await until(pod3.netns, { host: svc.spec?.clusterIP ?? '', port: 80, count: 20 }, (r) => r.every((x) => x.name), 'sticky service answers');
    assert.equal(names(rs).length, 1, `one backend for one client, got ${names(rs).join()}`);
    const affinity = (await tableJson()).nftables.filter((e) => e.set?.name?.startsWith('aff-default/sticky/')).flatMap((e) => e.set?.elem ?? []);
    assert.equal(affinity.length, 1);
    assert.match(JSON.stringify(affinity[0]), new RegExp(pod3.ip.replaceAll('.', '\\.')));
    await eventually(async () => (await tableJson()).nftables.filter((e) => e.set?.name?.startsWith('aff-default/sticky/')).every((e) => !e.set?.elem?.length), {
      what: 'affinity entry expired',
      timeoutMs: 6000,
    });
  });

  it('sends traffic to serving terminating endpoints only while no endpoint is ready', async () => {
    const svc = await service('drain', {});
    await endpoints('drain', [{ pod: pod1, ready: false, serving: true, terminating: true }, { pod: pod2, ready: false, serving: false, terminating: true }]);
    const target = { host: svc.spec?.clusterIP ?? '', port: 80, count: 12 };
    await until(pod3.netns, target, (r) => names(r).join() === 'pod1', 'terminating pod1 serves');
    await endpoints('drain', [{ pod: pod1, ready: false, serving: true, terminating: true }, { pod: pod2 }]);
    await until(pod3.netns, target, (r) => names(r).join() === 'pod2', 'ready pod2 takes over');
  });

  it('lets a pod reach itself through its own Service (hairpin)', async () => {
    const svc = await service('self', {});
    await endpoints('self', [{ pod: pod1 }]);
    const rs = await until(pod1.netns, { host: svc.spec?.clusterIP ?? '', port: 80, count: 3 }, (r) => r.every((x) => x.name === 'pod1'), 'hairpin');
    assert.deepEqual(froms(rs), [topo.gatewayIp], 'hairpin traffic is masqueraded, or the pod would drop its own address as source');
  });

  it('externalTrafficPolicy Local: outside clients reach only this node’s endpoints, with their own address', async () => {
    const svc = await service('local-ext', { type: 'NodePort', externalTrafficPolicy: 'Local' });
    await endpoints('local-ext', [{ pod: pod1 }, { pod: pod2, nodeName: 'elsewhere' }]);
    const rs = await until(topo.client.netns, { host: topo.nodeIp, port: svc.spec?.ports?.[0]?.nodePort ?? 0, count: 15 }, (r) => names(r).join() === 'pod1', 'local endpoint only');
    assert.deepEqual(froms(rs), [topo.client.ip], 'the client address is preserved');
  });

  it('internalTrafficPolicy Local: cluster-IP traffic stays on this node', async () => {
    const svc = await service('local-int', { internalTrafficPolicy: 'Local' });
    await endpoints('local-int', [{ pod: pod1 }, { pod: pod2, nodeName: 'elsewhere' }]);
    await until(pod3.netns, { host: svc.spec?.clusterIP ?? '', port: 80, count: 15 }, (r) => names(r).join() === 'pod1', 'local endpoint only');
  });

  it('serves a LoadBalancer Service on its ingress address (the node’s), on the service port', async () => {
    await service('lb', { type: 'LoadBalancer', ports: [{ name: 'http', port: 8081, targetPort: 8080 }] });
    await endpoints('lb', [{ pod: pod1 }, { pod: pod2 }]);
    // What the service load-balancer controller writes.
    await client.patch(serviceKind, NS, 'lb', { type: 'merge', body: { status: { loadBalancer: { ingress: [{ ip: topo.nodeIp, ipMode: 'VIP' }] } } } }, { subresource: 'status' });
    await until(topo.client.netns, { host: topo.nodeIp, port: 8081, count: 20 }, (r) => names(r).join() === 'pod1,pod2', 'LoadBalancer address');
  });

  it('keeps serving while the proxy is down, re-syncs on restart keeping affinity, and cleanup removes everything', async () => {
    const long = await service('sticky-long', { sessionAffinity: 'ClientIP' });
    await endpoints('sticky-long', [{ pod: pod1 }, { pod: pod2 }]);
    const target = { host: long.spec?.clusterIP ?? '', port: 80, count: 5 };
    const pinned = names(await until(pod3.netns, target, (r) => r.every((x) => x.name), 'sticky-long answers'));
    assert.equal(pinned.length, 1);
    await stopProxy();
    await client.delete(serviceKind, NS, 'self');
    const web = await client.get<Service>(serviceKind, NS, 'web');
    await until(pod3.netns, { host: web.spec?.clusterIP ?? '', port: 80, count: 3 }, (r) => r.every((x) => x.name), 'rules stay while the proxy is down');
    ({ proxy, stop: stopProxy } = startProxy());
    await proxy.ready;
    const chains = (await tableJson()).nftables.map((e) => e.chain?.name).filter(Boolean);
    assert.equal(chains.includes('svc-default/self/tcp/http'), false, 'the deleted Service is gone after the restart sync');
    assert.ok(chains.includes('svc-default/web/tcp/http'));
    assert.deepEqual(names(await probe(pod3.netns, { ...target, count: 10 })), pinned, 'affinity survived the restart');
    await proxy.cleanup();
    await assert.rejects(topo.exec(topo.node, 'nft', ['list', 'table', 'inet', table]), /No such file or directory/);
    const after = await probe(pod3.netns, { host: web.spec?.clusterIP ?? '', port: 80, count: 1, timeoutMs: 500 });
    assert.ok(after[0]?.error, 'no Service rules are left');
  });
});
