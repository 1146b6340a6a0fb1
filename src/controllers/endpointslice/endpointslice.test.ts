// Integration tests of the EndpointSlice controller against a real `tug server` running no
// controllers: pods are created bound to a Node object and "run" by writing their status (IP,
// Ready) the way a kubelet would; the slices must follow readiness, named ports, termination and
// scaling, and be updated in place rather than replaced.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiObject } from '../../api/kind.js';
import { nodeKind, podKind, serviceKind } from '../../api/core/v1/index.js';
import { endpointSliceKind, type EndpointSlice } from '../../api/discovery/v1/index.js';
import { kubectl } from '../../../test/support/kubectl.js';
import { eventually, setPodIp, startCluster, type Cluster } from '../testing/index.test.js';
import { endpointSliceController } from './index.js';

const NS = 'default';
type Slice = EndpointSlice & ApiObject;

let c: Cluster;

before(async () => {
  c = await startCluster();
  await c.client.create(nodeKind, undefined, { metadata: { name: 'n1', labels: { 'topology.kubernetes.io/zone': 'zone-a' } } });
  c.run(endpointSliceController);
});

after(() => c.stop());

async function service(name: string, o: { targetPort?: string | number; selector?: Record<string, string> | null } = {}): Promise<ApiObject> {
  const selector = o.selector === null ? {} : { selector: o.selector ?? { app: name } };
  return c.client.create<ApiObject>(serviceKind, NS, { metadata: { name, labels: { tier: 'web' } }, spec: { ...selector, ports: [{ name: 'http', port: 80, targetPort: o.targetPort ?? 'http' }] } });
}

async function pod(name: string, app: string, o: { ip: string; ready: boolean; httpPort?: number }): Promise<void> {
  await c.client.create(podKind, NS, {
    metadata: { name, labels: { app } },
    spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox', ports: [{ name: 'http', containerPort: o.httpPort ?? 8080 }] }] },
  });
  await setPodIp(c.client, NS, name, o);
}

async function slicesOf(svc: string): Promise<Slice[]> {
  return (await c.client.list<Slice>(endpointSliceKind, NS, { labelSelector: `kubernetes.io/service-name=${svc}` })).items;
}

/** pod name → [ready, serving, terminating], across all slices of the service. */
async function conditionsOf(svc: string): Promise<Record<string, [boolean?, boolean?, boolean?]>> {
  const out: Record<string, [boolean?, boolean?, boolean?]> = {};
  for (const s of await slicesOf(svc)) for (const e of s.endpoints ?? []) out[e.targetRef?.name ?? ''] = [e.conditions?.ready, e.conditions?.serving, e.conditions?.terminating];
  return out;
}

const json = (v: unknown): string => JSON.stringify(v);

describe('endpointslice controller', () => {
  it('publishes a slice that follows pod readiness, updated in place', async () => {
    const svc = await service('web');
    await pod('web-a', 'web', { ip: '10.42.0.1', ready: true });
    await pod('web-b', 'web', { ip: '10.42.0.2', ready: false });
    await eventually(async () => json(await conditionsOf('web')) === json({ 'web-a': [true, true, false], 'web-b': [false, false, false] }), { what: 'two endpoints' });
    const [slice] = await slicesOf('web');
    assert.ok(slice);
    assert.equal(slice.addressType, 'IPv4');
    assert.match(slice.metadata?.name ?? '', /^web-[a-z0-9]{5}$/);
    assert.equal(slice.metadata?.labels?.['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
    assert.equal(slice.metadata?.labels?.tier, 'web', 'service labels are copied');
    assert.deepEqual(slice.metadata?.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.metadata?.uid, controller: true, blockOwnerDeletion: true }]);
    assert.ok(slice.metadata?.annotations?.['endpoints.kubernetes.io/last-change-trigger-time']);
    assert.deepEqual(slice.ports, [{ name: 'http', protocol: 'TCP', port: 8080 }]);
    const a = slice.endpoints?.find((e) => e.targetRef?.name === 'web-a');
    assert.deepEqual(a?.addresses, ['10.42.0.1']);
    assert.equal(a?.nodeName, 'n1');
    assert.equal(a?.zone, 'zone-a');

    await setPodIp(c.client, NS, 'web-b', { ip: '10.42.0.2', ready: true });
    await setPodIp(c.client, NS, 'web-a', { ip: '10.42.0.1', ready: false });
    await eventually(async () => json(await conditionsOf('web')) === json({ 'web-a': [false, false, false], 'web-b': [true, true, false] }), { what: 'readiness to flip' });
    const settled = await slicesOf('web');
    assert.deepEqual(settled.map((s) => s.metadata?.name), [slice.metadata?.name], 'the same slice is updated');
    // Converged: the controller's own writes must not make it write again.
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual((await slicesOf('web')).map((s) => s.metadata?.resourceVersion), settled.map((s) => s.metadata?.resourceVersion));
  });

  it('marks terminating pods, then drops them when they are gone', async () => {
    await service('term');
    await pod('term-a', 'term', { ip: '10.42.1.1', ready: true });
    await eventually(async () => json(await conditionsOf('term')) === json({ 'term-a': [true, true, false] }), { what: 'endpoint' });
    // Bound to a node with no kubelet, the pod stays terminating through its grace period.
    await c.client.delete(podKind, NS, 'term-a');
    await eventually(async () => json(await conditionsOf('term')) === json({ 'term-a': [false, true, true] }), { what: 'terminating endpoint' });
    await c.client.delete(podKind, NS, 'term-a', { gracePeriodSeconds: 0 });
    await eventually(async () => json(await conditionsOf('term')) === json({}), { what: 'endpoint to go' });
    const slices = await slicesOf('term');
    assert.equal(slices.length, 1, 'an empty placeholder slice stays');
    assert.deepEqual(slices[0]?.endpoints ?? [], []);
  });

  it('resolves a named target port per pod, splitting pods that differ into separate slices', async () => {
    await service('named');
    await pod('named-a', 'named', { ip: '10.42.2.1', ready: true, httpPort: 8080 });
    await pod('named-b', 'named', { ip: '10.42.2.2', ready: true, httpPort: 9090 });
    await eventually(
      async () => {
        const got = (await slicesOf('named')).map((s) => [s.ports?.[0]?.port, (s.endpoints ?? []).map((e) => e.addresses?.[0])]).sort();
        return json(got) === json([[8080, ['10.42.2.1']], [9090, ['10.42.2.2']]]);
      },
      { what: 'two slices, one per resolved port' },
    );
  });

  it('follows scaling up and down and leaves selector-less services alone', async () => {
    await service('scale');
    await service('manual', { selector: null });
    for (let i = 0; i < 6; i++) await pod(`scale-${i}`, 'scale', { ip: `10.42.3.${i + 1}`, ready: true });
    await eventually(async () => Object.keys(await conditionsOf('scale')).length === 6, { what: 'six endpoints' });
    const [first] = await slicesOf('scale');
    // Past 100 endpoints a second slice is needed; the first one is filled up in place.
    for (let i = 6; i < 120; i += 19) await Promise.all(Array.from({ length: 19 }, (_, j) => pod(`scale-${i + j}`, 'scale', { ip: `10.42.3.${i + j + 1}`, ready: true })));
    // How the 120 split depends on how the pod events were batched into syncs, as in Kubernetes.
    await eventually(
      async () => {
        const sizes = (await slicesOf('scale')).map((s) => (s.endpoints ?? []).length);
        return sizes.length === 2 && sizes.every((n) => n <= 100) && sizes.reduce((a, b) => a + b, 0) === 120;
      },
      { what: '120 endpoints in two slices' },
    );
    const names = (await slicesOf('scale')).map((s) => s.metadata?.name);
    assert.ok(names.includes(first?.metadata?.name));
    for (let i = 0; i < 116; i++) await c.client.delete(podKind, NS, `scale-${i}`, { gracePeriodSeconds: 0 });
    await eventually(async () => json(Object.keys(await conditionsOf('scale')).sort()) === json(['scale-116', 'scale-117', 'scale-118', 'scale-119']), { what: 'scale down' });
    const left = await slicesOf('scale');
    assert.ok(left.every((s) => (s.endpoints ?? []).length > 0), 'an emptied slice is deleted');
    assert.ok(left.every((s) => names.includes(s.metadata?.name)), 'no slice is replaced');
    assert.deepEqual(await slicesOf('manual'), []);
  });

  it('puts back a slice deleted by hand, and removes the slices of a deleted service', async () => {
    await service('heal');
    await pod('heal-a', 'heal', { ip: '10.42.4.1', ready: true });
    await eventually(async () => Object.keys(await conditionsOf('heal')).length === 1, { what: 'endpoint' });
    const [first] = await slicesOf('heal');
    await c.client.delete(endpointSliceKind, NS, first?.metadata?.name ?? '');
    await eventually(async () => {
      const s = await slicesOf('heal');
      return s.length === 1 && s[0]?.metadata?.name !== first?.metadata?.name && (s[0]?.endpoints ?? []).length === 1;
    }, { what: 'a replacement slice' });
    await c.client.delete(serviceKind, NS, 'heal');
    await eventually(async () => (await slicesOf('heal')).length === 0, { what: 'slices of the deleted service to go' });
    const r = await kubectl(['get', 'endpointslices', '-n', NS, '-l', 'kubernetes.io/service-name=web'], { kubeconfig: c.server.kubeconfig });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /web-[a-z0-9]{5}\s+IPv4\s+8080\s+10\.42\.0\.\d/);
  });
});
