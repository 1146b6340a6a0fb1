// Unit tests of the node lifecycle rules that need no server: which taints conditions call for,
// how long a pod may stay under NoExecute taints, zone disruption states and the per-zone rate
// limiter, and the Unknown conditions written for a silent node.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, NodeCondition } from '../../api/core/v1/index.js';
import { reconcileTaints, wantedNoScheduleKeys, wantedNoExecuteKey, TAINT_UNREACHABLE, TAINT_NOT_READY } from './taints.js';
import { allowedStaySeconds } from './tolerations.js';
import { ZoneLimiters, allFullyDisrupted, computeZones, zoneRate } from './zones.js';
import { resolveOptions } from './options.js';
import { unknownConditions } from './health.js';

const node = (name: string, ready: string | undefined, o: { zone?: string; unschedulable?: boolean; extra?: NodeCondition[] } = {}): Node => ({
  metadata: { name, labels: o.zone ? { 'topology.kubernetes.io/zone': o.zone } : {} },
  spec: { unschedulable: o.unschedulable ?? false },
  status: { conditions: [...(ready ? [{ type: 'Ready', status: ready }] : []), ...(o.extra ?? [])] },
});

describe('condition taints', () => {
  it('maps conditions and unschedulable to NoSchedule taint keys', () => {
    assert.deepEqual(wantedNoScheduleKeys(node('a', 'True')), []);
    assert.deepEqual(wantedNoScheduleKeys(node('a', 'Unknown')), [TAINT_UNREACHABLE]);
    assert.deepEqual(
      wantedNoScheduleKeys(node('a', 'False', { unschedulable: true, extra: [{ type: 'DiskPressure', status: 'True' }, { type: 'MemoryPressure', status: 'False' }] })),
      [TAINT_NOT_READY, 'node.kubernetes.io/disk-pressure', 'node.kubernetes.io/unschedulable'],
    );
    assert.equal(wantedNoExecuteKey('True'), undefined);
    assert.equal(wantedNoExecuteKey('False'), TAINT_NOT_READY);
    assert.equal(wantedNoExecuteKey('Unknown'), TAINT_UNREACHABLE);
  });

  it('adds, swaps and removes only its own taints, keeping timeAdded of those that stay', () => {
    const user = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' as const };
    const old = { key: TAINT_UNREACHABLE, effect: 'NoSchedule' as const, timeAdded: '2020-01-01T00:00:00Z' };
    const added = reconcileTaints([user, old], { noSchedule: [TAINT_UNREACHABLE], noExecute: TAINT_UNREACHABLE, now: 'NOW' });
    assert.deepEqual(added, [user, old, { key: TAINT_UNREACHABLE, effect: 'NoExecute', timeAdded: 'NOW' }]);
    assert.equal(reconcileTaints(added ?? [], { noSchedule: [TAINT_UNREACHABLE], noExecute: TAINT_UNREACHABLE, now: 'LATER' }), undefined, 'nothing to change');
    const swapped = reconcileTaints(added ?? [], { noSchedule: [TAINT_NOT_READY], noExecute: TAINT_NOT_READY, now: 'LATER' });
    assert.deepEqual(swapped, [user, { key: TAINT_NOT_READY, effect: 'NoSchedule', timeAdded: 'LATER' }, { key: TAINT_NOT_READY, effect: 'NoExecute', timeAdded: 'LATER' }]);
    assert.deepEqual(reconcileTaints(swapped ?? [], { noSchedule: [], noExecute: undefined, now: 'X' }), [user]);
    assert.deepEqual(reconcileTaints(added ?? [], { noSchedule: [], noExecute: 'keep', now: 'X' }), [user, { key: TAINT_UNREACHABLE, effect: 'NoExecute', timeAdded: 'NOW' }]);
  });
});

describe('allowedStaySeconds', () => {
  const unreachable = { key: TAINT_UNREACHABLE, effect: 'NoExecute' as const };
  const other = { key: 'maintenance', value: 'yes', effect: 'NoExecute' as const };
  it('is 0 when a taint is not tolerated, the smallest limit otherwise, undefined without limits', () => {
    assert.equal(allowedStaySeconds([unreachable], []), 0);
    assert.equal(allowedStaySeconds([unreachable], [{ key: TAINT_UNREACHABLE, operator: 'Exists', tolerationSeconds: 30 }]), 30);
    assert.equal(allowedStaySeconds([unreachable], [{ key: TAINT_UNREACHABLE, operator: 'Exists' }]), undefined);
    assert.equal(
      allowedStaySeconds([unreachable, other], [{ key: TAINT_UNREACHABLE, operator: 'Exists', tolerationSeconds: 30 }, { key: 'maintenance', value: 'yes', tolerationSeconds: 5 }]),
      5,
    );
    assert.equal(allowedStaySeconds([unreachable, other], [{ key: TAINT_UNREACHABLE, operator: 'Exists', tolerationSeconds: 30 }]), 0, 'other not tolerated');
    assert.equal(allowedStaySeconds([other], [{ key: 'maintenance', value: 'no' }]), 0, 'value differs');
    assert.equal(allowedStaySeconds([other], [{ operator: 'Exists' }]), undefined, 'wildcard');
    assert.equal(allowedStaySeconds([unreachable], [{ key: TAINT_UNREACHABLE, operator: 'Exists', effect: 'NoSchedule' }]), 0, 'wrong effect');
    assert.equal(allowedStaySeconds([unreachable], [{ key: TAINT_UNREACHABLE, operator: 'Exists', tolerationSeconds: -5 }]), 0);
  });
});

describe('zones', () => {
  const o = resolveOptions();
  it('judges zones normal, partially and fully disrupted', () => {
    const zones = computeZones(
      [
        node('a1', 'True', { zone: 'a' }),
        node('a2', 'Unknown', { zone: 'a' }),
        node('b1', 'Unknown', { zone: 'b' }),
        node('b2', 'False', { zone: 'b' }),
        ...['c1', 'c2', 'c3'].map((n) => node(n, 'Unknown', { zone: 'c' })),
        node('c4', 'True', { zone: 'c' }),
      ],
      o,
    );
    assert.equal(zones.get(':\x00:a')?.state, 'Normal');
    assert.equal(zones.get(':\x00:b')?.state, 'FullDisruption');
    assert.equal(zones.get(':\x00:c')?.state, 'PartialDisruption');
    assert.equal(allFullyDisrupted(zones), false);
    assert.equal(zoneRate({ state: 'PartialDisruption', size: 4 }, o), 0, 'small zones stop');
    assert.equal(zoneRate({ state: 'PartialDisruption', size: 100 }, o), o.secondaryEvictionRate);
    assert.equal(zoneRate({ state: 'FullDisruption', size: 2 }, o), o.evictionRate);
  });

  it('calls a cluster whose every node is down fully disrupted, and a lone dead node too', () => {
    assert.equal(allFullyDisrupted(computeZones([node('x', 'Unknown'), node('y', undefined)], o)), true);
    assert.equal(allFullyDisrupted(computeZones([node('x', 'Unknown')], o)), true);
    assert.equal(allFullyDisrupted(computeZones([node('x', 'Unknown'), node('y', 'True')], o)), false);
  });

  it('rate limits per zone with a burst of one', () => {
    const l = new ZoneLimiters();
    assert.equal(l.take('z', { now: 0, rate: 0.1 }), 0);
    assert.equal(l.take('z', { now: 1000, rate: 0.1 }), 9000);
    assert.equal(l.take('other', { now: 1000, rate: 0.1 }), 0, 'zones are independent');
    assert.equal(l.take('z', { now: 10_000, rate: 0.1 }), 0);
    assert.equal(l.take('z', { now: 10_000, rate: 0 }), Infinity);
  });
});

describe('unknownConditions', () => {
  it('sets Ready and pressure conditions Unknown, keeping heartbeats, and adds missing ones', () => {
    const n = node('a', 'True', { extra: [{ type: 'MemoryPressure', status: 'False', lastHeartbeatTime: 'HB' }] });
    n.metadata = { ...n.metadata, creationTimestamp: 'CREATED' };
    const c = unknownConditions(n, 'NOW') ?? [];
    const byType = Object.fromEntries(c.map((x) => [x.type, x]));
    assert.deepEqual(byType.Ready, { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: 'NOW' });
    assert.equal(byType.MemoryPressure?.lastHeartbeatTime, 'HB');
    assert.equal(byType.DiskPressure?.reason, 'NodeStatusNeverUpdated');
    assert.equal(byType.DiskPressure?.message, 'Kubelet never posted node status.');
    assert.equal(byType.DiskPressure?.lastHeartbeatTime, 'CREATED');
    assert.equal(unknownConditions({ ...n, status: { conditions: c } }, 'LATER'), undefined, 'already Unknown');
  });
});
