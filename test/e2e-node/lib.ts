// Shared pieces of the real-node end-to-end tests: one `tug up` cluster per test file (started in
// `before`, destroyed in `after`), host directories removed after the file, the project's busybox
// test image, Pod and Deployment manifests, typed reads of pods through kubectl's JSON, waiting on
// kubectl (wait, rollout status, `get pods` columns), and plain HTTP to pod IPs and loopback.
// Each test file creates its objects in a namespace of its own, so a failure in one test leaves
// the next one a clean slate.
import { after, before } from 'node:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../support/eventually.js';
import { startTugUp, type TugUp } from '../support/tug-up.js';

export const isRoot = process.getuid?.() === 0;
/** busybox-static with sh, httpd, wget, nslookup, tar; IfNotPresent since nothing can be pulled. */
export const IMAGE = 'localhost/tugboat/busybox:1.35.0';

export interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { exitCode?: number; reason?: string; message?: string; startedAt?: string; finishedAt?: string; signal?: number };
}

export interface ContainerStatus {
  name: string;
  ready: boolean;
  started?: boolean;
  restartCount: number;
  image?: string;
  imageID?: string;
  containerID?: string;
  state?: ContainerState;
  lastState?: ContainerState;
}

export interface PodJson {
  metadata: { name: string; namespace: string; uid: string; deletionTimestamp?: string; labels?: Record<string, string> };
  spec: { nodeName?: string; containers: { name: string }[] };
  status?: {
    phase?: string;
    reason?: string;
    podIP?: string;
    hostIP?: string;
    startTime?: string;
    conditions?: { type: string; status: string; reason?: string }[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
}

/** A cluster for the whole file; `get()` throws until `before` has run. */
export function sharedCluster(): { get(): TugUp } {
  let cluster: TugUp | undefined;
  before(async () => {
    cluster = await startTugUp();
  });
  after(async () => {
    await cluster?.destroy();
  });
  return {
    get() {
      if (!cluster) throw new Error('cluster not started');
      return cluster;
    },
  };
}

/** Host directories a test file's pods mount (hostPath) or fill (local volumes), removed after its tests. */
export function hostDirs(): { make(prefix: string): Promise<string>; add(path: string): void } {
  const dirs: string[] = [];
  after(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });
  return {
    async make(prefix) {
      const dir = await mkdtemp(join(tmpdir(), prefix));
      dirs.push(dir);
      return dir;
    },
    add(path) {
      dirs.push(path);
    },
  };
}

export async function getPod(c: TugUp, ns: string, name: string): Promise<PodJson> {
  return JSON.parse(await c.kubectlOk(['get', 'pod', name, '-n', ns, '-o', 'json'])) as PodJson;
}

export async function podsWithLabel(c: TugUp, ns: string, selector: string): Promise<PodJson[]> {
  return (JSON.parse(await c.kubectlOk(['get', 'pods', '-n', ns, '-l', selector, '-o', 'json'])) as { items: PodJson[] }).items;
}

export const condition = (p: PodJson, type: string): string | undefined => p.status?.conditions?.find((c) => c.type === type)?.status;
export const container = (p: PodJson, name: string): ContainerStatus | undefined => p.status?.containerStatuses?.find((s) => s.name === name);

/** Polls the pod until `test` holds, failing with the last status seen. */
export async function waitPod(c: TugUp, ns: string, name: string, test: (p: PodJson) => boolean, o: { timeoutMs?: number; what: string }): Promise<PodJson> {
  let last: PodJson | undefined;
  try {
    return await eventually(
      async () => {
        last = await getPod(c, ns, name);
        return test(last) ? last : undefined;
      },
      { timeoutMs: o.timeoutMs ?? 60_000, intervalMs: 250, what: `${ns}/${name}: ${o.what}` },
    );
  } catch (err) {
    throw new Error(`${String(err)}\nlast status: ${JSON.stringify(last?.status, null, 1)}`, { cause: err });
  }
}

/** The STATUS column `kubectl get pod` prints for the pod. */
export async function statusColumn(c: TugUp, ns: string, name: string): Promise<string> {
  const out = await c.kubectlOk(['get', 'pod', name, '-n', ns, '--no-headers']);
  return out.trim().split(/\s+/)[2] ?? '';
}

/** The READY column, e.g. `1/2`. */
export async function readyColumn(c: TugUp, ns: string, name: string): Promise<string> {
  const out = await c.kubectlOk(['get', 'pod', name, '-n', ns, '--no-headers']);
  return out.trim().split(/\s+/)[1] ?? '';
}

/** Waits until `kubectl get pod` shows `status` in the STATUS column. */
export async function waitStatusColumn(c: TugUp, ns: string, name: string, status: string, timeoutMs = 60_000): Promise<void> {
  let last = '';
  await eventually(
    async () => {
      last = await statusColumn(c, ns, name);
      return last === status;
    },
    { timeoutMs, intervalMs: 200, what: `kubectl get pod ${name} to show ${status}` },
  ).catch((err: unknown) => {
    throw new Error(`${String(err)} (last shown: ${last})`, { cause: err });
  });
}

export interface HttpReply {
  status: number;
  body: string;
}

export function httpGet(url: string, timeoutMs = 3000): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { timeout: timeoutMs }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout fetching ${url}`)));
    req.on('error', reject);
    req.end();
  });
}

/** GETs the URL until it answers 200, returning the body. */
export async function httpOk(url: string, timeoutMs = 15_000): Promise<string> {
  return eventually(
    async () => {
      const r = await httpGet(url);
      return r.status === 200 ? r.body : undefined;
    },
    { timeoutMs, intervalMs: 200, what: `HTTP 200 from ${url}` },
  );
}

/** `kubectl wait --for=condition=…` on objects such as `pod/web`, allowing kubectl `seconds`. */
export async function waitCondition(c: TugUp, ns: string, condition: string, objects: string[], seconds = 60): Promise<void> {
  await c.kubectlOk(['wait', '-n', ns, `--for=condition=${condition}`, ...objects, `--timeout=${seconds}s`], { timeoutMs: (seconds + 10) * 1000 });
}

/** `kubectl rollout status` of a Deployment, allowing kubectl `seconds`. */
export async function rolledOut(c: TugUp, ns: string, name: string, seconds = 60): Promise<void> {
  await c.kubectlOk(['rollout', 'status', '-n', ns, `deployment/${name}`, `--timeout=${seconds}s`], { timeoutMs: (seconds + 10) * 1000 });
}

/** Applies objects in a namespace. */
export async function apply(c: TugUp, ns: string, ...objects: unknown[]): Promise<void> {
  // kubectl reads one JSON document from stdin; several go in a List.
  const stdin = JSON.stringify(objects.length === 1 ? objects[0] : { apiVersion: 'v1', kind: 'List', items: objects });
  await c.kubectlOk(['apply', '-n', ns, '-f', '-'], { stdin });
}

export async function createNamespace(c: TugUp, name: string): Promise<string> {
  await c.kubectlOk(['create', 'namespace', name]);
  return name;
}

/** A Pod manifest. */
export function pod(name: string, spec: Record<string, unknown>, labels?: Record<string, string>): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, ...(labels ? { labels } : {}) }, spec };
}

/** A Deployment manifest whose pods carry the label `app: name`. */
export function deployment(name: string, replicas: number, podSpec: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: podSpec } },
  };
}

/** A single-container pod of the test image running `script` in sh. */
export function shPod(name: string, script: string, extra: { restartPolicy?: string; container?: Record<string, unknown>; spec?: Record<string, unknown>; labels?: Record<string, string> } = {}): Record<string, unknown> {
  return pod(
    name,
    {
      ...(extra.restartPolicy ? { restartPolicy: extra.restartPolicy } : {}),
      terminationGracePeriodSeconds: 2,
      containers: [{ name: 'main', image: IMAGE, command: ['sh', '-c', script], ...(extra.container ?? {}) }],
      ...(extra.spec ?? {}),
    },
    extra.labels,
  );
}

/** Events of an object as `reason: message` lines, oldest first. */
export async function eventsOf(c: TugUp, ns: string, name: string): Promise<string[]> {
  const list = JSON.parse(await c.kubectlOk(['get', 'events', '-n', ns, '--field-selector', `involvedObject.name=${name}`, '-o', 'json'])) as {
    items: { reason?: string; message?: string; lastTimestamp?: string; eventTime?: string }[];
  };
  return list.items.map((e) => `${e.reason ?? ''}: ${e.message ?? ''}`);
}
