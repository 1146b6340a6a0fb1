// The rollout timeline: revisions from the ReplicaSets' annotations, the ScalingReplicaSet steps in
// the order the controller took them, and every ReplicaSet's size after each step.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../api/objects.ts';
import { buildRolloutTimeline, parseScaling } from './rollout-timeline.ts';
import type { KubeEvent } from './steps.ts';

const T = (s: number): string => new Date(Date.UTC(2025, 0, 1, 12, 0, s)).toISOString().replace('.000Z', 'Z');
const deployment: KubeObject = { kind: 'Deployment', metadata: { name: 'web', uid: 'd1', creationTimestamp: T(0) } };

function rs(name: string, revision: number, at: string, image: string, replicas: number, owner = 'd1'): KubeObject {
  return {
    kind: 'ReplicaSet',
    metadata: { name, uid: `uid-${name}`, creationTimestamp: at, annotations: { 'deployment.kubernetes.io/revision': String(revision) }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: owner, controller: true }] },
    spec: { replicas, template: { spec: { containers: [{ image }] } } },
    status: { readyReplicas: replicas },
  };
}

let rv = 500;
const scaled = (msg: string, at: string): KubeEvent => {
  rv += 1;
  return { metadata: { name: `web.${rv}`, uid: `e${rv}`, resourceVersion: String(rv) }, involvedObject: { kind: 'Deployment', name: 'web', uid: 'd1' }, reason: 'ScalingReplicaSet', message: msg, type: 'Normal', source: { component: 'deployment-controller' }, firstTimestamp: at, lastTimestamp: at, count: 1 };
};

describe('rollout timeline', () => {
  it('parses the scaling message both ways', () => {
    assert.deepEqual(parseScaling('Scaled down replica set web-1 from 3 to 2'), { direction: 'down', replicaSet: 'web-1', from: 3, to: 2 });
    assert.equal(parseScaling('Created pod: x'), undefined);
  });

  it('replays a rolling update: new ReplicaSet up, old one down, step by step', () => {
    const events = [
      scaled('Scaled up replica set web-1 from 0 to 2', T(0)),
      // The second rollout's steps share a second; their write order decides.
      scaled('Scaled up replica set web-2 from 0 to 1', T(10)),
      scaled('Scaled down replica set web-1 from 2 to 1', T(10)),
      scaled('Scaled up replica set web-2 from 1 to 2', T(11)),
      scaled('Scaled down replica set web-1 from 1 to 0', T(11)),
      { ...scaled('Scaled up replica set other-1 from 0 to 1', T(3)), involvedObject: { kind: 'Deployment', name: 'other', uid: 'd2' } },
    ];
    const { steps, revisions } = buildRolloutTimeline({ deployment, replicaSets: [rs('web-2', 2, T(10), 'app:v2', 2), rs('web-1', 1, T(0), 'app:v1', 0), rs('other-1', 1, T(3), 'x', 1, 'd2')], events });
    assert.deepEqual(
      revisions.map((r) => [r.revision, r.name, r.images.join(), r.current]),
      [
        [1, 'web-1', 'app:v1', false],
        [2, 'web-2', 'app:v2', true],
      ],
    );
    assert.deepEqual(
      steps.map((s) => s.title),
      [
        'Deployment web created',
        'Revision 1: ReplicaSet web-1 created',
        'Scaled up web-1 from 0 to 2',
        'Revision 2: ReplicaSet web-2 created',
        'Scaled up web-2 from 0 to 1',
        'Scaled down web-1 from 2 to 1',
        'Scaled up web-2 from 1 to 2',
        'Scaled down web-1 from 1 to 0',
      ],
    );
    assert.deepEqual(
      steps.filter((s) => s.after).map((s) => s.after),
      [
        { 'web-1': 2, 'web-2': 0 },
        { 'web-1': 2, 'web-2': 1 },
        { 'web-1': 1, 'web-2': 1 },
        { 'web-1': 1, 'web-2': 2 },
        { 'web-1': 0, 'web-2': 2 },
      ],
    );
  });
});
