// Tests of the service load-balancer controller: the pure assignment (Ready, non-excluded nodes'
// InternalIPs; holders, then older Services, keep a contested port), and the controller against a
// real `tug server` running no other controllers: ingress written and kept in step with the
// nodes, a clashing Service left pending with a LoadBalancerPortConflict event until the port is
// freed, other classes left alone, and the status cleared when a Service stops being a
// LoadBalancer.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nodeKind, serviceKind, type Node, type Service } from '../../api/core/v1/index.js';
import { eventsFor, eventually, startCluster, type Cluster } from '../testing/index.test.js';
import { assign, nodeAddresses, serviceLbController, EXCLUDE_LABEL, PORT_CONFLICT_REASON } from './index.js';

const node = (name: string, ip: string, o: { ready?: boolean; labels?: Record<string, string> } = {}): Node => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: o.labels ?? {} },
  status: {
    addresses: [
      { type: 'InternalIP', address: ip },
      { type: 'Hostname', address: name },
    ],
    conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }],
  },
});

const lb = (name: string, port: number, o: { created?: string; ingress?: string[]; cls?: string; type?: string } = {}): Service => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default', creationTimestamp: o.created ?? '2024-01-01T00:00:00Z' },
  spec: { type: (o.type ?? 'LoadBalancer') as 'LoadBalancer', ports: [{ port, protocol: 'TCP' }], ...(o.cls ? { loadBalancerClass: o.cls } : {}) },
  status: { loadBalancer: { ingress: (o.ingress ?? []).map((ip) => ({ ip })) } },
});

describe('service LB assignment', () => {
  it('uses the InternalIPs of Ready nodes not excluded from load balancers', () => {
    const nodes = [node('b', '172.30.0.3'), node('a', '172.30.0.2'), node('down', '172.30.0.4', { ready: false }), node('x', '172.30.0.5', { labels: { [EXCLUDE_LABEL]: '' } })];
    assert.deepEqual(nodeAddresses(nodes), ['172.30.0.2', '172.30.0.3']);
  });

  it('gives a contested port to the holder, then the older Service, and reports the other as conflicting', () => {
    const nodes = [node('a', '172.30.0.2')];
    const plan = assign([lb('young', 80, { created: '2024-01-02T00:00:00Z' }), lb('old', 80), lb('other', 81), lb('classy', 80, { cls: 'example.com/lb' })], nodes);
    assert.deepEqual(plan.get('default/old'), { ingress: ['172.30.0.2'] });
    assert.deepEqual(plan.get('default/young'), { ingress: [], conflict: { port: 80, protocol: 'TCP', holder: 'default/old' } });
    assert.deepEqual(plan.get('default/other'), { ingress: ['172.30.0.2'] });
    assert.equal(plan.has('default/classy'), false, 'a Service with a loadBalancerClass belongs to another implementation');
    const held = assign([lb('young', 80, { created: '2024-01-02T00:00:00Z', ingress: ['172.30.0.2'] }), lb('old', 80)], nodes);
    assert.equal(held.get('default/young')?.ingress.length, 1, 'a Service that holds the port keeps it');
    assert.equal(held.get('default/old')?.conflict?.holder, 'default/young');
  });
});

describe('service LB controller', () => {
  let c: Cluster;
  const ingress = async (name: string): Promise<string[]> =>
    ((await c.client.get<Service>(serviceKind, 'default', name)).status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? '');
  const create = (svc: Service): Promise<Service> => {
    const { status: _status, ...rest } = svc;
    delete rest.metadata?.creationTimestamp;
    return c.client.create(serviceKind, 'default', rest);
  };
  const addNode = async (n: Node): Promise<void> => {
    await c.client.create(nodeKind, undefined, { apiVersion: 'v1', kind: 'Node', metadata: n.metadata });
    await c.client.patch(nodeKind, undefined, n.metadata?.name ?? '', { type: 'merge', body: { status: n.status } }, { subresource: 'status' });
  };

  before(async () => {
    c = await startCluster();
    await addNode(node('lb-node-a', '172.30.0.2'));
    c.run(serviceLbController);
  });
  after(() => c.stop());

  it('publishes the Ready nodes’ addresses and follows node changes', async () => {
    await create(lb('web', 8080));
    await eventually(async () => (await ingress('web')).join() === '172.30.0.2', { what: 'ingress of web' });
    await addNode(node('lb-node-b', '172.30.0.3'));
    await eventually(async () => (await ingress('web')).join() === '172.30.0.2,172.30.0.3', { what: 'second node added' });
    await c.client.patch(nodeKind, undefined, 'lb-node-b', { type: 'merge', body: { status: { conditions: [{ type: 'Ready', status: 'False' }] } } }, { subresource: 'status' });
    await eventually(async () => (await ingress('web')).join() === '172.30.0.2', { what: 'NotReady node dropped' });
  });

  it('leaves a Service whose port is taken pending, with an event, until the holder goes', async () => {
    await create(lb('first', 9090));
    await eventually(async () => (await ingress('first')).length === 1, { what: 'first gets its address' });
    await create(lb('second', 9090));
    const ev = await eventually(async () => (await eventsFor(c.client, 'default', 'second')).find((e) => e.reason === PORT_CONFLICT_REASON), { what: 'conflict event' });
    assert.equal(ev.type, 'Warning');
    assert.match(ev.message, /port 9090\/TCP is already used by load balancer default\/first/);
    assert.deepEqual(await ingress('second'), []);
    await c.client.delete(serviceKind, 'default', 'first');
    await eventually(async () => (await ingress('second')).length === 1, { what: 'second takes over the freed port' });
  });

  it('ignores other load-balancer classes and clears the status of a former LoadBalancer', async () => {
    await create(lb('classy', 7070, { cls: 'example.com/other' }));
    await create(lb('turncoat', 6060));
    await eventually(async () => (await ingress('turncoat')).length === 1, { what: 'turncoat served' });
    await c.client.patch(serviceKind, 'default', 'turncoat', {
      type: 'merge',
      body: { spec: { type: 'ClusterIP', externalTrafficPolicy: null, allocateLoadBalancerNodePorts: null } },
    });
    await eventually(async () => (await ingress('turncoat')).length === 0, { what: 'status cleared' });
    assert.deepEqual(await ingress('classy'), []);
  });
});
