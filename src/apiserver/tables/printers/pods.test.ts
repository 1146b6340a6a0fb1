// Tests for the pods table, above all the STATUS derivation (init containers, sidecars, waiting
// and terminated reasons, Terminating) and RESTARTS with the time since the last restart.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiObject } from '../../../api/kind.js';
import { pods } from './pods.js';

const NOW = new Date('2024-05-01T12:00:00Z');
const CREATED = '2024-05-01T11:55:00Z'; // 5m before NOW

interface PodInput {
  containers?: number;
  init?: { name: string; restartPolicy?: string }[];
  status?: Record<string, unknown>;
  deletionTimestamp?: string;
  spec?: Record<string, unknown>;
}

function pod(p: PodInput): ApiObject {
  const containers = Array.from({ length: p.containers ?? 1 }, (_, i) => ({ name: `c${i}`, image: 'busybox' }));
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web-1',
      namespace: 'default',
      creationTimestamp: CREATED,
      ...(p.deletionTimestamp ? { deletionTimestamp: p.deletionTimestamp } : {}),
    },
    spec: { containers, ...(p.init ? { initContainers: p.init } : {}), ...p.spec },
    status: p.status ?? {},
  };
}

const running = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  ready: true,
  started: true,
  restartCount: 0,
  state: { running: { startedAt: CREATED } },
  ...extra,
});
const waiting = (name: string, reason: string, extra: Record<string, unknown> = {}) => ({
  name,
  ready: false,
  restartCount: 0,
  state: { waiting: { reason } },
  ...extra,
});
const terminated = (name: string, t: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  name,
  ready: false,
  restartCount: 0,
  state: { terminated: t },
  ...extra,
});

const cells = (o: ApiObject) => pods.cells(o, NOW);
const status = (o: ApiObject) => cells(o)[2];

describe('pods table', () => {
  it('has the Kubernetes columns, wide ones at priority 1', () => {
    assert.deepEqual(
      pods.columns.map((c) => [c.name, c.priority]),
      [
        ['Name', 0],
        ['Ready', 0],
        ['Status', 0],
        ['Restarts', 0],
        ['Age', 0],
        ['IP', 1],
        ['Node', 1],
        ['Nominated Node', 1],
        ['Readiness Gates', 1],
      ],
    );
    assert.equal(pods.columns[0]?.format, 'name');
  });

  it('prints a running pod', () => {
    const o = pod({
      containers: 2,
      spec: { nodeName: 'node-a' },
      status: {
        phase: 'Running',
        podIP: '10.42.0.7',
        podIPs: [{ ip: '10.42.0.7' }],
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [running('c0'), running('c1')],
      },
    });
    assert.deepEqual(cells(o), ['web-1', '2/2', 'Running', '0', '5m', '10.42.0.7', 'node-a', '<none>', '<none>']);
  });

  it('a pending, unscheduled pod', () => {
    assert.deepEqual(cells(pod({ status: { phase: 'Pending' } })), ['web-1', '0/1', 'Pending', '0', '5m', '<none>', '<none>', '<none>', '<none>']);
  });

  it('shows restarts with how long ago the last one was', () => {
    const o = pod({
      status: {
        phase: 'Running',
        containerStatuses: [
          running('c0', { restartCount: 3, lastState: { terminated: { exitCode: 1, finishedAt: '2024-05-01T11:58:00Z' } } }),
        ],
      },
    });
    assert.equal(cells(o)[3], '3 (2m ago)');
  });

  it('CrashLoopBackOff and image pull errors come from the waiting reason', () => {
    const crash = pod({
      status: { phase: 'Running', containerStatuses: [waiting('c0', 'CrashLoopBackOff', { restartCount: 4 })] },
    });
    assert.deepEqual(cells(crash).slice(1, 4), ['0/1', 'CrashLoopBackOff', '4']);
    const pull = pod({ status: { phase: 'Pending', containerStatuses: [waiting('c0', 'ErrImagePull')] } });
    assert.equal(status(pull), 'ErrImagePull');
    const creating = pod({ status: { phase: 'Pending', containerStatuses: [waiting('c0', 'ContainerCreating')] } });
    assert.equal(status(creating), 'ContainerCreating');
  });

  it('terminated containers show their reason, signal or exit code', () => {
    const done = pod({ status: { phase: 'Succeeded', containerStatuses: [terminated('c0', { exitCode: 0, reason: 'Completed' })] } });
    assert.equal(status(done), 'Completed');
    const err = pod({ status: { phase: 'Failed', containerStatuses: [terminated('c0', { exitCode: 1, reason: 'Error' })] } });
    assert.equal(status(err), 'Error');
    const oom = pod({ status: { phase: 'Running', containerStatuses: [terminated('c0', { exitCode: 137, reason: 'OOMKilled' })] } });
    assert.equal(status(oom), 'OOMKilled');
    assert.equal(status(pod({ status: { phase: 'Failed', containerStatuses: [terminated('c0', { exitCode: 2 })] } })), 'ExitCode:2');
    assert.equal(status(pod({ status: { phase: 'Failed', containerStatuses: [terminated('c0', { exitCode: 0, signal: 9 })] } })), 'Signal:9');
  });

  it('the first container decides when several have a reason', () => {
    const o = pod({
      containers: 2,
      status: { phase: 'Running', containerStatuses: [waiting('c0', 'CrashLoopBackOff'), waiting('c1', 'ImagePullBackOff')] },
    });
    assert.equal(status(o), 'CrashLoopBackOff');
  });

  it('Completed with a container still running reads Running or NotReady', () => {
    const base = {
      phase: 'Running',
      containerStatuses: [terminated('c0', { exitCode: 0, reason: 'Completed' }), running('c1')],
    };
    // c1 is later in the list, so c0 (first) sets the reason last: Completed.
    assert.equal(status(pod({ containers: 2, status: { ...base, conditions: [{ type: 'Ready', status: 'True' }] } })), 'Running');
    assert.equal(status(pod({ containers: 2, status: { ...base, conditions: [{ type: 'Ready', status: 'False' }] } })), 'NotReady');
  });

  it('init containers: progress, failures and waiting reasons', () => {
    const init = [{ name: 'i0' }, { name: 'i1' }];
    const progress = pod({
      init,
      status: {
        phase: 'Pending',
        initContainerStatuses: [terminated('i0', { exitCode: 0, reason: 'Completed' }), running('i1', { ready: false })],
        containerStatuses: [waiting('c0', 'PodInitializing')],
      },
    });
    assert.deepEqual(cells(progress).slice(1, 4), ['0/1', 'Init:1/2', '0']);

    const crash = pod({
      init,
      status: {
        phase: 'Pending',
        initContainerStatuses: [
          waiting('i0', 'CrashLoopBackOff', { restartCount: 5, lastState: { terminated: { exitCode: 1, finishedAt: '2024-05-01T11:59:30Z' } } }),
          waiting('i1', 'PodInitializing'),
        ],
        containerStatuses: [waiting('c0', 'PodInitializing')],
      },
    });
    assert.deepEqual(cells(crash).slice(2, 4), ['Init:CrashLoopBackOff', '5 (30s ago)']);

    const failed = pod({
      init,
      status: { phase: 'Failed', initContainerStatuses: [terminated('i0', { exitCode: 1, reason: 'Error' })] },
    });
    assert.equal(status(failed), 'Init:Error');
    assert.equal(status(pod({ init, status: { phase: 'Pending', initContainerStatuses: [terminated('i0', { exitCode: 3 })] } })), 'Init:ExitCode:3');
    assert.equal(status(pod({ init, status: { phase: 'Pending', initContainerStatuses: [waiting('i0', 'PodInitializing')] } })), 'Init:0/2');
    assert.equal(status(pod({ init, status: { phase: 'Pending', initContainerStatuses: [waiting('i0', 'ErrImagePull')] } })), 'Init:ErrImagePull');
  });

  it('PodInitializing once init containers are done', () => {
    const o = pod({
      init: [{ name: 'i0' }],
      status: {
        phase: 'Pending',
        conditions: [{ type: 'Initialized', status: 'True' }],
        initContainerStatuses: [terminated('i0', { exitCode: 0, reason: 'Completed' }, { restartCount: 2 })],
        containerStatuses: [waiting('c0', 'PodInitializing')],
      },
    });
    // Restarts of finished init containers no longer count.
    assert.deepEqual(cells(o).slice(1, 4), ['0/1', 'PodInitializing', '0']);
  });

  it('sidecars count towards READY and their restarts stay counted', () => {
    const o = pod({
      init: [{ name: 'proxy', restartPolicy: 'Always' }],
      status: {
        phase: 'Running',
        conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }],
        initContainerStatuses: [running('proxy', { restartCount: 1 })],
        containerStatuses: [running('c0')],
      },
    });
    assert.deepEqual(cells(o).slice(1, 4), ['2/2', 'Running', '1']);
  });

  it('Terminating while being deleted, Unknown when the node is lost', () => {
    const base = { phase: 'Running', containerStatuses: [running('c0')] };
    assert.equal(status(pod({ deletionTimestamp: '2024-05-01T11:59:00Z', status: base })), 'Terminating');
    assert.equal(status(pod({ deletionTimestamp: '2024-05-01T11:59:00Z', status: { ...base, reason: 'NodeLost' } })), 'Unknown');
    const done = { phase: 'Succeeded', containerStatuses: [terminated('c0', { exitCode: 0, reason: 'Completed' })] };
    assert.equal(status(pod({ deletionTimestamp: '2024-05-01T11:59:00Z', status: done })), 'Completed');
  });

  it('status.reason and scheduling gates override the phase', () => {
    assert.equal(status(pod({ status: { phase: 'Failed', reason: 'Evicted' } })), 'Evicted');
    const gated = pod({ status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] } });
    assert.equal(status(gated), 'SchedulingGated');
  });

  it('wide columns: nominated node and readiness gates', () => {
    const o = pod({
      spec: { readinessGates: [{ conditionType: 'lb/ready' }, { conditionType: 'other' }] },
      status: {
        phase: 'Pending',
        nominatedNodeName: 'node-b',
        conditions: [{ type: 'lb/ready', status: 'True' }],
      },
    });
    assert.deepEqual(cells(o).slice(5), ['<none>', '<none>', 'node-b', '1/2']);
  });

  it('marks finished pods with a Completed row condition', () => {
    assert.equal(pods.conditions?.(pod({ status: { phase: 'Succeeded' } }))?.[0]?.reason, 'Succeeded');
    assert.equal(pods.conditions?.(pod({ status: { phase: 'Failed' } }))?.[0]?.type, 'Completed');
    assert.equal(pods.conditions?.(pod({ status: { phase: 'Running' } })), undefined);
  });
});
