// Integration tests of the legacy Endpoints controller against a real `tug server` running no
// controllers: pods "run" by writing their status as a kubelet would; the Endpoints object must
// list ready and not-ready addresses with per-pod ports, drop terminating pods, follow scaling,
// leave selector-less services to their users, and read right in `kubectl get endpoints`.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiObject } from '../../api/kind.js';
import { endpointsKind, nodeKind, podKind, serviceKind, type Endpoints } from '../../api/core/v1/index.js';
import { kubectl } from '../../../test/support/kubectl.js';
import { eventually, getOrUndefined, setPodIp, startCluster, type Cluster } from '../testing/index.test.js';
import { endpointsController } from './index.js';

const NS = 'default';
type EP = Endpoints & ApiObject;

let c: Cluster;

before(async () => {
  c = await startCluster();
  await c.client.create(nodeKind, undefined, { metadata: { name: 'n1' } });
  c.run(endpointsController);
});

after(() => c.stop());

async function service(name: string, o: { selector?: boolean } = {}): Promise<void> {
  await c.client.create(serviceKind, NS, {
    metadata: { name, labels: { tier: 'web' } },
    spec: { ...(o.selector === false ? {} : { selector: { app: name } }), ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  });
}

async function pod(name: string, app: string, o: { ip: string; ready: boolean; httpPort?: number }): Promise<void> {
  await c.client.create(podKind, NS, {
    metadata: { name, labels: { app } },
    spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox', ports: [{ name: 'http', containerPort: o.httpPort ?? 8080 }] }] },
  });
  await setPodIp(c.client, NS, name, o);
}

const endpoints = (name: string): Promise<EP | undefined> => getOrUndefined<EP>(c.client, endpointsKind, NS, name);

/** Compact view: one entry per subset, "ready ips | not-ready ips | ports". */
async function view(name: string): Promise<string[] | undefined> {
  const ep = await endpoints(name);
  return ep?.subsets?.map((s) =>
    [(s.addresses ?? []).map((a) => a.ip).join(','), (s.notReadyAddresses ?? []).map((a) => a.ip).join(','), (s.ports ?? []).map((p) => `${p.name ?? ''}:${p.port ?? 0}`).join(',')].join(' | '),
  );
}

const json = (v: unknown): string => JSON.stringify(v);

describe('endpoints controller', () => {
  it('lists ready and not-ready addresses, following readiness', async () => {
    await service('web');
    await pod('web-a', 'web', { ip: '10.42.0.1', ready: true });
    await pod('web-b', 'web', { ip: '10.42.0.2', ready: false });
    await eventually(async () => json(await view('web')) === json(['10.42.0.1 | 10.42.0.2 | http:8080']), { what: 'one ready, one not' });
    const ep = await endpoints('web');
    assert.equal(ep?.metadata?.labels?.['endpointslice.kubernetes.io/skip-mirror'], 'true');
    assert.equal(ep?.metadata?.labels?.tier, 'web');
    assert.ok(ep?.metadata?.annotations?.['endpoints.kubernetes.io/last-change-trigger-time']);
    assert.deepEqual(ep?.subsets?.[0]?.addresses?.[0], { ip: '10.42.0.1', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: NS, name: 'web-a', uid: (await c.client.get(podKind, NS, 'web-a')).metadata?.uid } });
    await setPodIp(c.client, NS, 'web-b', { ip: '10.42.0.2', ready: true });
    await eventually(async () => json(await view('web')) === json(['10.42.0.1,10.42.0.2 |  | http:8080']), { what: 'both ready' });
    const settled = (await endpoints('web'))?.metadata?.resourceVersion;
    // Converged: the controller's own writes must not make it write again.
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await endpoints('web'))?.metadata?.resourceVersion, settled);
    const r = await kubectl(['get', 'endpoints', 'web', '-n', NS], { kubeconfig: c.server.kubeconfig });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^web\s+10\.42\.0\.1:8080,10\.42\.0\.2:8080\s+/m);
  });

  it('resolves named ports per pod, drops terminating pods and follows scaling', async () => {
    await service('app');
    await pod('app-a', 'app', { ip: '10.42.1.1', ready: true, httpPort: 8080 });
    await pod('app-b', 'app', { ip: '10.42.1.2', ready: true, httpPort: 9090 });
    await pod('app-c', 'app', { ip: '10.42.1.3', ready: true, httpPort: 8080 });
    await eventually(async () => json(await view('app')) === json(['10.42.1.1,10.42.1.3 |  | http:8080', '10.42.1.2 |  | http:9090']), { what: 'two subsets' });
    await c.client.delete(podKind, NS, 'app-c');
    await eventually(async () => json(await view('app')) === json(['10.42.1.1 |  | http:8080', '10.42.1.2 |  | http:9090']), { what: 'terminating pod dropped' });
    await c.client.delete(podKind, NS, 'app-a', { gracePeriodSeconds: 0 });
    await c.client.delete(podKind, NS, 'app-b', { gracePeriodSeconds: 0 });
    await eventually(async () => json(await view('app')) === json([]), { what: 'no addresses left' });
    const r = await kubectl(['get', 'endpoints', 'app', '-n', NS], { kubeconfig: c.server.kubeconfig });
    assert.match(r.stdout, /^app\s+<none>\s+/m);
  });

  it('leaves the Endpoints of selector-less services to their users and cleans up after deleted services', async () => {
    await service('manual', { selector: false });
    await c.client.create(endpointsKind, NS, { metadata: { name: 'manual' }, subsets: [{ addresses: [{ ip: '192.0.2.1' }], ports: [{ name: 'http', port: 80 }] }] });
    await service('gone');
    await pod('gone-a', 'gone', { ip: '10.42.2.1', ready: true });
    await eventually(async () => (await view('gone'))?.length === 1, { what: 'endpoints of gone' });
    // Deleted by hand: it comes back.
    await c.client.delete(endpointsKind, NS, 'gone');
    await eventually(async () => (await view('gone'))?.length === 1, { what: 'endpoints recreated' });
    await c.client.delete(serviceKind, NS, 'gone');
    await eventually(async () => (await endpoints('gone')) === undefined, { what: 'endpoints of a deleted service to go' });
    assert.deepEqual(await view('manual'), ['192.0.2.1 |  | http:80']);
  });
});
