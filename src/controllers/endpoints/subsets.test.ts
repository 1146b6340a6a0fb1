// Unit tests for the legacy Endpoints subsets: ready / not-ready addresses, per-pod ports,
// terminating pods and headless services without ports.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PodObj, ServiceObj } from '../endpointslice/index.js';
import { buildSubsets } from './subsets.js';

const svc = (o: { ports?: NonNullable<ServiceObj['spec']>['ports']; publishNotReady?: boolean; headless?: boolean } = {}): ServiceObj => ({
  metadata: { name: 'web', namespace: 'ns', uid: 'svc-uid' },
  spec: {
    selector: { app: 'web' },
    ports: o.ports ?? [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    clusterIP: o.headless ? 'None' : '10.43.0.10',
    publishNotReadyAddresses: o.publishNotReady,
  },
});

function pod(name: string, ip: string, o: { ready?: boolean; deleting?: boolean; httpPort?: number } = {}): PodObj {
  return {
    metadata: { name, namespace: 'ns', uid: `${name}-uid`, labels: { app: 'web' }, ...(o.deleting ? { deletionTimestamp: '2024-01-01T00:01:00Z' } : {}) },
    spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: o.httpPort ?? 8080 }] }] },
    status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
  };
}

describe('endpoints subsets', () => {
  it('splits ready and not-ready addresses and drops terminating pods', () => {
    const { subsets } = buildSubsets(svc(), [pod('b', '10.0.0.2', { ready: false }), pod('a', '10.0.0.1'), pod('c', '10.0.0.3', { deleting: true })]);
    assert.deepEqual(subsets, [
      {
        addresses: [{ ip: '10.0.0.1', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'ns', name: 'a', uid: 'a-uid' } }],
        notReadyAddresses: [{ ip: '10.0.0.2', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'ns', name: 'b', uid: 'b-uid' } }],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
    ]);
  });

  it('keeps terminating pods when not-ready addresses are published', () => {
    const { subsets } = buildSubsets(svc({ publishNotReady: true }), [pod('c', '10.0.0.3', { deleting: true, ready: false })]);
    assert.equal(subsets[0]?.addresses?.[0]?.ip, '10.0.0.3');
  });

  it('puts pods whose named port resolves differently into different subsets', () => {
    const { subsets } = buildSubsets(svc(), [pod('a', '10.0.0.1'), pod('b', '10.0.0.2', { httpPort: 9090 })]);
    assert.deepEqual(subsets.map((s) => [s.addresses?.map((a) => a.ip), s.ports?.[0]?.port]), [[['10.0.0.1'], 8080], [['10.0.0.2'], 9090]]);
  });

  it('skips pods lacking the named port, and lists a headless port-less service by address only', () => {
    assert.deepEqual(buildSubsets(svc({ ports: [{ name: 'x', port: 1, targetPort: 'nope' }] }), [pod('a', '10.0.0.1')]).subsets, []);
    const { subsets } = buildSubsets(svc({ ports: [], headless: true }), [pod('a', '10.0.0.1')]);
    assert.equal(subsets[0]?.ports, undefined);
    assert.equal(subsets[0]?.addresses?.[0]?.ip, '10.0.0.1');
  });
});
