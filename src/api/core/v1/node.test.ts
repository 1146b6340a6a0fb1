// Tests for the cluster-scoped core kinds Node and Namespace and for Events: names and scope,
// defaults, taint and CIDR validation, immutable pod CIDRs and provider ids, and the values
// each kind offers to field selectors.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiObject } from '../../kind.js';
import type { FieldError } from '../../../lib/field-errors.js';
import { nodeKind } from './node.js';
import { namespaceKind } from './namespace.js';
import { eventKind } from './event.js';
import { decodeObject } from '../../check.js';

const fields = (errs: FieldError[]): string[] => errs.map((e) => `${e.field} ${e.type}`);
const node = (spec: Record<string, unknown>, status?: Record<string, unknown>): ApiObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'node-1' },
  spec,
  ...(status ? { status } : {}),
});

describe('Node', () => {
  it('mirrors podCIDR into podCIDRs and allocatable from capacity', () => {
    const n = node({ podCIDR: '10.244.1.0/24' }, { capacity: { cpu: '4', memory: '8Gi' } });
    nodeKind.defaults(n);
    assert.deepEqual((n.spec as Record<string, unknown>).podCIDRs, ['10.244.1.0/24']);
    assert.deepEqual((n.status as Record<string, unknown>).allocatable, { cpu: '4', memory: '8Gi' });
  });

  it('validates taints and CIDRs and forbids a namespace', () => {
    const n = node({
      podCIDRs: ['10.244.1.0/33'],
      taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }, { key: 'dedicated', effect: 'NoSchedule' }, { key: 'x', effect: 'Sometimes' }],
    });
    (n.metadata as Record<string, unknown>).namespace = 'default';
    assert.deepEqual(fields(nodeKind.validate(n, undefined)), [
      'metadata.namespace FieldValueForbidden',
      'spec.taints[1] FieldValueDuplicate',
      'spec.taints[2].effect FieldValueNotSupported',
      'spec.podCIDRs[0] FieldValueInvalid',
    ]);
  });

  it('lets pod CIDRs and provider id be set once, not changed', () => {
    const empty = node({});
    const set = node({ podCIDRs: ['10.244.1.0/24'], providerID: 'tug://node-1' });
    assert.deepEqual(nodeKind.validate(set, empty), []);
    const moved = node({ podCIDRs: ['10.244.2.0/24'], providerID: 'tug://other' });
    assert.deepEqual(fields(nodeKind.validate(moved, set)), ['spec.podCIDRs FieldValueForbidden', 'spec.providerID FieldValueForbidden']);
  });

  it('is cluster-scoped with short name no and offers spec.unschedulable', () => {
    assert.deepEqual([nodeKind.namespaced, nodeKind.shortNames, nodeKind.status], [false, ['no'], true]);
    assert.deepEqual(nodeKind.fields(node({ unschedulable: true })), { 'spec.unschedulable': 'true' });
    assert.deepEqual(nodeKind.fields(node({})), { 'spec.unschedulable': 'false' });
  });

  it('decodes a kubelet-style status with no unknown fields', () => {
    const status = {
      capacity: { cpu: '4', memory: '8Gi', pods: '110' },
      allocatable: { cpu: '4', memory: '7Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2024-01-01T00:00:00Z', lastTransitionTime: '2024-01-01T00:00:00Z', reason: 'KubeletReady', message: 'ready' }],
      addresses: [{ type: 'InternalIP', address: '192.0.2.4' }, { type: 'Hostname', address: 'node-1' }],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: 'm', systemUUID: 'u', bootID: 'b', kernelVersion: '6.1', osImage: 'Debian', containerRuntimeVersion: 'containerd://1.7',
        kubeletVersion: 'v1.32.0', kubeProxyVersion: '', operatingSystem: 'linux', architecture: 'amd64',
      },
      images: [{ names: ['pause:3.10'], sizeBytes: 1000 }],
      runtimeHandlers: [{ name: 'runc', features: { recursiveReadOnlyMounts: true, userNamespaces: false } }],
      features: { supplementalGroupsPolicy: true },
    };
    const r = decodeObject(nodeKind.schema, node({ taints: [{ key: 'k', effect: 'NoExecute', timeAdded: '2024-01-01T00:00:00Z' }] }, status));
    assert.deepEqual([r.unknownFields, r.errors], [[], []]);
  });
});

describe('Namespace', () => {
  it('needs a DNS-1123 label name and defaults its phase to Active', () => {
    const ns: ApiObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team.a' } };
    namespaceKind.defaults(ns);
    assert.deepEqual(ns.status, { phase: 'Active' });
    assert.deepEqual(fields(namespaceKind.validate(ns, undefined)), ['metadata.name FieldValueInvalid']);
    assert.deepEqual(namespaceKind.fields(ns), { 'status.phase': 'Active' });
    assert.deepEqual([namespaceKind.namespaced, namespaceKind.shortNames], [false, ['ns']]);
  });

  it('refuses Terminating without a deletion timestamp', () => {
    const ns: ApiObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' }, status: { phase: 'Terminating' } };
    assert.deepEqual(fields(namespaceKind.validate(ns, undefined)), ['status.phase FieldValueInvalid']);
  });
});

describe('Event', () => {
  const event = (body: Record<string, unknown>): ApiObject => ({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'web.1', namespace: 'default' },
    ...body,
  });

  it('requires involvedObject and a matching namespace', () => {
    assert.deepEqual(fields(eventKind.validate(event({}), undefined)), ['involvedObject FieldValueRequired']);
    const elsewhere = event({ involvedObject: { kind: 'Pod', name: 'web', namespace: 'shop' } });
    assert.deepEqual(fields(eventKind.validate(elsewhere, undefined)), ['involvedObject.namespace FieldValueInvalid']);
  });

  it('requires reporting fields on events with eventTime', () => {
    const e = event({ involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' }, eventTime: '2024-01-01T00:00:00.000000Z' });
    assert.deepEqual(fields(eventKind.validate(e, undefined)), [
      'reportingComponent FieldValueRequired',
      'reportingInstance FieldValueRequired',
      'action FieldValueRequired',
      'reason FieldValueRequired',
    ]);
  });

  it('offers the involved object, reason, source and type to field selectors', () => {
    const e = event({
      involvedObject: { kind: 'Pod', name: 'web', namespace: 'default', uid: 'u1', apiVersion: 'v1', fieldPath: 'spec.containers{app}' },
      reason: 'Pulled',
      type: 'Normal',
      reportingComponent: 'kubelet',
    });
    const f = eventKind.fields(e);
    assert.equal(f['involvedObject.name'], 'web');
    assert.equal(f['involvedObject.fieldPath'], 'spec.containers{app}');
    assert.equal(f.reason, 'Pulled');
    assert.equal(f.source, 'kubelet');
    assert.equal(f.type, 'Normal');
    assert.equal(f['involvedObject.resourceVersion'], '');
    assert.deepEqual([eventKind.shortNames, eventKind.status], [['ev'], false]);
  });
});
