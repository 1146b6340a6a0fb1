// Service writes through the registry (memory storage, real strategy and validation): changing
// the type as `kubectl patch` does drops or allocates node ports the way Kubernetes does
// (NodePort/LoadBalancer → ClusterIP loses nodePorts and externalTrafficPolicy, ClusterIP →
// NodePort gets them, freed ports can be taken again), the cluster IP cannot change, and a node
// port on a ClusterIP Service is refused.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { allKinds } from '../../../api/kinds.js';
import { StatusError } from '../../../lib/errors.js';
import { openBackend, type Backend } from '../../../storage/index.js';
import { WatchCache } from '../../cache/watch-cache.js';
import { Registry } from '../registry.js';
import type { ApiObject } from '../../../api/kind.js';

interface Svc extends ApiObject {
  spec: { type?: string; clusterIP?: string; externalTrafficPolicy?: string; ports: { name?: string; port: number; nodePort?: number }[] };
}

const ctx = () => ({ now: new Date(), user: undefined, dryRun: false, warnings: [] as string[] });
const merge = (body: unknown) => ({ contentType: 'application/merge-patch+json', body });
const strategic = (body: unknown) => ({ contentType: 'application/strategic-merge-patch+json', body });

describe('Service updates', () => {
  const abort = new AbortController();
  let backend: Backend;
  let registry: Registry;
  before(async () => {
    backend = await openBackend('memory://');
    const cache = new WatchCache(backend, allKinds, {});
    await cache.start(abort.signal);
    registry = new Registry(allKinds, backend, cache, { serviceCIDR: '10.43.0.0/16' });
    await registry.byGroupKind('', 'Namespace').store.create(undefined, { metadata: { name: 'default' } }, ctx(), { fieldValidation: 'Strict' });
  });
  after(async () => {
    abort.abort();
    await backend.close();
  });
  const store = () => registry.byGroupKind('', 'Service').store;
  const create = async (name: string, spec: Record<string, unknown>) =>
    (await store().create('default', { metadata: { name }, spec: { selector: { app: name }, ports: [{ name: 'http', port: 80 }], ...spec } }, ctx(), { fieldValidation: 'Strict' })) as Svc;
  const patch = async (name: string, p: { contentType: string; body: unknown }) => (await store().patch('default', name, p, ctx(), { fieldValidation: 'Strict' })) as Svc;
  const invalid = (field: string, detail: RegExp) => (e: unknown) => {
    assert.ok(e instanceof StatusError && e.reason === 'Invalid', String(e));
    const causes = e.details?.causes ?? [];
    assert.ok(causes.some((c) => c.field === field && detail.test(c.message ?? '')), JSON.stringify(causes));
    return true;
  };

  it('NodePort → ClusterIP drops the node ports and traffic policy; the port is free for another Service', async () => {
    const np = await create('np', { type: 'NodePort' });
    const port = np.spec.ports[0]?.nodePort ?? 0;
    assert.ok(port >= 30000 && port <= 32767, `allocated ${port}`);
    assert.equal(np.spec.externalTrafficPolicy, 'Cluster');
    const ip = np.spec.clusterIP;
    const back = await patch('np', strategic({ spec: { type: 'ClusterIP' } }));
    assert.equal(back.spec.type, 'ClusterIP');
    assert.equal(back.spec.ports[0]?.nodePort, undefined);
    assert.equal(back.spec.externalTrafficPolicy, undefined);
    assert.equal(back.spec.clusterIP, ip, 'the cluster IP stays');
    // Free as soon as the watch cache (what the allocator reads) has seen the update.
    await registry.cache.waitForRevision(Number(back.metadata?.resourceVersion));
    const other = await create('other', { type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: port }] });
    assert.equal(other.spec.ports[0]?.nodePort, port);
  });

  it('LoadBalancer → ClusterIP drops node ports and allocateLoadBalancerNodePorts; ClusterIP → NodePort allocates', async () => {
    const lb = await create('lb', { type: 'LoadBalancer' });
    assert.ok(lb.spec.ports[0]?.nodePort);
    const c = await patch('lb', merge({ spec: { type: 'ClusterIP' } }));
    assert.equal(c.spec.ports[0]?.nodePort, undefined);
    assert.equal((c.spec as { allocateLoadBalancerNodePorts?: boolean }).allocateLoadBalancerNodePorts, undefined);
    const np = await patch('lb', merge({ spec: { type: 'NodePort' } }));
    assert.ok((np.spec.ports[0]?.nodePort ?? 0) >= 30000);
    assert.equal(np.spec.externalTrafficPolicy, 'Cluster');
  });

  it('keeps node ports across an update that leaves them out, and refuses a node port on a ClusterIP Service', async () => {
    const np = await create('keep', { type: 'NodePort' });
    const kept = await patch('keep', merge({ spec: { ports: [{ name: 'http', port: 80 }] } }));
    assert.equal(kept.spec.ports[0]?.nodePort, np.spec.ports[0]?.nodePort);
    await assert.rejects(create('bad', { type: 'ClusterIP', ports: [{ name: 'http', port: 80, nodePort: 31999 }] }), invalid('spec.ports[0].nodePort', /may not be used when `type` is 'ClusterIP'/));
    // Switching to ClusterIP while naming a different node port is the user's mistake, not dropped.
    await assert.rejects(patch('keep', merge({ spec: { type: 'ClusterIP', ports: [{ name: 'http', port: 80, nodePort: 31998 }] } })), invalid('spec.ports[0].nodePort', /may not be used/));
  });

  it('refuses to change the cluster IP, and ClusterIP → ExternalName → ClusterIP gives up and gets an address', async () => {
    const svc = await create('imm', {});
    await assert.rejects(patch('imm', merge({ spec: { clusterIP: '10.43.200.200' } })), invalid('spec.clusterIPs[0]', /may not change once set/));
    const ext = await patch('imm', merge({ spec: { type: 'ExternalName', externalName: 'example.org' } }));
    assert.equal(ext.spec.clusterIP, undefined);
    const again = await patch('imm', merge({ spec: { type: 'ClusterIP', externalName: null } }));
    assert.match(again.spec.clusterIP ?? '', /^10\.43\./);
    assert.notEqual(again.spec.clusterIP, undefined);
    assert.ok(svc.spec.clusterIP);
  });
});
