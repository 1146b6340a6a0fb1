// The `kubernetes` Service's endpoints on a real registry (memory storage): one server writes
// Endpoints and an EndpointSlice with its advertised address and port (no managed-by label, so
// the EndpointSlice controller leaves it alone); a second server sharing the port is added; a
// server whose lease has expired drops out; servers on a minority port are left out.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { allKinds } from '../../api/kinds.js';
import type { ApiObject } from '../../api/kind.js';
import { openBackend, type Backend } from '../../storage/index.js';
import { WatchCache } from '../cache/watch-cache.js';
import { Registry } from '../registry/registry.js';
import { ensureNamespaces } from './namespaces.js';
import { ensureKubernetesService } from './kubernetes-service.js';
import { KubernetesEndpointsReconciler, liveEndpoints } from './kubernetes-endpoints.js';

interface Slice extends ApiObject {
  addressType?: string;
  endpoints?: { addresses: string[]; conditions?: { ready?: boolean } }[];
  ports?: { name?: string; port?: number; protocol?: string }[];
}
interface Eps extends ApiObject {
  subsets?: { addresses?: { ip: string }[]; ports?: { port: number }[] }[];
}

const lease = (holder: string, renewed: number, seconds = 30): ApiObject => ({ metadata: {}, spec: { holderIdentity: holder, renewTime: new Date(renewed).toISOString(), leaseDurationSeconds: seconds } });

describe('liveEndpoints', () => {
  it('keeps unexpired leases on the most common port, sorted and unique', () => {
    const now = 1_000_000;
    const got = liveEndpoints([lease('10.0.0.2:6443', now), lease('10.0.0.1:6443', now - 10_000), lease('10.0.0.3:6443', now - 31_000), lease('10.0.0.9:7000', now), lease('bogus', now)], now);
    assert.deepEqual(got, [
      { ip: '10.0.0.1', port: 6443 },
      { ip: '10.0.0.2', port: 6443 },
    ]);
    assert.deepEqual(liveEndpoints([lease('10.0.0.9:7000', now), lease('10.0.0.8:6000', now)], now), [{ ip: '10.0.0.8', port: 6000 }]);
  });
});

describe('KubernetesEndpointsReconciler', () => {
  const abort = new AbortController();
  let backend: Backend;
  let registry: Registry;
  before(async () => {
    backend = await openBackend('memory://');
    const cache = new WatchCache(backend, allKinds, {});
    await cache.start(abort.signal);
    registry = new Registry(allKinds, backend, cache, { serviceCIDR: '10.43.0.0/16' });
    await ensureNamespaces(registry);
    await ensureKubernetesService(registry, { port: 6443, serviceCIDR: '10.43.0.0/16' });
  });
  after(async () => {
    abort.abort();
    await backend.close();
  });
  const slice = async () => (await registry.byGroupKind('discovery.k8s.io', 'EndpointSlice').reader.get('default', 'kubernetes')) as Slice;
  const endpoints = async () => (await registry.byGroupKind('', 'Endpoints').reader.get('default', 'kubernetes')) as Eps;
  const settle = async () => registry.cache.waitForRevision(await backend.currentRevision());

  it('writes the advertised address into Endpoints and EndpointSlice default/kubernetes, and follows other servers', async () => {
    const t0 = Date.now();
    const a = new KubernetesEndpointsReconciler(registry, { ip: '192.168.7.1', port: 6443 });
    await a.sync(new Date(t0));
    const s = await slice();
    assert.equal(s.addressType, 'IPv4');
    assert.deepEqual(s.metadata?.labels, { 'kubernetes.io/service-name': 'kubernetes' });
    assert.deepEqual(s.endpoints, [{ addresses: ['192.168.7.1'], conditions: { ready: true } }]);
    assert.deepEqual(s.ports, [{ name: 'https', port: 6443, protocol: 'TCP' }]);
    const e = await endpoints();
    assert.equal(e.metadata?.labels?.['endpointslice.kubernetes.io/skip-mirror'], 'true');
    assert.deepEqual(e.subsets?.[0]?.addresses?.map((x) => x.ip), ['192.168.7.1']);
    assert.deepEqual(e.subsets?.[0]?.ports?.map((x) => x.port), [6443]);

    // A second server on the same port joins; when the first stops renewing it drops out.
    const b = new KubernetesEndpointsReconciler(registry, { ip: '192.168.7.2', port: 6443 });
    await settle();
    await b.sync(new Date(t0 + 1000));
    assert.deepEqual((await slice()).endpoints?.map((x) => x.addresses[0]), ['192.168.7.1', '192.168.7.2']);
    await settle();
    await b.sync(new Date(t0 + 45_000));
    assert.deepEqual((await slice()).endpoints?.map((x) => x.addresses[0]), ['192.168.7.2']);
    assert.deepEqual((await endpoints()).subsets?.[0]?.addresses?.map((x) => x.ip), ['192.168.7.2']);
    // Unchanged endpoints are not rewritten.
    const rv = (await slice()).metadata?.resourceVersion;
    await settle();
    await b.sync(new Date(t0 + 46_000));
    assert.equal((await slice()).metadata?.resourceVersion, rv);
    // A server on loopback only is no endpoint (pods cannot reach it; Endpoints refuse 127/8).
    const local = new KubernetesEndpointsReconciler(registry, { ip: '127.0.0.1', port: 6443 });
    await settle();
    await local.sync(new Date(t0 + 47_000));
    assert.deepEqual((await slice()).endpoints?.map((x) => x.addresses[0]), ['192.168.7.2']);
    await settle();
    await local.sync(new Date(t0 + 200_000));
    assert.deepEqual((await slice()).endpoints, []);
    assert.deepEqual((await endpoints()).subsets ?? [], []);
  });
});
