// Runs the Runtime conformance suite on a real containerd (root only): our own containerd with its
// own bridge network, and the test image pulled from a real registry (Debian's docker-registry on
// loopback) through CRI PullImage. Then what only a real runtime shows: HTTP to the pod IP,
// OOMKilled, containers surviving an agent restart, streaming URLs, host-network sandboxes, and
// the raw CRI pod-start floor (RunPodSandbox + CreateContainer + StartContainer).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { pushTestImage, startTestRegistry, type TestRegistry } from '../../images/test-registry.js';
import { runRuntimeConformance } from '../conformance.js';
import type { ContainerConfig, PodSandboxConfig } from '../runtime.js';
import { startTestNode, type TestNode } from './test-node.js';

const isRoot = process.getuid?.() === 0;

interface Shared {
  node: TestNode;
  registry: TestRegistry;
  image: string;
}

let shared: Promise<Shared> | undefined;
function setUp(): Promise<Shared> {
  shared ??= (async () => {
    const registry = await startTestRegistry();
    try {
      const node = await startTestNode();
      return { node, registry, image: await pushTestImage(registry) };
    } catch (err) {
      await registry.stop();
      throw err;
    }
  })();
  return shared;
}

after(async () => {
  if (!shared) return;
  const s = await shared;
  await s.node.teardown();
  await s.registry.stop();
});

if (isRoot) {
  runRuntimeConformance('containerd', async () => {
    const s = await setUp();
    return { runtime: s.node.runtime, image: s.image, longRunningCommand: ['sleep', '3600'], logRoot: s.node.logRoot, cleanup: () => Promise.resolve() };
  });
}

function sandboxConfig(s: Shared, name: string, extra: Partial<PodSandboxConfig> = {}): PodSandboxConfig {
  const uid = randomUUID();
  return {
    metadata: { name, uid, namespace: 'containerd-test', attempt: 0 },
    hostname: name,
    logDirectory: `${s.node.logRoot}/${uid}`,
    labels: { 'io.kubernetes.pod.uid': uid },
    annotations: {},
    ...extra,
  };
}

function containerConfig(s: Shared, name: string, command: string[], extra: Partial<ContainerConfig> = {}): ContainerConfig {
  return { metadata: { name, attempt: 0 }, image: { image: s.image }, command, labels: {}, annotations: {}, logPath: `${name}/0.log`, ...extra };
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('containerd runtime', { skip: !isRoot && 'needs root' }, () => {
  let s: Shared;
  before(async () => {
    s = await setUp();
    await s.node.runtime.pullImage({ image: { image: s.image } });
  });

  it('serves HTTP from the pod IP with files from the pulled image', async () => {
    const rt = s.node.runtime;
    const sb = sandboxConfig(s, 'web');
    const sandboxId = await rt.runPodSandbox({ config: sb });
    const id = await rt.createContainer({ podSandboxId: sandboxId, sandboxConfig: sb, config: containerConfig(s, 'web', ['httpd', '-f', '-p', '8080', '-h', '/etc']) });
    await rt.startContainer(id);
    const ip = (await rt.podSandboxStatus(sandboxId)).network?.ip ?? '';
    const body = await waitFor('HTTP from the pod', async () => {
      const res = await fetch(`http://${ip}:8080/tugboat-pulled`).catch(() => undefined);
      return res?.status === 200 ? res.text() : undefined;
    });
    assert.equal(body, `pulled from ${s.image}\n`);
    const st = await rt.containerStatus(id);
    assert.match(st.imageRef, /@sha256:[0-9a-f]{64}$/);
    assert.equal(st.logPath, `${sb.logDirectory}/web/0.log`);
    await rt.removePodSandbox(sandboxId);
  });

  it('reports a container over its memory limit as OOMKilled', async () => {
    const rt = s.node.runtime;
    const sb = sandboxConfig(s, 'oom');
    const sandboxId = await rt.runPodSandbox({ config: sb });
    // `tail` keeps the whole newline-free stream in memory until the kernel kills it.
    const config = containerConfig(s, 'hog', ['sh', '-c', 'head -c 400m /dev/zero | tail'], {
      linux: { resources: { memoryLimitInBytes: 32 * 1024 * 1024, memorySwapLimitInBytes: 32 * 1024 * 1024 } },
    });
    const id = await rt.createContainer({ podSandboxId: sandboxId, sandboxConfig: sb, config });
    await rt.startContainer(id);
    const st = await waitFor('the container to exit', async () => {
      const c = await rt.containerStatus(id);
      return c.state === 'CONTAINER_EXITED' ? c : undefined;
    });
    assert.equal(st.reason, 'OOMKilled');
    assert.equal(st.exitCode, 137);
    await rt.removePodSandbox(sandboxId);
  });

  it('runs host-network sandboxes without a pod IP', async () => {
    const rt = s.node.runtime;
    const sb = sandboxConfig(s, 'hostnet', { linux: { securityContext: { namespaceOptions: { network: 'NODE', pid: 'CONTAINER', ipc: 'POD' } } } });
    const sandboxId = await rt.runPodSandbox({ config: sb });
    const st = await rt.podSandboxStatus(sandboxId);
    assert.equal(st.network?.ip, '');
    assert.equal(st.namespaceOptions?.network, 'NODE');
    await rt.removePodSandbox(sandboxId);
  });

  it('hands out loopback streaming URLs for exec, attach and port-forward', async () => {
    const rt = s.node.runtime;
    const sb = sandboxConfig(s, 'stream');
    const sandboxId = await rt.runPodSandbox({ config: sb });
    const id = await rt.createContainer({ podSandboxId: sandboxId, sandboxConfig: sb, config: containerConfig(s, 'main', ['sleep', '3600'], { stdin: true }) });
    await rt.startContainer(id);
    assert.match(await rt.exec({ containerId: id, cmd: ['sh'], stdin: true, tty: true }), /^http:\/\/127\.0\.0\.1:\d+\/exec\/\S+$/);
    assert.match(await rt.attach({ containerId: id, stdin: true, stdout: true }), /^http:\/\/127\.0\.0\.1:\d+\/attach\/\S+$/);
    assert.match(await rt.portForward({ podSandboxId: sandboxId, ports: [80] }), /^http:\/\/127\.0\.0\.1:\d+\/portforward\/\S+$/);
    await rt.updateContainerResources(id, { cpuShares: 512, memoryLimitInBytes: 64 * 1024 * 1024 });
    const limit = await rt.execSync({ containerId: id, cmd: ['cat', '/sys/fs/cgroup/memory/memory.limit_in_bytes'], timeoutSeconds: 10 });
    assert.equal(limit.stdout.toString().trim(), String(64 * 1024 * 1024));
    await rt.removePodSandbox(sandboxId);
  });

  it('reports image filesystem usage and removes images', async () => {
    const rt = s.node.runtime;
    const [fs] = await rt.imageFsInfo();
    assert.ok(fs && fs.mountpoint.includes(s.node.dir));
    const other = await pushTestImage(s.registry, { tag: 'removable' });
    await rt.pullImage({ image: { image: other } });
    assert.ok(await rt.imageStatus({ image: other }));
    await rt.removeImage({ image: other });
    assert.equal(await rt.imageStatus({ image: other }), undefined);
    await rt.removeImage({ image: other });
  });

  it('keeps containers running across an agent restart', async () => {
    const sb = sandboxConfig(s, 'survivor');
    let rt = s.node.runtime;
    const sandboxId = await rt.runPodSandbox({ config: sb });
    const id = await rt.createContainer({ podSandboxId: sandboxId, sandboxConfig: sb, config: containerConfig(s, 'main', ['sleep', '3600']) });
    await rt.startContainer(id);
    const pid = rt.containerdPid;
    await rt.close();
    rt = s.node.reopen();
    await rt.ready;
    assert.notEqual(rt.containerdPid, pid);
    assert.equal((await rt.containerStatus(id)).state, 'CONTAINER_RUNNING');
    assert.equal((await rt.podSandboxStatus(sandboxId)).state, 'SANDBOX_READY');
    assert.equal((await rt.execSync({ containerId: id, cmd: ['echo', 'still here'], timeoutSeconds: 10 })).stdout.toString(), 'still here\n');
    await rt.removePodSandbox(sandboxId);
  });

  it('restarts its containerd when it dies, keeping the containers', async () => {
    const rt = s.node.runtime;
    const sb = sandboxConfig(s, 'crash');
    const sandboxId = await rt.runPodSandbox({ config: sb });
    const id = await rt.createContainer({ podSandboxId: sandboxId, sandboxConfig: sb, config: containerConfig(s, 'main', ['sleep', '3600']) });
    await rt.startContainer(id);
    const pid = rt.containerdPid ?? 0;
    process.kill(pid, 'SIGKILL');
    await waitFor('a new containerd', () => Promise.resolve(rt.containerdPid !== pid ? true : undefined));
    assert.equal((await rt.containerStatus(id)).state, 'CONTAINER_RUNNING');
    await rt.removePodSandbox(sandboxId);
  });

  it('measures the CRI pod-start floor (sandbox + create + start)', async (t) => {
    const rt = s.node.runtime;
    const runs: { sandbox: number; create: number; start: number; total: number }[] = [];
    for (let i = 0; i < 10; i++) {
      const sb = sandboxConfig(s, `floor-${i}`);
      const t0 = performance.now();
      const sandboxId = await rt.runPodSandbox({ config: sb });
      const t1 = performance.now();
      const id = await rt.createContainer({ podSandboxId: sandboxId, sandboxConfig: sb, config: containerConfig(s, 'main', ['sleep', '3600']) });
      const t2 = performance.now();
      await rt.startContainer(id);
      const t3 = performance.now();
      runs.push({ sandbox: t1 - t0, create: t2 - t1, start: t3 - t2, total: t3 - t0 });
      await rt.removePodSandbox(sandboxId);
    }
    const p50 = (k: keyof (typeof runs)[number]): number => {
      const v = runs.map((r) => r[k]).sort((a, b) => a - b);
      return ((v[4] ?? 0) + (v[5] ?? 0)) / 2;
    };
    t.diagnostic(
      `CRI floor p50 over 10 runs: total ${p50('total').toFixed(0)} ms (RunPodSandbox ${p50('sandbox').toFixed(0)}, CreateContainer ${p50('create').toFixed(0)}, StartContainer ${p50('start').toFixed(0)}); containerd start ${s.node.runtime.containerdStartMs?.toFixed(0)} ms`,
    );
    assert.ok(p50('total') < 5_000);
  });
});
