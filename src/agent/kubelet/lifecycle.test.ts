// Unit tests of lifecycle hooks on the fake runtime, recording the order of runtime calls: a
// container starts before its postStart hook runs, a failing postStart kills it and leaves it
// waiting with PostStartHookError, preStop runs before the stop request (whose grace period is
// what the hook left, at least 2 s), a failing preStop is reported and the stop goes on, and a
// sleep hook waits on the kubelet's clock.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from '../../api/core/v1/index.js';
import type { ApiObject } from '../../api/kind.js';
import type { Clock } from '../../lib/workqueue.js';
import { FakeRuntime, type PodSandboxConfig, type Runtime } from '../cri/index.js';
import { startContainer } from './container-start.js';
import { killContainer } from './container-stop.js';
import { sandboxConfigFor, type PodContainer } from './pod-config.js';
import type { PodRun } from './pod-setup.js';
import { RestartBackoff } from './restart-backoff.js';
import { readRuntimePod } from './runtime-pod.js';

/** A clock whose timers fire at once but whose time moves by what they waited. */
class ImpatientClock implements Clock {
  t = 1_000_000;
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): { cancel(): void } {
    queueMicrotask(() => {
      this.t += ms;
      fn();
    });
    return { cancel: () => undefined };
  }
}

function recording(rt: FakeRuntime, calls: string[]): Runtime {
  return new Proxy(rt, {
    get(target, prop, receiver) {
      const v: unknown = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        if (prop === 'execSync') calls.push(`exec ${(args[0] as { cmd: string[] }).cmd.join(' ')}`);
        if (prop === 'startContainer') calls.push('start');
        if (prop === 'stopContainer') calls.push(`stop grace=${String(args[1])}`);
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

const noObjects = { configMap: () => Promise.resolve(undefined), secret: () => Promise.resolve(undefined), services: () => Promise.resolve([]) };

async function setup(c: PodContainer): Promise<{ pod: Pod; rt: Runtime; calls: string[]; events: string[]; clock: ImpatientClock; run: PodRun; sandboxId: string; sandboxConfig: PodSandboxConfig }> {
  const fake = new FakeRuntime();
  const calls: string[] = [];
  const rt = recording(fake, calls);
  const pod: Pod = { metadata: { name: 'p', namespace: 'ns', uid: 'u-hooks' }, spec: { terminationGracePeriodSeconds: 30, containers: [c] } };
  const sandboxConfig = sandboxConfigFor(pod, 0);
  const sandboxId = await rt.runPodSandbox({ config: sandboxConfig });
  const events: string[] = [];
  const run: PodRun = { pod, extras: {}, volumes: undefined, blocking: [], stale: [], addresses: { podIPs: ['10.244.0.9'], hostIPs: ['1.1.1.1'] }, hostsFile: undefined };
  return { pod, rt, calls, events, clock: new ImpatientClock(), run, sandboxId, sandboxConfig };
}

async function start(s: Awaited<ReturnType<typeof setup>>): Promise<Awaited<ReturnType<typeof startContainer>>> {
  const recorder = { event: (_o: ApiObject, type: string, reason: string, msg: string): void => void s.events.push(`${type} ${reason} ${msg}`) };
  return startContainer(
    { runtime: s.rt, recorder, backoff: new RestartBackoff(s.clock, { initialMs: 10, maxMs: 100 }), clock: s.clock, objects: noObjects, allocatable: {}, memoryCapacity: 2 ** 30, hooks: true, pullErrors: new Map() },
    { uid: 'u-hooks', pod: s.pod, run: s.run, container: s.pod.spec?.containers[0] as PodContainer, kind: 'app', attempt: 0, sandbox: await s.rt.podSandboxStatus(s.sandboxId), sandboxConfig: s.sandboxConfig },
  );
}

describe('lifecycle hooks', () => {
  it('runs postStart after the container started', async () => {
    const s = await setup({ name: 'app', image: 'busybox:1.36', lifecycle: { postStart: { exec: { command: ['echo', 'started'] } } } });
    const r = await start(s);
    assert.equal(r.started, true);
    assert.deepEqual(s.calls, ['start', 'exec echo started']);
    assert.ok(s.events.includes('Normal Started Started container app'));
  });

  it('kills the container when postStart fails and reports PostStartHookError', async () => {
    const s = await setup({ name: 'app', image: 'busybox:1.36', lifecycle: { postStart: { exec: { command: ['false'] } }, preStop: { exec: { command: ['echo', 'bye'] } } } });
    const r = await start(s);
    assert.equal(r.started, false);
    assert.equal(r.started === false && r.waiting.reason, 'PostStartHookError');
    assert.deepEqual(s.calls, ['start', 'exec false', 'exec echo bye', 'stop grace=30']);
    assert.ok(s.events.some((e) => /^Warning FailedPostStartHook Exec lifecycle hook \(\["false"\]\) for Container "app" in Pod "p_ns\(u-hooks\)" failed/.test(e)));
    assert.ok(s.events.includes('Normal Killing FailedPostStartHook'));
    const rp = await readRuntimePod(s.rt, 'u-hooks');
    assert.equal(rp.containers.get('app')?.[0]?.state, 'CONTAINER_EXITED');
  });

  it('runs preStop before stopping, with the rest of the grace period', async () => {
    const s = await setup({ name: 'app', image: 'busybox:1.36', lifecycle: { preStop: { sleep: { seconds: 5 } } } });
    await start(s);
    const inst = (await readRuntimePod(s.rt, 'u-hooks')).containers.get('app')?.[0];
    assert.ok(inst);
    s.calls.length = 0;
    const recorder = { event: (_o: ApiObject, type: string, reason: string, msg: string): void => void s.events.push(`${type} ${reason} ${msg}`) };
    const before = s.clock.now();
    await killContainer({ runtime: s.rt, recorder, clock: s.clock, hooks: true }, { pod: s.pod, spec: s.pod.spec?.containers[0], instance: inst, graceSeconds: 30, message: 'Stopping container app', podIP: '10.244.0.9' });
    assert.equal(s.clock.now() - before, 5000, 'the sleep hook waited 5 s on the clock');
    assert.deepEqual(s.calls, ['stop grace=25']);
    assert.ok(s.events.includes('Normal Killing Stopping container app'));
  });

  it('reports a failing preStop and still stops the container', async () => {
    const s = await setup({ name: 'app', image: 'busybox:1.36', lifecycle: { preStop: { exec: { command: ['sh', '-c', 'exit 3'] } } } });
    await start(s);
    const inst = (await readRuntimePod(s.rt, 'u-hooks')).containers.get('app')?.[0];
    assert.ok(inst);
    s.calls.length = 0;
    const recorder = { event: (_o: ApiObject, type: string, reason: string, msg: string): void => void s.events.push(`${type} ${reason} ${msg}`) };
    await killContainer({ runtime: s.rt, recorder, clock: s.clock, hooks: true }, { pod: s.pod, spec: s.pod.spec?.containers[0], instance: inst, graceSeconds: 10, message: 'Stopping container app', podIP: '' });
    assert.deepEqual(s.calls, ["exec sh -c exit 3", 'stop grace=10']);
    assert.ok(s.events.some((e) => e.startsWith('Warning FailedPreStopHook Exec lifecycle hook (["sh","-c","exit 3"])')));
  });

  it('skips hooks on hollow nodes', async () => {
    const s = await setup({ name: 'app', image: 'busybox:1.36', lifecycle: { preStop: { exec: { command: ['echo'] } } } });
    await start(s);
    const inst = (await readRuntimePod(s.rt, 'u-hooks')).containers.get('app')?.[0];
    assert.ok(inst);
    s.calls.length = 0;
    await killContainer({ runtime: s.rt, recorder: { event: () => undefined }, clock: s.clock, hooks: false }, { pod: s.pod, spec: s.pod.spec?.containers[0], instance: inst, graceSeconds: 10, message: 'x', podIP: '' });
    assert.deepEqual(s.calls, ['stop grace=10']);
  });
});
