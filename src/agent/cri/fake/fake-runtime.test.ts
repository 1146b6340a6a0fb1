// Runs the Runtime conformance suite on the fake runtime, then checks what only the fake does:
// the tugboat.dev/fake-* annotations (exit codes, run and stop times on an injected clock), pod
// IPs from the node's podCIDR or the fallback range, and containerd-style image names.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Clock } from '../../../lib/workqueue.js';
import { runRuntimeConformance } from '../conformance.js';
import type { PodSandboxConfig } from '../runtime.js';
import { CONTAINER_KIND } from './annotations.js';
import { FakeRuntime } from './fake-runtime.js';
import { normalizeImageName } from './images.js';

runRuntimeConformance('fake', () =>
  Promise.resolve({ runtime: new FakeRuntime(), image: 'busybox', longRunningCommand: ['sleep', '3600'], cleanup: () => Promise.resolve() }),
);

/** A clock that only moves when told to. */
class ManualClock implements Clock {
  private t = 1_700_000_000_000;
  private timers: { at: number; fn: () => void; live: boolean }[] = [];
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): { cancel(): void } {
    const timer = { at: this.t + ms, fn, live: true };
    this.timers.push(timer);
    return { cancel: () => (timer.live = false) };
  }
  advance(ms: number): void {
    this.t += ms;
    for (;;) {
      const due = this.timers.filter((x) => x.live && x.at <= this.t).sort((a, b) => a.at - b.at)[0];
      if (!due) return;
      due.live = false;
      due.fn();
    }
  }
}

const sandbox = (annotations: Record<string, string>, network: 'POD' | 'NODE' = 'POD'): PodSandboxConfig => ({
  metadata: { name: 'p', uid: 'u1', namespace: 'default', attempt: 0 },
  labels: {},
  annotations,
  linux: { securityContext: { namespaceOptions: { network } } },
});

async function startOne(rt: FakeRuntime, annotations: Record<string, string>, opts: { name?: string; kind?: string } = {}): Promise<string> {
  const sb = sandbox(annotations);
  const sandboxId = await rt.runPodSandbox({ config: sb });
  await rt.pullImage({ image: { image: 'busybox' } });
  const id = await rt.createContainer({
    podSandboxId: sandboxId,
    config: { metadata: { name: opts.name ?? 'c', attempt: 0 }, image: { image: 'busybox' }, labels: {}, annotations: { [CONTAINER_KIND]: opts.kind ?? 'app' } },
    sandboxConfig: sb,
  });
  await rt.startContainer(id);
  return id;
}

describe('FakeRuntime annotations', () => {
  it('keeps containers running without annotations', async () => {
    const clock = new ManualClock();
    const rt = new FakeRuntime({ clock });
    const id = await startOne(rt, {});
    clock.advance(3_600_000);
    assert.equal((await rt.containerStatus(id)).state, 'CONTAINER_RUNNING');
  });

  it('exits with fake-exit-code after fake-run-seconds', async () => {
    const clock = new ManualClock();
    const rt = new FakeRuntime({ clock });
    const id = await startOne(rt, { 'tugboat.dev/fake-exit-code': '3', 'tugboat.dev/fake-run-seconds': '5' });
    clock.advance(4_999);
    assert.equal((await rt.containerStatus(id)).state, 'CONTAINER_RUNNING');
    clock.advance(1);
    const st = await rt.containerStatus(id);
    assert.equal(st.state, 'CONTAINER_EXITED');
    assert.equal(st.exitCode, 3);
    assert.equal(st.reason, 'Error');
    assert.equal(st.finishedAt - st.startedAt, 5_000);
  });

  it('lets a per-container annotation override the pod-wide one', async () => {
    const clock = new ManualClock();
    const rt = new FakeRuntime({ clock });
    const ann = { 'tugboat.dev/fake-exit-code': '1', 'tugboat.dev/fake-exit-code.ok': '0' };
    const bad = await startOne(rt, ann, { name: 'bad' });
    const ok = await startOne(rt, ann, { name: 'ok' });
    clock.advance(0);
    assert.equal((await rt.containerStatus(bad)).exitCode, 1);
    const st = await rt.containerStatus(ok);
    assert.equal(st.exitCode, 0);
    assert.equal(st.reason, 'Completed');
  });

  it('completes init containers, failing them only when told to', async () => {
    const clock = new ManualClock();
    const rt = new FakeRuntime({ clock });
    const init = await startOne(rt, { 'tugboat.dev/fake-exit-code': '1' }, { kind: 'init' });
    const failing = await startOne(rt, { 'tugboat.dev/fake-init-exit-code': '2' }, { kind: 'init' });
    clock.advance(0);
    assert.equal((await rt.containerStatus(init)).exitCode, 0);
    assert.equal((await rt.containerStatus(failing)).exitCode, 2);
  });

  it('stops after fake-stop-seconds, or kills at the grace period', async () => {
    const clock = new ManualClock();
    const rt = new FakeRuntime({ clock });
    const graceful = await startOne(rt, { 'tugboat.dev/fake-stop-seconds': '3' });
    let done = false;
    const stopping = rt.stopContainer(graceful, 30).then(() => (done = true));
    clock.advance(2_000);
    await Promise.resolve();
    assert.equal(done, false);
    clock.advance(1_000);
    await stopping;
    assert.equal((await rt.containerStatus(graceful)).exitCode, 0);

    const slow = await startOne(rt, { 'tugboat.dev/fake-stop-seconds': '60' });
    const killing = rt.stopContainer(slow, 10);
    clock.advance(10_000);
    await killing;
    const st = await rt.containerStatus(slow);
    assert.equal(st.exitCode, 137);
    assert.equal(st.finishedAt - st.startedAt, 10_000);
  });
});

describe('FakeRuntime networking and images', () => {
  it('allocates from the fallback range, then from the pod CIDR, reusing released addresses', async () => {
    const rt = new FakeRuntime({ fallbackPodCIDR: '10.244.7.0/24' });
    const a = await rt.runPodSandbox({ config: sandbox({}) });
    assert.equal((await rt.podSandboxStatus(a)).network?.ip, '10.244.7.2');
    await rt.updateRuntimeConfig({ podCIDR: '10.42.3.0/24' });
    const b = await rt.runPodSandbox({ config: sandbox({}) });
    const c = await rt.runPodSandbox({ config: sandbox({}) });
    assert.equal((await rt.podSandboxStatus(b)).network?.ip, '10.42.3.2');
    assert.equal((await rt.podSandboxStatus(c)).network?.ip, '10.42.3.3');
    await rt.removePodSandbox(b);
    const d = await rt.runPodSandbox({ config: sandbox({}) });
    assert.equal((await rt.podSandboxStatus(d)).network?.ip, '10.42.3.2');
  });

  it('gives host-network sandboxes no pod IP', async () => {
    const rt = new FakeRuntime();
    const id = await rt.runPodSandbox({ config: sandbox({}, 'NODE') });
    assert.equal((await rt.podSandboxStatus(id)).network?.ip, '');
  });

  it('names images as containerd does', async () => {
    assert.equal(normalizeImageName('nginx'), 'docker.io/library/nginx:latest');
    assert.equal(normalizeImageName('bitnami/redis:7'), 'docker.io/bitnami/redis:7');
    assert.equal(normalizeImageName('localhost/pause'), 'localhost/pause:latest');
    assert.equal(normalizeImageName('registry:5000/x/y@sha256:ab'), 'registry:5000/x/y@sha256:ab');
    const rt = new FakeRuntime();
    const ref = await rt.pullImage({ image: { image: 'nginx:1.27' } });
    assert.match(ref, /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
    assert.deepEqual((await rt.imageStatus({ image: 'docker.io/library/nginx:1.27' }))?.repoTags, ['docker.io/library/nginx:1.27']);
    assert.equal(await rt.imageStatus({ image: 'nginx' }), undefined);
  });
});
