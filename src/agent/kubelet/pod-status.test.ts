// Pod status generation without a server: phases for each restartPolicy (including terminating
// pods and failed init containers), waiting reasons, conditions with stable transition times,
// readiness gates, and host-network pod IPs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from '../../api/core/v1/index.js';
import type { ContainerState, PodSandboxStatus } from '../cri/runtime.js';
import { generatePodStatus, type StatusInput, type Waiting } from './pod-status.js';
import { runningIsReadyProber } from './prober.js';
import type { ContainerInstance, RuntimePod } from './runtime-pod.js';

const T0 = Date.parse('2025-01-01T00:00:00Z');

function pod(spec: Partial<NonNullable<Pod['spec']>>, status?: Pod['status']): Pod {
  return {
    metadata: { name: 'p', namespace: 'default', uid: 'u' },
    spec: { containers: [{ name: 'app', image: 'nginx' }], ...spec },
    ...(status ? { status } : {}),
  };
}

const sandbox: PodSandboxStatus = {
  id: 'sb',
  metadata: { name: 'p', namespace: 'default', uid: 'u', attempt: 0 },
  state: 'SANDBOX_READY',
  createdAt: T0,
  labels: {},
  annotations: {},
  network: { ip: '10.244.0.5' },
};

function inst(name: string, state: ContainerState, o: { exitCode?: number; attempt?: number } = {}): ContainerInstance {
  return {
    id: `${name}-${o.attempt ?? 0}`,
    podSandboxId: 'sb',
    metadata: { name, attempt: o.attempt ?? 0 },
    image: { image: 'docker.io/library/nginx:latest' },
    imageRef: 'docker.io/library/nginx@sha256:aa',
    state,
    createdAt: T0 + (o.attempt ?? 0),
    startedAt: T0 + 1000,
    finishedAt: state === 'CONTAINER_EXITED' ? T0 + 2000 : 0,
    exitCode: o.exitCode ?? 0,
    reason: state === 'CONTAINER_EXITED' ? ((o.exitCode ?? 0) === 0 ? 'Completed' : 'Error') : '',
    message: '',
    labels: {},
    annotations: {},
    mounts: [],
    logPath: '',
  };
}

function input(p: Pod, containers: Record<string, ContainerInstance[]>, o: Partial<StatusInput> = {}): StatusInput {
  const runtime: RuntimePod = { sandbox, sandboxes: [sandbox], containers: new Map(Object.entries(containers)) };
  return { pod: p, runtime, waiting: new Map<string, Waiting>(), prober: runningIsReadyProber, hostIP: '172.16.0.1', now: T0 + 5000, runtimeName: 'fake', startTime: T0, ...o };
}

const crashLoop = new Map<string, Waiting>([['app', { reason: 'CrashLoopBackOff', message: 'back-off 10s' }]]);

describe('generatePodStatus phases', () => {
  it('derives the phase from container states and restartPolicy', () => {
    const phase = (spec: Partial<NonNullable<Pod['spec']>>, c: ContainerInstance[], o: Partial<StatusInput> = {}): string | undefined =>
      generatePodStatus(input(pod(spec), { app: c }, o)).phase;
    assert.equal(phase({}, []), 'Pending');
    assert.equal(phase({}, [inst('app', 'CONTAINER_RUNNING')]), 'Running');
    assert.equal(phase({ restartPolicy: 'Always' }, [inst('app', 'CONTAINER_EXITED', { exitCode: 0 })]), 'Running');
    assert.equal(phase({ restartPolicy: 'Always' }, [inst('app', 'CONTAINER_EXITED', { exitCode: 1 })], { waiting: crashLoop }), 'Running');
    assert.equal(phase({ restartPolicy: 'OnFailure' }, [inst('app', 'CONTAINER_EXITED', { exitCode: 0 })]), 'Succeeded');
    assert.equal(phase({ restartPolicy: 'OnFailure' }, [inst('app', 'CONTAINER_EXITED', { exitCode: 2 })], { waiting: crashLoop }), 'Running');
    assert.equal(phase({ restartPolicy: 'Never' }, [inst('app', 'CONTAINER_EXITED', { exitCode: 2 })]), 'Failed');
    assert.equal(phase({ restartPolicy: 'Never' }, [inst('app', 'CONTAINER_EXITED', { exitCode: 0 })]), 'Succeeded');
    // A pod being deleted ends Succeeded only if every container exited 0.
    assert.equal(phase({}, [inst('app', 'CONTAINER_EXITED', { exitCode: 0 })], { podIsTerminal: true }), 'Succeeded');
    assert.equal(phase({}, [inst('app', 'CONTAINER_EXITED', { exitCode: 137 })], { podIsTerminal: true }), 'Failed');
  });

  it('keeps pods with unfinished init containers Pending, and fails them under restartPolicy Never', () => {
    const spec = { initContainers: [{ name: 'init', image: 'busybox' }] };
    const pending = generatePodStatus(input(pod(spec), { init: [inst('init', 'CONTAINER_RUNNING')] }));
    assert.equal(pending.phase, 'Pending');
    assert.equal(pending.containerStatuses?.[0]?.state?.waiting?.reason, 'PodInitializing');
    const initialized = pending.conditions?.find((c) => c.type === 'Initialized');
    assert.equal(initialized?.status, 'False');
    assert.equal(initialized?.message, 'containers with incomplete status: [init]');
    const failed = generatePodStatus(input(pod({ ...spec, restartPolicy: 'Never' }), { init: [inst('init', 'CONTAINER_EXITED', { exitCode: 1 })] }));
    assert.equal(failed.phase, 'Failed');
  });
});

describe('generatePodStatus fields', () => {
  it('reports a crash-looping container as waiting with the last run in lastState', () => {
    const s = generatePodStatus(input(pod({}), { app: [inst('app', 'CONTAINER_EXITED', { exitCode: 1, attempt: 3 }), inst('app', 'CONTAINER_EXITED', { exitCode: 1, attempt: 2 })] }, { waiting: crashLoop }));
    const cs = s.containerStatuses?.[0];
    assert.deepEqual(cs?.state, { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s' } });
    assert.equal(cs?.lastState?.terminated?.exitCode, 1);
    assert.equal(cs?.lastState?.terminated?.containerID, 'fake://app-3');
    assert.equal(cs?.restartCount, 3);
    assert.equal(cs?.ready, false);
  });

  it('keeps transition times of unchanged conditions and stamps changed ones', () => {
    const old = '2024-06-01T00:00:00Z';
    const p = pod({}, {
      phase: 'Pending',
      conditions: [
        { type: 'PodScheduled', status: 'True', lastTransitionTime: old },
        { type: 'Ready', status: 'False', lastTransitionTime: old, reason: 'ContainersNotReady' },
        { type: 'DisruptionTarget', status: 'True', lastTransitionTime: old },
      ],
    });
    const s = generatePodStatus(input(p, { app: [inst('app', 'CONTAINER_RUNNING')] }));
    const by = (t: string) => s.conditions?.find((c) => c.type === t);
    assert.equal(by('PodScheduled')?.lastTransitionTime, old);
    assert.equal(by('Ready')?.status, 'True');
    assert.equal(by('Ready')?.lastTransitionTime, '2025-01-01T00:00:05Z');
    assert.equal(by('Ready')?.reason, undefined);
    assert.equal(by('DisruptionTarget')?.status, 'True', 'conditions owned by others are kept');
  });

  it('holds Ready back until readiness gates are True', () => {
    const p = pod({ readinessGates: [{ conditionType: 'example.com/lb' }] });
    const s = generatePodStatus(input(p, { app: [inst('app', 'CONTAINER_RUNNING')] }));
    assert.equal(s.conditions?.find((c) => c.type === 'ContainersReady')?.status, 'True');
    assert.equal(s.conditions?.find((c) => c.type === 'Ready')?.status, 'False');
    const gated = pod({ readinessGates: [{ conditionType: 'example.com/lb' }] }, { conditions: [{ type: 'example.com/lb', status: 'True' }] });
    assert.equal(generatePodStatus(input(gated, { app: [inst('app', 'CONTAINER_RUNNING')] })).conditions?.find((c) => c.type === 'Ready')?.status, 'True');
  });

  it('uses the host IP for host-network pods and shows ContainerCreating before the first start', () => {
    const s = generatePodStatus(input(pod({ hostNetwork: true }), {}));
    assert.equal(s.podIP, '172.16.0.1');
    assert.equal(s.containerStatuses?.[0]?.state?.waiting?.reason, 'ContainerCreating');
    assert.equal(s.containerStatuses?.[0]?.image, 'nginx');
    assert.equal(s.startTime, '2025-01-01T00:00:00Z');
  });
});
