// The pod timeline from a recorded pod life: owner chain, scheduler and kubelet events, conditions,
// endpoints; order within one second follows the control plane's sequence; untimed and observed
// endpoint times are labelled as such.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../api/objects.ts';
import { buildPodTimeline } from './pod-timeline.ts';
import type { KubeEvent } from './steps.ts';

const T = (s: number): string => new Date(Date.UTC(2025, 0, 1, 12, 0, s)).toISOString().replace('.000Z', 'Z');

let rv = 100;
function ev(kind: string, name: string, uid: string, reason: string, message: string, at: string, o: { type?: string; component?: string; count?: number; last?: string } = {}): KubeEvent {
  rv += 1;
  return {
    metadata: { name: `${name}.${rv}`, uid: `ev-${rv}`, resourceVersion: String(rv) },
    involvedObject: { kind, name, uid },
    reason,
    message,
    type: o.type ?? 'Normal',
    source: { component: o.component ?? 'kubelet' },
    firstTimestamp: at,
    lastTimestamp: o.last ?? at,
    count: o.count ?? 1,
  };
}

const deployment: KubeObject = { kind: 'Deployment', metadata: { name: 'web', uid: 'd1', creationTimestamp: T(0) } };
const rs: KubeObject = {
  kind: 'ReplicaSet',
  metadata: { name: 'web-abc', uid: 'rs1', creationTimestamp: T(0), annotations: { 'deployment.kubernetes.io/revision': '1' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd1', controller: true }] },
};

function pod(o: { ready?: boolean; slices?: boolean } = {}): KubeObject {
  return {
    kind: 'Pod',
    metadata: { name: 'web-abc-x1', uid: 'p1', creationTimestamp: T(0), ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: 'rs1', controller: true }] },
    status: {
      phase: 'Running',
      conditions: [
        { type: 'PodReadyToStartContainers', status: 'True', lastTransitionTime: T(1) },
        { type: 'Initialized', status: 'True', lastTransitionTime: T(0) },
        { type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: T(2), ...(o.ready === false ? { reason: 'ContainersNotReady', message: 'containers with unready status: [app]' } : {}) },
        { type: 'ContainersReady', status: 'True', lastTransitionTime: T(2) },
        { type: 'PodScheduled', status: 'True', lastTransitionTime: T(0) },
      ],
      containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: { startedAt: T(2) } } }],
    },
  };
}

const events = (): KubeEvent[] => [
  // Written out of order on purpose: the timeline must not depend on list order.
  ev('Pod', 'web-abc-x1', 'p1', 'Started', 'Started container app', T(2)),
  ev('Deployment', 'web', 'd1', 'ScalingReplicaSet', 'Scaled up replica set web-abc from 0 to 2', T(0), { component: 'deployment-controller' }),
  ev('ReplicaSet', 'web-abc', 'rs1', 'SuccessfulCreate', 'Created pod: web-abc-x1', T(0), { component: 'replicaset-controller' }),
  ev('ReplicaSet', 'web-abc', 'rs1', 'SuccessfulCreate', 'Created pod: web-abc-x2', T(0), { component: 'replicaset-controller' }),
  ev('Pod', 'web-abc-x1', 'p1', 'FailedScheduling', '0/2 nodes are available: 1 node(s) had untolerated taint {dedicated: db}, 1 Insufficient cpu.', T(0), { type: 'Warning', component: 'default-scheduler', count: 3, last: T(0) }),
  ev('Pod', 'web-abc-x1', 'p1', 'Scheduled', 'Successfully assigned default/web-abc-x1 to node-a', T(0), { component: 'default-scheduler' }),
  ev('Pod', 'web-abc-x1', 'p1', 'Pulled', 'Container image "busybox:1.36" already present on machine', T(1)),
  ev('Pod', 'web-abc-x1', 'p1', 'Created', 'Created container: app', T(1)),
  ev('Pod', 'other', 'p2', 'Scheduled', 'Successfully assigned default/other to node-b', T(0), { component: 'default-scheduler' }),
];

const slice = (o: { ready: boolean; trigger?: string }): KubeObject => ({
  kind: 'EndpointSlice',
  metadata: { name: 'web-svc-q7', uid: 's1', labels: { 'kubernetes.io/service-name': 'web-svc' }, ...(o.trigger ? { annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': o.trigger } } : {}) },
  endpoints: [{ addresses: ['10.1.0.5'], conditions: { ready: o.ready }, targetRef: { kind: 'Pod', name: 'web-abc-x1', uid: 'p1' } }],
});

describe('pod flow timeline', () => {
  it('tells the textbook sequence in causal order even when timestamps share a second', () => {
    const steps = buildPodTimeline({ pod: pod(), replicaSet: rs, deployment, events: events(), slices: [slice({ ready: true, trigger: T(2) })] });
    assert.deepEqual(
      steps.map((s) => s.title),
      [
        'Deployment web created',
        'ReplicaSet web-abc created',
        'Deployment controller scaled up ReplicaSet web-abc',
        'ReplicaSet controller created pod web-abc-x1',
        'Pod web-abc-x1 stored by the API server',
        'Not schedulable yet',
        'Scheduled to node node-a',
        'Condition PodScheduled',
        'Condition Initialized',
        'Sandbox ready (PodReadyToStartContainers)',
        'Image busybox:1.36 already on the node',
        'Created container app',
        'Started container app',
        'Container app running',
        'Condition ContainersReady',
        'Pod Ready',
        "In Service web-svc's endpoints (ready)",
      ],
    );
  });

  it('keeps why other nodes were filtered out, and how often the scheduler said so', () => {
    const failed = buildPodTimeline({ pod: pod(), replicaSet: rs, deployment, events: events(), slices: [] }).find((s) => s.title === 'Not schedulable yet');
    assert.ok(failed);
    assert.equal(failed.warning, true);
    assert.equal(failed.actor, 'scheduler');
    assert.match(failed.detail ?? '', /untolerated taint \{dedicated: db\}, 1 Insufficient cpu/);
    assert.equal(failed.repeated?.count, 3);
  });

  it('ignores other pods\' events and the ReplicaSet\'s other creations', () => {
    const steps = buildPodTimeline({ pod: pod(), replicaSet: rs, deployment, events: events(), slices: [] });
    assert.equal(steps.filter((s) => s.title.startsWith('Scheduled')).length, 1);
    assert.equal(steps.filter((s) => s.title.startsWith('ReplicaSet controller created pod')).length, 1);
  });

  it('labels the endpoint time by where it came from: observed, trigger annotation, or none', () => {
    const observed = new Map([['s1/p1', T(3)]]);
    const live = buildPodTimeline({ pod: pod(), events: [], slices: [slice({ ready: true, trigger: T(2) })], observed }).find((s) => s.stage === 'endpoints');
    assert.equal(live?.source, 'observed');
    assert.equal(live?.at, T(3));
    assert.match(live?.detail ?? '', /observed by this dashboard/);
    const loaded = buildPodTimeline({ pod: pod(), events: [], slices: [slice({ ready: true, trigger: T(2) })] }).find((s) => s.stage === 'endpoints');
    assert.equal(loaded?.source, 'trigger');
    assert.match(loaded?.detail ?? '', /last-change-trigger-time/);
    const none = buildPodTimeline({ pod: pod(), events: [], slices: [slice({ ready: false })] });
    const ep = none.find((s) => s.stage === 'endpoints');
    assert.equal(ep?.source, 'none');
    assert.equal(ep?.title, "In Service web-svc's endpoints (not ready)");
    // An untimed step still sits after the pod became ready, by its stage.
    assert.equal(none.at(-1)?.stage, 'endpoints');
  });

  it('shows a condition that is not met yet with its reason, and a bare pod without owners', () => {
    const steps = buildPodTimeline({ pod: { ...pod({ ready: false }), metadata: { name: 'solo', uid: 'p9', creationTimestamp: T(0) } }, events: [], slices: [] });
    assert.equal(steps[0]?.title, 'Pod solo stored by the API server');
    assert.equal(steps[0]?.actor, 'you');
    const ready = steps.find((s) => s.id === 'condition/Ready');
    assert.equal(ready?.title, 'Pod Ready: False');
    assert.match(ready?.detail ?? '', /ContainersNotReady: containers with unready status: \[app\]/);
  });
});
