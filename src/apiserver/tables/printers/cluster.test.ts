// Tests for the core tables: namespaces, configmaps, secrets, serviceaccounts, leases, services
// (ports, external IPs), endpoints, nodes and events in both API shapes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiObject } from '../../../api/kind.js';
import { configmaps, leases, namespaces, secrets, serviceaccounts } from './core.js';
import { events } from './events.js';
import { nodes } from './nodes.js';
import { endpoints, services } from './services.js';

const NOW = new Date('2024-05-01T12:00:00Z');
const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, creationTimestamp: '2024-05-01T09:30:00Z', ...extra });

describe('simple core kinds', () => {
  it('namespaces', () => {
    assert.deepEqual(namespaces.cells({ metadata: meta('default'), status: { phase: 'Active' } }, NOW), ['default', 'Active', '150m']);
  });
  it('configmaps count data and binaryData', () => {
    const cm: ApiObject = { metadata: meta('cfg'), data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } };
    assert.deepEqual(configmaps.cells(cm, NOW), ['cfg', 3, '150m']);
    assert.deepEqual(configmaps.cells({ metadata: meta('empty') }, NOW), ['empty', 0, '150m']);
  });
  it('secrets', () => {
    const s: ApiObject = { metadata: meta('tls'), type: 'kubernetes.io/tls', data: { 'tls.crt': 'x', 'tls.key': 'y' } };
    assert.deepEqual(secrets.cells(s, NOW), ['tls', 'kubernetes.io/tls', 2, '150m']);
  });
  it('serviceaccounts', () => {
    assert.deepEqual(serviceaccounts.cells({ metadata: meta('default') }, NOW), ['default', 0, '150m']);
    assert.deepEqual(serviceaccounts.cells({ metadata: meta('ci'), secrets: [{ name: 'ci-token' }] }, NOW), ['ci', 1, '150m']);
  });
  it('leases', () => {
    const l: ApiObject = { metadata: meta('node-a'), spec: { holderIdentity: 'node-a', leaseDurationSeconds: 40 } };
    assert.deepEqual(leases.cells(l, NOW), ['node-a', 'node-a', '150m']);
    assert.deepEqual(leases.cells({ metadata: meta('free'), spec: {} }, NOW), ['free', '', '150m']);
  });
});

describe('services', () => {
  const svc = (spec: Record<string, unknown>, status: Record<string, unknown> = {}): ApiObject => ({
    metadata: meta('web'),
    spec: { selector: { app: 'web', tier: 'fe' }, ...spec },
    status,
  });

  it('ClusterIP', () => {
    const s = svc({ type: 'ClusterIP', clusterIP: '10.43.0.10', clusterIPs: ['10.43.0.10'], ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }] });
    assert.deepEqual(services.cells(s, NOW), ['web', 'ClusterIP', '10.43.0.10', '<none>', '80/TCP', '150m', 'app=web,tier=fe']);
  });

  it('NodePort shows port:nodePort/protocol for each port', () => {
    const s = svc({
      type: 'NodePort',
      clusterIPs: ['10.43.1.2'],
      ports: [
        { port: 80, nodePort: 30080, protocol: 'TCP' },
        { port: 53, nodePort: 30053, protocol: 'UDP' },
      ],
    });
    assert.deepEqual(services.cells(s, NOW).slice(1, 5), ['NodePort', '10.43.1.2', '<none>', '80:30080/TCP,53:30053/UDP']);
  });

  it('LoadBalancer is <pending> until it has an address', () => {
    const spec = { type: 'LoadBalancer', clusterIPs: ['10.43.1.3'], ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] };
    assert.equal(services.cells(svc(spec), NOW)[3], '<pending>');
    const lb = svc(spec, { loadBalancer: { ingress: [{ ip: '192.0.2.20' }, { hostname: 'lb.example.com' }, { ip: '192.0.2.10' }] } });
    // Sorted and unclipped: the server always renders the wide form.
    assert.equal(services.cells(lb, NOW)[3], '192.0.2.10,192.0.2.20,lb.example.com');
    const withExternal = svc({ ...spec, externalIPs: ['198.51.100.1'] }, { loadBalancer: { ingress: [{ ip: '192.0.2.10' }] } });
    assert.equal(services.cells(withExternal, NOW)[3], '192.0.2.10,198.51.100.1');
  });

  it('headless, ExternalName and portless services', () => {
    const headless = svc({ type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], ports: [] });
    assert.deepEqual(services.cells(headless, NOW).slice(2, 5), ['None', '<none>', '<none>']);
    const ext = svc({ type: 'ExternalName', externalName: 'db.example.com' });
    assert.deepEqual(services.cells(ext, NOW).slice(1, 5), ['ExternalName', '<none>', 'db.example.com', '<none>']);
    const noSelector: ApiObject = { metadata: meta('kubernetes'), spec: { type: 'ClusterIP', clusterIPs: ['10.43.0.1'], ports: [{ port: 443, protocol: 'TCP' }] } };
    assert.equal(services.cells(noSelector, NOW)[6], '<none>');
  });
});

describe('endpoints', () => {
  it('lists host:port pairs, at most three', () => {
    const ep: ApiObject = {
      metadata: meta('web'),
      subsets: [
        {
          addresses: [{ ip: '10.42.0.5' }, { ip: '10.42.0.6' }],
          ports: [
            { name: 'http', port: 8080, protocol: 'TCP' },
            { name: 'metrics', port: 9090, protocol: 'TCP' },
          ],
        },
      ],
    };
    assert.deepEqual(endpoints.cells(ep, NOW), ['web', '10.42.0.5:8080,10.42.0.6:8080,10.42.0.5:9090 + 1 more...', '150m']);
  });
  it('<none> without subsets; bare IPs without ports; brackets for IPv6', () => {
    assert.equal(endpoints.cells({ metadata: meta('x') }, NOW)[1], '<none>');
    assert.equal(endpoints.cells({ metadata: meta('x'), subsets: [{ addresses: [{ ip: '10.0.0.1' }] }] }, NOW)[1], '10.0.0.1');
    assert.equal(endpoints.cells({ metadata: meta('x'), subsets: [{ addresses: [{ ip: 'fd00::1' }], ports: [{ port: 80 }] }] }, NOW)[1], '[fd00::1]:80');
  });
});

describe('nodes', () => {
  const node = (extra: { labels?: Record<string, string>; unschedulable?: boolean; conditions?: unknown[] } = {}): ApiObject => ({
    metadata: meta('node-a', { labels: { 'kubernetes.io/hostname': 'node-a', ...extra.labels } }),
    spec: extra.unschedulable ? { unschedulable: true } : {},
    status: {
      conditions: extra.conditions ?? [
        { type: 'MemoryPressure', status: 'False' },
        { type: 'Ready', status: 'True' },
      ],
      addresses: [
        { type: 'InternalIP', address: '192.168.1.10' },
        { type: 'Hostname', address: 'node-a' },
      ],
      nodeInfo: { kubeletVersion: 'v1.32.0', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0-18-amd64', containerRuntimeVersion: 'containerd://1.6.20' },
    },
  });

  it('a ready control-plane node', () => {
    const n = node({ labels: { 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/master': '' } });
    assert.deepEqual(nodes.cells(n, NOW), [
      'node-a',
      'Ready',
      'control-plane,master',
      '150m',
      'v1.32.0',
      '192.168.1.10',
      '<none>',
      'Debian GNU/Linux 12 (bookworm)',
      '6.1.0-18-amd64',
      'containerd://1.6.20',
    ]);
  });

  it('NotReady, Unknown, cordoned, no roles', () => {
    assert.deepEqual(nodes.cells(node({ conditions: [{ type: 'Ready', status: 'False' }] }), NOW).slice(1, 3), ['NotReady', '<none>']);
    assert.equal(nodes.cells(node({ conditions: [{ type: 'Ready', status: 'Unknown' }] }), NOW)[1], 'NotReady');
    assert.equal(nodes.cells(node({ conditions: [] }), NOW)[1], 'Unknown');
    assert.equal(nodes.cells(node({ unschedulable: true }), NOW)[1], 'Ready,SchedulingDisabled');
    assert.equal(nodes.cells(node({ labels: { 'kubernetes.io/role': 'worker' } }), NOW)[2], 'worker');
  });

  it('unknown node info reads <unknown>', () => {
    const bare: ApiObject = { metadata: meta('n'), status: {} };
    assert.deepEqual(nodes.cells(bare, NOW).slice(4), ['', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>']);
  });
});

describe('events', () => {
  it('a core/v1 event', () => {
    const e: ApiObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: meta('web-1.17c9a'),
      involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'default', fieldPath: 'spec.containers{nginx}' },
      reason: 'Pulled',
      message: 'Successfully pulled image "nginx:1.25"\n',
      type: 'Normal',
      source: { component: 'kubelet', host: 'node-a' },
      firstTimestamp: '2024-05-01T11:50:00Z',
      lastTimestamp: '2024-05-01T11:59:00Z',
      count: 4,
    };
    assert.deepEqual(events.cells(e, NOW), [
      '60s',
      'Normal',
      'Pulled',
      'pod/web-1',
      'spec.containers{nginx}',
      'kubelet, node-a',
      'Successfully pulled image "nginx:1.25"',
      '10m',
      4,
      'web-1.17c9a',
    ]);
  });

  it('an events.k8s.io/v1 singleton reads the same way', () => {
    const e: ApiObject = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: meta('web.1'),
      regarding: { kind: 'Deployment', name: 'web' },
      note: 'Scaled up replica set web-7d9c8 to 3',
      reason: 'ScalingReplicaSet',
      type: 'Normal',
      eventTime: '2024-05-01T11:58:00.000000Z',
      reportingController: 'deployment-controller',
      reportingInstance: '',
    };
    assert.deepEqual(events.cells(e, NOW), [
      '2m',
      'Normal',
      'ScalingReplicaSet',
      'deployment/web',
      '',
      'deployment-controller',
      'Scaled up replica set web-7d9c8 to 3',
      '2m',
      1,
      'web.1',
    ]);
  });

  it('a series sets LAST SEEN and COUNT', () => {
    const e: ApiObject = {
      metadata: meta('x'),
      involvedObject: { kind: 'Node' },
      eventTime: '2024-05-01T11:00:00.000000Z',
      series: { count: 7, lastObservedTime: '2024-05-01T11:59:55.000000Z' },
    };
    const c = events.cells(e, NOW);
    assert.deepEqual([c[0], c[3], c[7], c[8]], ['5s', 'node', '60m', 7]);
  });

  it('LAST SEEN first, NAME last and wide', () => {
    assert.deepEqual(
      events.columns.map((c) => `${c.name}:${c.priority}`),
      ['Last Seen:0', 'Type:0', 'Reason:0', 'Object:0', 'Subobject:1', 'Source:1', 'Message:0', 'First Seen:1', 'Count:1', 'Name:1'],
    );
  });
});
