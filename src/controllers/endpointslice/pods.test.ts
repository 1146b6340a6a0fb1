// Unit tests for the pod helpers shared by both endpoint controllers.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { belongsInEndpoints, podIPOf, resolvePort, serviceFamilies, type PodObj, type ServiceObj } from './pods.js';

const pod: PodObj = {
  metadata: { name: 'p', namespace: 'ns' },
  spec: {
    containers: [{ name: 'app', image: 'x', ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }] }],
    initContainers: [
      { name: 'sidecar', image: 'x', restartPolicy: 'Always', ports: [{ name: 'metrics', containerPort: 9100 }] },
      { name: 'init', image: 'x', ports: [{ name: 'setup', containerPort: 7000 }] },
    ],
  },
  status: { phase: 'Running', podIPs: [{ ip: '10.0.0.1' }, { ip: 'fd00::1' }] },
};

describe('endpoint pod helpers', () => {
  it('resolves numbers as is and names within the same protocol, including sidecars', () => {
    assert.equal(resolvePort(pod, { port: 80, targetPort: 8080 }), 8080);
    assert.equal(resolvePort(pod, { port: 53, targetPort: 'dns', protocol: 'UDP' }), 53);
    assert.equal(resolvePort(pod, { port: 53, targetPort: 'dns', protocol: 'TCP' }), undefined);
    assert.equal(resolvePort(pod, { port: 9100, targetPort: 'metrics' }), 9100);
    assert.equal(resolvePort(pod, { port: 7000, targetPort: 'setup' }), undefined, 'plain init containers do not serve');
  });

  it('picks the address of the wanted family and the families of a service', () => {
    assert.equal(podIPOf(pod, 'IPv6'), 'fd00::1');
    assert.deepEqual(serviceFamilies({ spec: { clusterIP: 'fd00::10' } } as ServiceObj), ['IPv6']);
    assert.deepEqual(serviceFamilies({ spec: { clusterIP: 'None' } } as ServiceObj), ['IPv4']);
  });

  it('keeps finished and address-less pods out, terminating ones only on request', () => {
    assert.equal(belongsInEndpoints({ ...pod, status: { phase: 'Succeeded', podIP: '10.0.0.1' } }, { includeTerminating: true }), false);
    assert.equal(belongsInEndpoints({ ...pod, status: { phase: 'Pending' } }, { includeTerminating: true }), false);
    const terminating = { ...pod, metadata: { ...pod.metadata, deletionTimestamp: '2024-01-01T00:00:00Z' } };
    assert.equal(belongsInEndpoints(terminating, { includeTerminating: false }), false);
    assert.equal(belongsInEndpoints(terminating, { includeTerminating: true }), true);
  });
});
