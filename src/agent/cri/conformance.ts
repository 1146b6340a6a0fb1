// The one conformance suite every Runtime implementation runs (the fake now, containerd in issue
// #4): it pins down the contract of runtime.ts as tests — sandbox and container lifecycles,
// filters, idempotent stop/remove, NotFound errors, images and exec — so the kubelet can rely on
// the same behaviour whichever runtime is underneath. A runtime's test file calls
// `runRuntimeConformance` with a factory; the suite shares one runtime and gives each test its
// own sandboxes (distinct pod uids), because starting a real containerd per test is slow.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { RuntimeNotFoundError, type ContainerConfig, type ContainerEvent, type PodSandboxConfig, type Runtime } from './runtime.js';

export interface RuntimeFixture {
  runtime: Runtime;
  /** An image the runtime can pull. */
  image: string;
  /** A command that keeps a container running until it is stopped, e.g. `['sleep', '3600']`. */
  longRunningCommand: string[];
  /** Where sandboxes' log directories go (default /tmp/conformance-logs); real runtimes write there. */
  logRoot?: string;
  cleanup(): Promise<void>;
}

const UID_LABEL = 'io.kubernetes.pod.uid';

function sandboxConfig(name: string, logRoot = '/tmp/conformance-logs'): PodSandboxConfig {
  const uid = randomUUID();
  return {
    metadata: { name, uid, namespace: 'conformance', attempt: 0 },
    hostname: name,
    logDirectory: `${logRoot}/${uid}`,
    labels: { [UID_LABEL]: uid, 'conformance.tugboat.dev/suite': 'runtime' },
    annotations: { 'conformance.tugboat.dev/note': name },
  };
}

async function poll(what: string, fn: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function runRuntimeConformance(name: string, factory: () => Promise<RuntimeFixture>): void {
  describe(`Runtime conformance: ${name}`, () => {
    let fx: RuntimeFixture;
    let rt: Runtime;
    before(async () => {
      fx = await factory();
      rt = fx.runtime;
      await rt.pullImage({ image: { image: fx.image } });
    });
    after(() => fx.cleanup());

    const sandbox = (name: string): PodSandboxConfig => sandboxConfig(name, fx.logRoot);

    const containerConfig = (sb: PodSandboxConfig, cname: string): ContainerConfig => ({
      metadata: { name: cname, attempt: 0 },
      image: { image: fx.image },
      command: fx.longRunningCommand,
      labels: { [UID_LABEL]: sb.metadata.uid, 'io.kubernetes.container.name': cname },
      annotations: { 'conformance.tugboat.dev/container': cname },
      logPath: `${cname}/0.log`,
    });

    /** A ready sandbox with one running container. */
    async function running(sbName: string): Promise<{ sb: PodSandboxConfig; sandboxId: string; containerId: string }> {
      const sb = sandbox(sbName);
      const sandboxId = await rt.runPodSandbox({ config: sb });
      const containerId = await rt.createContainer({ podSandboxId: sandboxId, config: containerConfig(sb, 'main'), sandboxConfig: sb });
      await rt.startContainer(containerId);
      return { sb, sandboxId, containerId };
    }

    it('reports its version and readiness', async () => {
      const v = await rt.version();
      assert.equal(v.runtimeApiVersion, 'v1');
      assert.ok(v.runtimeName.length > 0 && v.runtimeVersion.length > 0);
      const conditions = await rt.status();
      assert.equal(conditions.find((c) => c.type === 'RuntimeReady')?.status, true);
      assert.ok(conditions.some((c) => c.type === 'NetworkReady'));
    });

    it('pulls images and reports them; unknown images are absent', async () => {
      const ref = await rt.pullImage({ image: { image: fx.image } });
      assert.ok(ref.length > 0);
      const img = await rt.imageStatus({ image: fx.image });
      assert.ok(img && img.id.length > 0);
      assert.ok((await rt.listImages()).some((i) => i.id === img.id));
      assert.equal(await rt.imageStatus({ image: 'localhost/tugboat-conformance-missing:never' }), undefined);
    });

    it('runs a sandbox with an IP and reports, lists, stops and removes it', async () => {
      const sb = sandbox('sandbox-lifecycle');
      const id = await rt.runPodSandbox({ config: sb });
      const st = await rt.podSandboxStatus(id);
      assert.equal(st.id, id);
      assert.equal(st.state, 'SANDBOX_READY');
      assert.deepEqual(st.metadata, sb.metadata);
      assert.equal(st.labels[UID_LABEL], sb.metadata.uid);
      assert.equal(st.annotations['conformance.tugboat.dev/note'], 'sandbox-lifecycle');
      assert.match(st.network?.ip ?? '', /^\d+\.\d+\.\d+\.\d+$/);
      assert.ok(st.createdAt > 0);

      const byLabel = await rt.listPodSandbox({ labelSelector: { [UID_LABEL]: sb.metadata.uid } });
      assert.deepEqual(byLabel.map((s) => s.id), [id]);
      assert.deepEqual((await rt.listPodSandbox({ id })).map((s) => s.id), [id]);
      assert.ok(!(await rt.listPodSandbox({ state: 'SANDBOX_NOTREADY' })).some((s) => s.id === id));

      await rt.stopPodSandbox(id);
      assert.equal((await rt.podSandboxStatus(id)).state, 'SANDBOX_NOTREADY');
      assert.ok((await rt.listPodSandbox({ state: 'SANDBOX_NOTREADY' })).some((s) => s.id === id));
      await rt.stopPodSandbox(id);

      await rt.removePodSandbox(id);
      await assert.rejects(rt.podSandboxStatus(id), RuntimeNotFoundError);
      assert.deepEqual(await rt.listPodSandbox({ labelSelector: { [UID_LABEL]: sb.metadata.uid } }), []);
      await rt.removePodSandbox(id);
      await rt.stopPodSandbox('0123456789abcdef-unknown');
    });

    it('gives concurrent sandboxes distinct IPs', async () => {
      const ids = await Promise.all([1, 2, 3].map((i) => rt.runPodSandbox({ config: sandbox(`ip-${i}`) })));
      const ips = await Promise.all(ids.map(async (id) => (await rt.podSandboxStatus(id)).network?.ip));
      assert.equal(new Set(ips).size, 3);
      for (const id of ids) await rt.removePodSandbox(id);
    });

    it('creates, starts, lists, stops and removes a container', async () => {
      const sb = sandbox('container-lifecycle');
      const sandboxId = await rt.runPodSandbox({ config: sb });
      const id = await rt.createContainer({ podSandboxId: sandboxId, config: containerConfig(sb, 'web'), sandboxConfig: sb });
      let st = await rt.containerStatus(id);
      assert.equal(st.state, 'CONTAINER_CREATED');
      assert.deepEqual(st.metadata, { name: 'web', attempt: 0 });
      assert.equal(st.labels['io.kubernetes.container.name'], 'web');
      assert.equal(st.annotations['conformance.tugboat.dev/container'], 'web');
      assert.ok(st.imageRef.length > 0);

      await rt.startContainer(id);
      st = await rt.containerStatus(id);
      assert.equal(st.state, 'CONTAINER_RUNNING');
      assert.ok(st.startedAt >= st.createdAt && st.startedAt > 0);
      await assert.rejects(rt.startContainer(id));

      assert.deepEqual((await rt.listContainers({ podSandboxId: sandboxId })).map((c) => c.id), [id]);
      assert.deepEqual((await rt.listContainers({ labelSelector: { [UID_LABEL]: sb.metadata.uid } })).map((c) => c.id), [id]);
      assert.ok((await rt.listContainers({ state: 'CONTAINER_RUNNING' })).some((c) => c.id === id));
      assert.ok(!(await rt.listContainers({ state: 'CONTAINER_EXITED' })).some((c) => c.id === id));
      const listed = (await rt.listContainers({ id }))[0];
      assert.equal(listed?.podSandboxId, sandboxId);
      assert.equal(listed?.metadata.name, 'web');

      await rt.stopContainer(id, 2);
      st = await rt.containerStatus(id);
      assert.equal(st.state, 'CONTAINER_EXITED');
      assert.ok(st.finishedAt >= st.startedAt);
      await rt.stopContainer(id, 2);

      await rt.removeContainer(id);
      await assert.rejects(rt.containerStatus(id), RuntimeNotFoundError);
      await rt.removeContainer(id);
      await rt.stopContainer(id, 0);
      await rt.removePodSandbox(sandboxId);
    });

    it('refuses containers in unknown sandboxes', async () => {
      const sb = sandbox('no-sandbox');
      await assert.rejects(rt.createContainer({ podSandboxId: 'no-such-sandbox', config: containerConfig(sb, 'x'), sandboxConfig: sb }));
    });

    it('runs commands in running containers only', async () => {
      const { sandboxId, containerId } = await running('exec');
      const ok = await rt.execSync({ containerId, cmd: ['sh', '-c', 'echo hello'], timeoutSeconds: 10 });
      assert.equal(ok.exitCode, 0);
      assert.equal(ok.stdout.toString(), 'hello\n');
      const failed = await rt.execSync({ containerId, cmd: ['sh', '-c', 'exit 3'], timeoutSeconds: 10 });
      assert.equal(failed.exitCode, 3);
      await rt.stopContainer(containerId, 0);
      await assert.rejects(rt.execSync({ containerId, cmd: ['true'] }));
      await rt.removePodSandbox(sandboxId);
    });

    it('stops every container with its sandbox and removes them with it', async () => {
      const { sb, sandboxId, containerId } = await running('sandbox-stop');
      await rt.stopPodSandbox(sandboxId);
      assert.equal((await rt.containerStatus(containerId)).state, 'CONTAINER_EXITED');
      await rt.removePodSandbox(sandboxId);
      assert.deepEqual(await rt.listContainers({ labelSelector: { [UID_LABEL]: sb.metadata.uid } }), []);
    });

    it('streams container events when it supports them', async (t) => {
      if (!rt.containerEvents) return t.skip('no container events');
      const ac = new AbortController();
      const seen: ContainerEvent[] = [];
      rt.containerEvents(ac.signal, (e) => seen.push(e));
      try {
        const { sb, sandboxId, containerId } = await running('events');
        await poll('a started event', () => seen.some((e) => e.containerId === containerId && e.type === 'CONTAINER_STARTED_EVENT'));
        const started = seen.find((e) => e.containerId === containerId && e.type === 'CONTAINER_STARTED_EVENT');
        assert.equal(started?.podSandboxId, sandboxId);
        assert.equal(started?.sandboxLabels[UID_LABEL], sb.metadata.uid);
        await rt.stopContainer(containerId, 0);
        await poll('a stopped event', () => seen.some((e) => e.containerId === containerId && e.type === 'CONTAINER_STOPPED_EVENT'));
        await rt.removePodSandbox(sandboxId);
      } finally {
        ac.abort();
      }
    });
  });
}
