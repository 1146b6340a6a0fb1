// The DaemonSet's pure decisions: which nodes qualify (selectors, affinity, taints against the
// daemon tolerations), what the manage step creates and deletes, and how far one rolling-update
// step goes with maxUnavailable or maxSurge.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DaemonSet } from '../../api/apps/v1/index.js';
import type { Node, Pod } from '../../api/core/v1/index.js';
import { planManage } from './manage.js';
import { daemonPodTemplate, nodeEligibility, withDaemonTolerations } from './placement.js';
import { planRollingUpdate, rollingLimits } from './rolling-update.js';

type Spec = NonNullable<NonNullable<DaemonSet['spec']>['template']['spec']>;

function ds(o: { spec?: Partial<Spec>; maxUnavailable?: number | string; maxSurge?: number | string; minReadySeconds?: number } = {}): DaemonSet {
  return {
    metadata: { name: 'agent', namespace: 'ns', uid: 'ds-uid' },
    spec: {
      selector: { matchLabels: { app: 'a' } },
      minReadySeconds: o.minReadySeconds ?? 0,
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: o.maxUnavailable ?? 1, maxSurge: o.maxSurge ?? 0 } },
      template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'i' }], ...(o.spec ?? {}) } },
    },
  };
}

const node = (name: string, o: { labels?: Record<string, string>; taints?: NonNullable<Node['spec']>['taints'] } = {}): Node => ({
  metadata: { name, labels: o.labels ?? {} },
  spec: { taints: o.taints ?? [] },
});

let seq = 0;
function pod(nodeName: string, o: { hash?: string; ready?: boolean; phase?: 'Running' | 'Failed' | 'Pending'; bound?: boolean } = {}): Pod {
  seq += 1;
  return {
    metadata: { name: `agent-${seq}`, namespace: 'ns', uid: `p${seq}`, labels: { app: 'a', 'controller-revision-hash': o.hash ?? 'new' }, creationTimestamp: `2024-01-01T00:00:${String(seq).padStart(2, '0')}Z` },
    spec: {
      containers: [],
      ...(o.bound === false ? {} : { nodeName }),
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }] } } },
    },
    status: { phase: o.phase ?? 'Running', conditions: o.ready === false ? [] : [{ type: 'Ready', status: 'True' }] },
  };
}

describe('daemon placement', () => {
  it('honours nodeSelector and required node affinity', () => {
    const sel = ds({ spec: { nodeSelector: { disk: 'ssd' } } });
    assert.equal(nodeEligibility(sel, node('a', { labels: { disk: 'ssd' } })).shouldRun, true);
    assert.equal(nodeEligibility(sel, node('b', { labels: { disk: 'hdd' } })).shouldRun, false);
    const aff = ds({
      spec: {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z1'] }] }, { matchExpressions: [{ key: 'cpus', operator: 'Gt', values: ['8'] }] }],
            },
          },
        },
      },
    });
    assert.equal(nodeEligibility(aff, node('a', { labels: { zone: 'z1' } })).shouldRun, true);
    assert.equal(nodeEligibility(aff, node('b', { labels: { cpus: '16' } })).shouldRun, true);
    assert.equal(nodeEligibility(aff, node('c', { labels: { cpus: '4', zone: 'z2' } })).shouldRun, false);
  });

  it('skips untolerated NoSchedule taints but keeps existing pods; NoExecute evicts', () => {
    const noSchedule = node('a', { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] });
    assert.deepEqual(nodeEligibility(ds(), noSchedule), { shouldRun: false, shouldContinueRunning: true });
    const noExecute = node('b', { taints: [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }] });
    assert.deepEqual(nodeEligibility(ds(), noExecute), { shouldRun: false, shouldContinueRunning: false });
    const tolerating = ds({ spec: { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db' }] } });
    assert.deepEqual(nodeEligibility(tolerating, noExecute), { shouldRun: true, shouldContinueRunning: true });
    assert.equal(nodeEligibility(ds(), node('c', { taints: [{ key: 'x', effect: 'PreferNoSchedule' }] })).shouldRun, true);
  });

  it('tolerates the node conditions a daemon must survive', () => {
    for (const key of ['node.kubernetes.io/unschedulable', 'node.kubernetes.io/not-ready', 'node.kubernetes.io/memory-pressure']) {
      const effect = key.endsWith('not-ready') ? ('NoExecute' as const) : ('NoSchedule' as const);
      assert.equal(nodeEligibility(ds(), node('a', { taints: [{ key, effect }] })).shouldRun, true, key);
    }
    const net = { key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' as const };
    assert.equal(nodeEligibility(ds(), node('a', { taints: [net] })).shouldRun, false);
    assert.equal(nodeEligibility(ds({ spec: { hostNetwork: true } }), node('a', { taints: [net] })).shouldRun, true);
    assert.equal(withDaemonTolerations({ containers: [], tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] }).length, 6);
  });

  it('pins the pod to its node with matchFields, replacing the template affinity terms', () => {
    const t = daemonPodTemplate(ds({ spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }] } } } } }), {
      nodeName: 'n1',
      hash: 'h1',
    });
    assert.deepEqual(t.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution, {
      nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }],
    });
    assert.equal(t.metadata?.labels?.['controller-revision-hash'], 'h1');
  });
});

describe('manage step', () => {
  const base = { hash: 'new', allowSurge: false, mayDeleteFailed: () => true };

  it('creates on empty eligible nodes, deletes from ineligible ones and extra pods', () => {
    const nodes = [node('a'), node('b'), node('c', { taints: [{ key: 'k', effect: 'NoExecute' }] })];
    const keep = pod('b');
    const extra = pod('b');
    const evicted = pod('c');
    const orphanPinned = pod('gone', { bound: false });
    const plan = planManage({ ...base, ds: ds(), nodes, nodeToPods: new Map([['b', [extra, keep].reverse()], ['c', [evicted]], ['gone', [orphanPinned]]]) });
    assert.deepEqual(plan.createOn, ['a']);
    assert.deepEqual(plan.deletePods.map((p) => p.metadata?.name).sort(), [evicted, extra, orphanPinned].map((p) => p.metadata?.name).sort());
  });

  it('deletes failed pods unless the node is in back-off', () => {
    const failed = pod('a', { phase: 'Failed' });
    const nodes = [node('a')];
    assert.deepEqual(planManage({ ...base, ds: ds(), nodes, nodeToPods: new Map([['a', [failed]]]) }).deletePods, [failed]);
    const held = planManage({ ...base, mayDeleteFailed: () => false, ds: ds(), nodes, nodeToPods: new Map([['a', [failed]]]) });
    assert.deepEqual(held.deletePods, []);
    assert.equal(held.failed.length, 1);
  });

  it('while surging keeps the oldest old pod and the oldest new pod', () => {
    const old1 = pod('a', { hash: 'old' });
    const new1 = pod('a');
    const new2 = pod('a');
    const plan = planManage({ ...base, allowSurge: true, ds: ds(), nodes: [node('a')], nodeToPods: new Map([['a', [new2, old1, new1]]]) });
    assert.deepEqual(plan.deletePods, [new2]);
  });
});

describe('rolling update step', () => {
  const nodes = ['a', 'b', 'c', 'd'].map((n) => node(n));
  const now = Date.parse('2024-01-01T01:00:00Z');

  it('scales percentages against desired nodes, rounding up, and never allows 0/0', () => {
    assert.deepEqual(rollingLimits(ds({ maxUnavailable: '30%' }), 10), { maxSurge: 0, maxUnavailable: 3 });
    assert.deepEqual(rollingLimits(ds({ maxUnavailable: '10%' }), 4), { maxSurge: 0, maxUnavailable: 1 });
    assert.deepEqual(rollingLimits(ds({ maxUnavailable: 0, maxSurge: 0 }), 4), { maxSurge: 0, maxUnavailable: 1 });
  });

  it('deletes old pods only up to maxUnavailable, counting missing and unready new pods', () => {
    const olds = nodes.map((n) => pod(n.metadata?.name ?? '', { hash: 'old' }));
    const byNode = new Map(olds.map((p) => [p.spec?.nodeName ?? '', [p]]));
    const input = { ds: ds({ maxUnavailable: 2 }), nodes, hash: 'new', generation: undefined, now };
    assert.equal(planRollingUpdate({ ...input, nodeToPods: byNode }).deletePods.length, 2);
    byNode.set('a', [pod('a', { ready: false })]);
    assert.equal(planRollingUpdate({ ...input, nodeToPods: byNode }).deletePods.length, 1);
    byNode.set('b', []);
    assert.equal(planRollingUpdate({ ...input, nodeToPods: byNode }).deletePods.length, 0);
    // An old pod that is not available anyway is replaced regardless of the budget.
    byNode.set('c', [pod('c', { hash: 'old', ready: false })]);
    assert.deepEqual(planRollingUpdate({ ...input, nodeToPods: byNode }).deletePods.map((p) => p.spec?.nodeName), ['c']);
  });

  it('with maxSurge starts new pods beside old ones and deletes the old once the new is available', () => {
    const byNode = new Map(nodes.map((n) => [n.metadata?.name ?? '', [pod(n.metadata?.name ?? '', { hash: 'old' })]]));
    const input = { ds: ds({ maxUnavailable: 0, maxSurge: 1 }), nodes, hash: 'new', generation: undefined, now };
    const first = planRollingUpdate({ ...input, nodeToPods: byNode });
    assert.deepEqual(first, { deletePods: [], createOn: ['a'] });
    const newA = pod('a', { ready: false });
    byNode.set('a', [...(byNode.get('a') ?? []), newA]);
    assert.deepEqual(planRollingUpdate({ ...input, nodeToPods: byNode }), { deletePods: [], createOn: [] }, 'waits while the surge pod is not ready');
    newA.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
    const third = planRollingUpdate({ ...input, nodeToPods: byNode });
    assert.deepEqual(third.deletePods.map((p) => p.metadata?.labels?.['controller-revision-hash']), ['old']);
    assert.deepEqual(third.createOn, ['b']);
  });

  it('counts a pod as available only after minReadySeconds', () => {
    const fresh = pod('a');
    fresh.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: new Date(now - 5000).toISOString() }] };
    const byNode = new Map<string, Pod[]>([['a', [fresh]], ['b', [pod('b', { hash: 'old' })]]]);
    const input = { nodes: nodes.slice(0, 2), hash: 'new', generation: undefined, now, nodeToPods: byNode };
    assert.equal(planRollingUpdate({ ...input, ds: ds({ minReadySeconds: 10 }) }).deletePods.length, 0);
    assert.equal(planRollingUpdate({ ...input, ds: ds({ minReadySeconds: 2 }) }).deletePods.length, 1);
  });
});
