// Shared scaffolding for the workload-controller integration tests (no tests of its own): a real
// `tug server` with no controllers or scheduler, our controllers run in-process against it, a
// clock the tests can move forward, and a fake kubelet that marks pods Running and Ready after
// a delay (or never, for the pods a test picks), so ReplicaSets and Deployments converge.
import { namespaceKind, podKind, type Pod } from '../../api/core/v1/index.js';
import { HttpClient, InformerFactory, ApiEventRecorder, type Client } from '../../client/index.js';
import type { Clock } from '../../lib/workqueue.js';
import type { Controller, ControllerDeps, ControllerFactory } from '../runtime/index.js';
import { startTugServer, type TugServer } from '../../../test/support/tug-server.js';
import { eventually } from '../../../test/support/eventually.js';

export { eventually };

/** Real time plus an offset the test advances; timers that come due on an advance fire at once. */
export class SkewClock implements Clock {
  private offset = 0;
  private readonly timers = new Set<{ at: number; fn: () => void; t: NodeJS.Timeout }>();

  now(): number {
    return Date.now() + this.offset;
  }

  setTimeout(fn: () => void, ms: number): { cancel(): void } {
    const entry = { at: this.now() + ms, fn, t: setTimeout(() => this.fire(entry), ms) };
    entry.t.unref();
    this.timers.add(entry);
    return { cancel: () => (clearTimeout(entry.t), this.timers.delete(entry)) };
  }

  advance(ms: number): void {
    this.offset += ms;
    for (const e of [...this.timers]) if (e.at <= this.now()) this.fire(e);
  }

  private fire(e: { fn: () => void; t: NodeJS.Timeout }): void {
    if (!this.timers.delete(e as never)) return;
    clearTimeout(e.t);
    e.fn();
  }
}

export interface FakeKubeletOptions {
  /** Delay before a new pod is marked Running and Ready. */
  readyAfterMs?: number;
  /** Pods for which this returns false stay Pending forever. */
  shouldRun?(pod: Pod): boolean;
}

const ts = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/** What a kubelet would report for a pod whose containers all started and pass readiness. */
export function runningReadyStatus(pod: Pod): Pod['status'] {
  const now = ts();
  return {
    ...pod.status,
    phase: 'Running',
    startTime: now,
    conditions: ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'].map((type) => ({ type, status: 'True' as const, lastTransitionTime: now })),
    containerStatuses: (pod.spec?.containers ?? []).map((c) => ({
      name: c.name,
      ready: true,
      started: true,
      restartCount: 0,
      image: c.image ?? '',
      imageID: '',
      state: { running: { startedAt: now } },
    })),
  };
}

export async function markRunningReady(client: Client, pod: Pod): Promise<void> {
  const next = structuredClone(pod);
  next.status = runningReadyStatus(pod);
  await client.update(podKind, pod.metadata?.namespace, next, { subresource: 'status' });
}

export interface Cluster {
  server: TugServer;
  client: HttpClient;
  deps: ControllerDeps;
  informers: InformerFactory;
  clock: SkewClock;
  /** Runs controllers (ours, in-process) until stop(). */
  run(...factories: ControllerFactory[]): void;
  /** Marks pods Running/Ready like a kubelet would, until stop(). */
  fakeKubelet(o?: FakeKubeletOptions): void;
  logs: string[];
  stop(): Promise<void>;
}

export async function startCluster(): Promise<Cluster> {
  const server = await startTugServer({ extraArgs: ['--controllers=', '--disable-scheduler'] });
  const client = new HttpClient({ server: server.url, caCertPem: server.caCertPem, token: server.token });
  const abort = new AbortController();
  const logs: string[] = [];
  const log = (m: string): void => void logs.push(m);
  const informers = new InformerFactory(client, { onError: (e) => log(`informer: ${String(e)}`) });
  const clock = new SkewClock();
  const deps: ControllerDeps = {
    client,
    informers,
    recorder: (component) => new ApiEventRecorder(client, component, { onError: (e) => log(`event: ${String(e)}`) }),
    clock,
    log,
  };
  const runs: Promise<void>[] = [];
  const start = (c: Controller): void => {
    runs.push(c.run(abort.signal).catch((e: unknown) => log(`controller ${c.name} failed: ${String(e)}`)));
  };
  return {
    server,
    client,
    deps,
    informers,
    clock,
    logs,
    run(...factories) {
      for (const f of factories) start(f(deps));
      informers.start(abort.signal);
    },
    fakeKubelet(o = {}) {
      const kubeletInformers = new InformerFactory(client);
      const pods = kubeletInformers.for<Pod>(podKind);
      const handled = new Set<string>();
      const timers = new Set<NodeJS.Timeout>();
      abort.signal.addEventListener('abort', () => timers.forEach(clearTimeout), { once: true });
      const consider = (pod: Pod): void => {
        const uid = pod.metadata?.uid ?? '';
        if (handled.has(uid) || pod.metadata?.deletionTimestamp || pod.status?.phase !== 'Pending') return;
        if (o.shouldRun && !o.shouldRun(pod)) return;
        handled.add(uid);
        const t = setTimeout(() => {
          timers.delete(t);
          const fresh = pods.store.get(pod.metadata?.namespace, pod.metadata?.name ?? '');
          if (!fresh || fresh.metadata?.uid !== uid || abort.signal.aborted) return;
          markRunningReady(client, fresh).catch((e: unknown) => {
            handled.delete(uid);
            log(`kubelet: ${String(e)}`);
          });
        }, o.readyAfterMs ?? 50);
        timers.add(t);
      };
      pods.addHandlers({ onAdd: consider, onUpdate: (_o, n) => consider(n) });
      kubeletInformers.start(abort.signal);
    },
    async stop() {
      abort.abort();
      await Promise.all(runs);
      client.close();
      await server.cleanup();
    },
  };
}

/** A namespace per test keeps tests in one server apart. */
export async function createNamespace(client: Client, name: string): Promise<void> {
  await client.create(namespaceKind, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

export function podTemplate(labels: Record<string, string>, image = 'nginx:1.25'): { metadata: { labels: Record<string, string> }; spec: { containers: { name: string; image: string }[] } } {
  return { metadata: { labels }, spec: { containers: [{ name: 'app', image }] } };
}
