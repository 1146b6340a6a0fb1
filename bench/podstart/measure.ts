// The two things the pod-start benchmark times. The floor: raw CRI calls on the agent's own
// containerd — RunPodSandbox (with CNI), CreateContainer, StartContainer — for the same image and
// command, as little as any kubelet on this containerd could do. The API path: a pod POSTed to
// the API server until a watch on the namespace sees it Ready (scheduler, kubelet, status write
// and watch delivery included), with the times it was bound and Running on the way. Both run
// either all at once (a batch) or one after another.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContainerdRuntime } from '../../src/agent/cri/containerd/index.js';
import type { HttpsClient } from '../api/http-client.js';

export const IMAGE = 'localhost/tugboat/busybox:1.35.0';
const COMMAND = ['sleep', '3600'];

/** Milliseconds per pod for each step it reached. */
export interface PodTimes {
  bound: number[];
  running: number[];
  ready: number[];
  /** Pods that never became Ready in time. */
  missing: number;
}

export interface FloorTimes {
  total: number[];
  sandbox: number[];
  create: number[];
  start: number[];
}

async function inParallel<T>(n: number, concurrent: boolean, fn: (i: number) => Promise<T>): Promise<T[]> {
  if (concurrent) return Promise.all(Array.from({ length: n }, (_, i) => fn(i)));
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(await fn(i));
  return out;
}

/** Times RunPodSandbox → CreateContainer → StartContainer for `count` pods, then removes them. */
export async function criFloor(rt: ContainerdRuntime, o: { count: number; concurrent: boolean; tag: string }): Promise<FloorTimes> {
  const logDir = await mkdtemp(join(tmpdir(), 'tug-podstart-floor-'));
  const ids: string[] = [];
  try {
    const runs = await inParallel(o.count, o.concurrent, async (i) => {
      const name = `floor-${o.tag}-${i}`;
      // No io.kubernetes.pod.uid label: the kubelet leaves sandboxes that are not its pods alone.
      const sandboxConfig = {
        metadata: { name, namespace: 'podstart-floor', uid: randomUUID(), attempt: 0 },
        hostname: name,
        logDirectory: join(logDir, name),
        labels: { 'tugboat.dev/bench': 'podstart-floor' },
        annotations: {},
      };
      const t0 = performance.now();
      const sandbox = await rt.runPodSandbox({ config: sandboxConfig });
      ids.push(sandbox);
      const t1 = performance.now();
      const ctr = await rt.createContainer({
        podSandboxId: sandbox,
        config: { metadata: { name: 'main', attempt: 0 }, image: { image: IMAGE }, command: COMMAND, logPath: 'main/0.log', labels: {}, annotations: {} },
        sandboxConfig,
      });
      const t2 = performance.now();
      await rt.startContainer(ctr);
      const t3 = performance.now();
      return { total: t3 - t0, sandbox: t1 - t0, create: t2 - t1, start: t3 - t2 };
    });
    return { total: runs.map((r) => r.total), sandbox: runs.map((r) => r.sandbox), create: runs.map((r) => r.create), start: runs.map((r) => r.start) };
  } finally {
    await Promise.all(
      ids.map(async (id) => {
        await rt.stopPodSandbox(id).catch(() => undefined);
        await rt.removePodSandbox(id).catch(() => undefined);
      }),
    );
    await rm(logDir, { recursive: true, force: true });
  }
}

interface WatchedPod {
  spec?: { nodeName?: string };
  metadata?: { name?: string };
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
}

const podManifest = (ns: string, name: string): unknown => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, labels: { app: 'podstart' } },
  spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'main', image: IMAGE, imagePullPolicy: 'IfNotPresent', command: COMMAND }] },
});

/** Creates `count` pods and times each from its POST to the watch event showing it Ready. */
export async function apiPodStart(http: HttpsClient, o: { ns: string; count: number; concurrent: boolean; tag: string; timeoutMs: number }): Promise<PodTimes> {
  const sent = new Map<string, number>();
  const seen = { bound: new Map<string, number>(), running: new Map<string, number>(), ready: new Map<string, number>() };
  const waiters = new Map<string, () => void>();
  const list = await http.expect(200, { method: 'GET', path: `/api/v1/namespaces/${o.ns}/pods` });
  const rv = (JSON.parse(list.body) as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion ?? '0';
  const watch = await http.watch(`/api/v1/namespaces/${o.ns}/pods?watch=true&resourceVersion=${rv}`, (line) => {
    const now = performance.now();
    const pod = (JSON.parse(line) as { object?: WatchedPod }).object;
    const name = pod?.metadata?.name ?? '';
    if (!sent.has(name)) return;
    if (pod?.spec?.nodeName && !seen.bound.has(name)) seen.bound.set(name, now);
    if (pod?.status?.phase === 'Running' && !seen.running.has(name)) seen.running.set(name, now);
    if (pod?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') && !seen.ready.has(name)) {
      seen.ready.set(name, now);
      waiters.get(name)?.();
    }
  });
  try {
    await inParallel(o.count, o.concurrent, async (i) => {
      const name = `${o.tag}-${i}`;
      const ready = new Promise<void>((resolve) => {
        waiters.set(name, resolve);
        setTimeout(resolve, o.timeoutMs).unref();
      });
      sent.set(name, performance.now());
      await http.expect(201, { method: 'POST', path: `/api/v1/namespaces/${o.ns}/pods`, body: podManifest(o.ns, name) });
      await ready;
    });
  } finally {
    watch.close();
  }
  const since = (m: Map<string, number>): number[] => [...m].map(([name, t]) => t - (sent.get(name) ?? t));
  return { bound: since(seen.bound), running: since(seen.running), ready: since(seen.ready), missing: o.count - seen.ready.size };
}

/** Deletes every pod in the namespace and waits until the kubelet has removed them all. */
export async function deleteAllPods(http: HttpsClient, ns: string, timeoutMs = 120_000): Promise<void> {
  await http.expect(200, { method: 'DELETE', path: `/api/v1/namespaces/${ns}/pods` });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await http.expect(200, { method: 'GET', path: `/api/v1/namespaces/${ns}/pods` });
    if ((JSON.parse(r.body) as { items: unknown[] }).items.length === 0) return;
    if (Date.now() > deadline) throw new Error(`pods in ${ns} not gone after ${timeoutMs} ms`);
    await new Promise((res) => setTimeout(res, 200));
  }
}
