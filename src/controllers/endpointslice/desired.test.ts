// Unit tests for building a Service's desired endpoints from pods: conditions, per-pod port
// resolution, node/zone, and the pods Kubernetes leaves out.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiObject } from '../../api/kind.js';
import type { Node } from '../../api/core/v1/index.js';
import { desiredEndpoints, portKey } from './desired.js';
import type { PodObj, ServiceObj } from './pods.js';

const svc = (o: { ports?: NonNullable<ServiceObj['spec']>['ports']; publishNotReady?: boolean } = {}): ServiceObj => ({
  metadata: { name: 'web', namespace: 'ns', uid: 'svc-uid', creationTimestamp: '2024-01-01T00:00:00Z' },
  spec: { selector: { app: 'web' }, ports: o.ports ?? [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }], ipFamilies: ['IPv4'], publishNotReadyAddresses: o.publishNotReady },
});

function pod(name: string, o: { ip?: string; ready?: boolean; deleting?: boolean; node?: string; httpPort?: number; phase?: 'Running' | 'Failed' } = {}): PodObj {
  return {
    metadata: { name, namespace: 'ns', uid: `${name}-uid`, labels: { app: 'web' }, ...(o.deleting ? { deletionTimestamp: '2024-01-01T00:01:00Z' } : {}) },
    spec: { nodeName: o.node ?? 'n1', containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: o.httpPort ?? 8080, protocol: 'TCP' }] }] },
    status: {
      phase: o.phase ?? 'Running',
      ...(o.ip === undefined ? {} : { podIP: o.ip, podIPs: [{ ip: o.ip }] }),
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }],
    },
  };
}

const nodes: Record<string, Node & ApiObject> = { n1: { metadata: { name: 'n1', labels: { 'topology.kubernetes.io/zone': 'z1' } } } };
const nodeNamed = (n: string): (Node & ApiObject) | undefined => nodes[n];

describe('desired endpoints', () => {
  it('sets ready/serving/terminating as Kubernetes does', () => {
    const d = desiredEndpoints(svc(), [pod('a', { ip: '10.0.0.1' }), pod('b', { ip: '10.0.0.2', ready: false }), pod('c', { ip: '10.0.0.3', deleting: true })], nodeNamed);
    const eps = [...(d.byFamily.get('IPv4')?.values() ?? [])].flatMap((g) => g.endpoints);
    const cond = Object.fromEntries(eps.map((e) => [e.targetRef?.name, e.conditions]));
    assert.deepEqual(cond, {
      a: { ready: true, serving: true, terminating: false },
      b: { ready: false, serving: false, terminating: false },
      c: { ready: false, serving: true, terminating: true },
    });
    assert.equal(eps[0]?.zone, 'z1');
    assert.equal(eps[0]?.nodeName, 'n1');
    assert.deepEqual(eps[0]?.targetRef, { kind: 'Pod', namespace: 'ns', name: 'a', uid: 'a-uid' });
  });

  it('publishNotReadyAddresses makes every endpoint ready', () => {
    const d = desiredEndpoints(svc({ publishNotReady: true }), [pod('b', { ip: '10.0.0.2', ready: false })], nodeNamed);
    const ep = [...(d.byFamily.get('IPv4')?.values() ?? [])][0]?.endpoints[0];
    assert.deepEqual(ep?.conditions, { ready: true, serving: false, terminating: false });
  });

  it('groups pods by how the named target port resolves on each', () => {
    const d = desiredEndpoints(svc(), [pod('a', { ip: '10.0.0.1' }), pod('b', { ip: '10.0.0.2', httpPort: 9090 }), pod('c', { ip: '10.0.0.3' })], nodeNamed);
    const groups = d.byFamily.get('IPv4');
    assert.equal(groups?.size, 2);
    const g8080 = groups?.get(portKey([{ name: 'http', protocol: 'TCP', port: 8080 }]));
    assert.deepEqual(g8080?.endpoints.map((e) => e.targetRef?.name), ['a', 'c']);
  });

  it('leaves out pods without an IP, finished pods, and pods on unknown nodes', () => {
    const d = desiredEndpoints(svc(), [pod('noip'), pod('done', { ip: '10.0.0.5', phase: 'Failed' }), pod('lost', { ip: '10.0.0.6', node: 'gone' })], nodeNamed);
    const eps = [...(d.byFamily.get('IPv4')?.values() ?? [])].flatMap((g) => g.endpoints);
    assert.deepEqual(eps, []);
    assert.deepEqual(d.skipped, ['lost']);
  });
});
