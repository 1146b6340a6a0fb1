// The three workloads of the scheduler benchmark, each over raw keep-alive HTTPS with many
// requests in flight: the floors (create pods no scheduler looks at, then bind them ourselves
// through pods/binding round-robin — the fastest any scheduler could bind), the measured run
// (create pods and let the scheduler place them), and a Deployment scaled out in one step.
import { performance } from 'node:perf_hooks';
import { fill } from '../api/load.js';
import type { HttpsClient } from '../api/http-client.js';
import { cpuMs } from '../api/proc.js';
import { PodTracker } from './tracker.js';

/** Requests and limits like kube-scheduler's scheduler_perf default pod, scaled to our nodes. */
const RESOURCES = { requests: { cpu: '100m', memory: '128Mi' } };
/** A scheduler name nobody serves: those pods are never scheduled, so creating them measures the API alone. */
const NO_SCHEDULER = 'tug-bench-none';

export interface Pids {
  server: number;
  agent: number;
}

export interface PhaseCpu {
  serverS: number;
  agentS: number;
  benchS: number;
}

export interface Timed {
  count: number;
  ms: number;
  perSec: number;
}

const timed = (count: number, ms: number): Timed => ({ count, ms, perSec: ms > 0 ? (count * 1000) / ms : 0 });

/** CPU seconds the server, the agent and this process spend while `run` runs. */
async function withCpu<T>(pids: Pids, run: () => Promise<T>): Promise<{ result: T; cpu: PhaseCpu }> {
  const [s0, a0] = [await cpuMs(pids.server), await cpuMs(pids.agent)];
  const self = process.cpuUsage();
  const result = await run();
  const mine = process.cpuUsage(self);
  const [s1, a1] = [await cpuMs(pids.server), await cpuMs(pids.agent)];
  return { result, cpu: { serverS: (s1 - s0) / 1000, agentS: (a1 - a0) / 1000, benchS: (mine.user + mine.system) / 1e6 } };
}

function podManifest(name: string, o: { schedulerName?: string } = {}): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'bench' } },
    spec: { ...(o.schedulerName ? { schedulerName: o.schedulerName } : {}), containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10', resources: RESOURCES }] },
  };
}

export async function createNamespace(api: HttpsClient, name: string): Promise<void> {
  await api.expect(201, { method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
}

async function createPods(api: HttpsClient, o: { namespace: string; count: number; concurrency: number; schedulerName?: string }): Promise<void> {
  await fill(o.count, o.concurrency, async (i) => {
    await api.expect(201, { method: 'POST', path: `/api/v1/namespaces/${o.namespace}/pods`, body: podManifest(`p-${i}`, o) });
  });
}

export interface FloorResult {
  create: Timed & { cpu: PhaseCpu };
  bind: Timed & { cpu: PhaseCpu };
}

/** Creates unscheduled pods, then binds each to nodes[i % n] through pods/binding. */
export async function floor(api: HttpsClient, o: { namespace: string; count: number; concurrency: number; nodes: string[]; pids: Pids }): Promise<FloorResult> {
  await createNamespace(api, o.namespace);
  const t0 = performance.now();
  const created = await withCpu(o.pids, () => createPods(api, { ...o, schedulerName: NO_SCHEDULER }));
  const t1 = performance.now();
  const bound = await withCpu(o.pids, () =>
    fill(o.count, o.concurrency, async (i) => {
      const body = { apiVersion: 'v1', kind: 'Binding', metadata: { name: `p-${i}` }, target: { apiVersion: 'v1', kind: 'Node', name: o.nodes[i % o.nodes.length] } };
      await api.expect(201, { method: 'POST', path: `/api/v1/namespaces/${o.namespace}/pods/p-${i}/binding`, body });
    }),
  );
  const t2 = performance.now();
  return { create: { ...timed(o.count, t1 - t0), cpu: created.cpu }, bind: { ...timed(o.count, t2 - t1), cpu: bound.cpu } };
}

export interface ScheduleResult {
  create: Timed;
  /** First create sent → last pod seen bound. */
  bound: Timed;
  /** Bound pods per second between the 10th and the 90th percentile of binds. */
  steadyPerSec: number;
  /** Most pods bound in any one-second window. */
  peakPerSec: number;
  /** Binds per second after the last create answered (the backlog draining with no creates competing), if any were left. */
  drain: Timed;
  /** Per pod: create answered → bound seen. */
  latencyMs: { p50: number; p99: number };
  /** First create sent → last pod seen Running and Ready. */
  running: Timed;
  nodesUsed: number;
  cpu: PhaseCpu;
}

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;

/** Creates `count` pods and follows the scheduler binding them and the hollow kubelets running them. */
export async function schedule(api: HttpsClient, o: { namespace: string; count: number; concurrency: number; pids: Pids; timeoutMs: number }): Promise<ScheduleResult> {
  await createNamespace(api, o.namespace);
  const tracker = await PodTracker.start(api, o.namespace);
  try {
    const createdAt = new Map<string, number>();
    const t0 = performance.now();
    let createdMs = 0;
    const { cpu } = await withCpu(o.pids, async () => {
      await fill(o.count, o.concurrency, async (i) => {
        await api.expect(201, { method: 'POST', path: `/api/v1/namespaces/${o.namespace}/pods`, body: podManifest(`p-${i}`) });
        createdAt.set(`p-${i}`, performance.now());
      });
      createdMs = performance.now() - t0;
      await tracker.until(() => tracker.boundAt.size >= o.count, { timeoutMs: o.timeoutMs, what: `${o.count} pods bound` });
      await tracker.until(() => tracker.runningAt.size >= o.count, { timeoutMs: o.timeoutMs, what: `${o.count} pods Running` });
    });
    const binds = [...tracker.boundAt.values()].sort((a, b) => a - b);
    const last = (xs: Iterable<number>): number => Math.max(...xs);
    const [p10, p90] = [pct(binds, 10), pct(binds, 90)];
    const steadyPerSec = p90 > p10 ? (binds.filter((t) => t >= p10 && t <= p90).length * 1000) / (p90 - p10) : Number.NaN;
    let peakPerSec = 0;
    for (let i = 0, j = 0; i < binds.length; i++) {
      while ((binds[i] ?? 0) - (binds[j] ?? 0) > 1000) j++;
      peakPerSec = Math.max(peakPerSec, i - j + 1);
    }
    const createsDone = t0 + createdMs;
    const afterCreates = binds.filter((t) => t > createsDone);
    const drain = timed(afterCreates.length, afterCreates.length ? last(afterCreates) - createsDone : 0);
    const latencies = [...tracker.boundAt].map(([name, t]) => t - (createdAt.get(name) ?? t)).sort((a, b) => a - b);
    return {
      create: timed(o.count, createdMs),
      bound: timed(o.count, last(binds) - t0),
      steadyPerSec,
      peakPerSec,
      drain,
      latencyMs: { p50: pct(latencies, 50), p99: pct(latencies, 99) },
      running: timed(o.count, last(tracker.runningAt.values()) - t0),
      nodesUsed: tracker.nodes.size,
      cpu,
    };
  } finally {
    tracker.close();
  }
}

export interface DeploymentResult {
  replicas: number;
  /** From the Deployment's create to the last of its pods seen created, bound, Running+Ready. */
  boundMs: number;
  runningMs: number;
  cpu: PhaseCpu;
}

/** Creates a Deployment of `replicas` pods and times until every one is Running and Ready. */
export async function deployment(api: HttpsClient, o: { namespace: string; replicas: number; pids: Pids; timeoutMs: number }): Promise<DeploymentResult> {
  await createNamespace(api, o.namespace);
  const tracker = await PodTracker.start(api, o.namespace);
  try {
    const labels = { app: 'bench-deploy' };
    const body = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'big' },
      spec: {
        replicas: o.replicas,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10', resources: RESOURCES }] } },
      },
    };
    const t0 = performance.now();
    const { cpu } = await withCpu(o.pids, async () => {
      await api.expect(201, { method: 'POST', path: `/apis/apps/v1/namespaces/${o.namespace}/deployments`, body });
      await tracker.until(() => tracker.runningAt.size >= o.replicas, { timeoutMs: o.timeoutMs, what: `${o.replicas} Deployment pods Running` });
    });
    return {
      replicas: o.replicas,
      boundMs: Math.max(...tracker.boundAt.values()) - t0,
      runningMs: Math.max(...tracker.runningAt.values()) - t0,
      cpu,
    };
  } finally {
    tracker.close();
  }
}
