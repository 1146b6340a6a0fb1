// Shared scaffolding for the Job, TTL and CronJob integration tests (no tests of its own): a
// real `tug server` with no controllers or scheduler, our controllers run in-process against it
// with a clock the tests move, and the kubelet's part played by hand — pod statuses written
// through the status subresource (Running, Succeeded, Failed with an exit code).
import { eventKind, namespaceKind, podKind, type Pod } from '../../api/core/v1/index.js';
import { HttpClient, InformerFactory, ApiEventRecorder, type Client } from '../../client/index.js';
import type { ApiObject } from '../../api/kind.js';
import type { Clock } from '../../lib/workqueue.js';
import type { Controller, ControllerDeps, ControllerFactory } from '../runtime/index.js';
import { startTugServer, type TugServer } from '../../../test/support/tug-server.js';
import { eventually } from '../../../test/support/eventually.js';

export { eventually };

/**
 * A clock for tests. Running (the default) it is real time plus an offset the test advances;
 * frozen it stands still until set or advanced. Timers fire at their real-time delay (harmless
 * early wake-ups for a frozen clock, and what keeps retries going) or as soon as the clock is
 * moved past them.
 */
export class TestClock implements Clock {
  private offset = 0;
  private readonly timers = new Set<{ at: number; fn: () => void; t: NodeJS.Timeout }>();

  constructor(private readonly o: { frozenAt?: number } = {}) {}

  now(): number {
    return this.o.frozenAt !== undefined ? this.o.frozenAt + this.offset : Date.now() + this.offset;
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

  /** Moves the clock to `ms` (never backwards). */
  set(ms: number): void {
    this.advance(Math.max(0, ms - this.now()));
  }

  private fire(e: { fn: () => void; t: NodeJS.Timeout }): void {
    if (!this.timers.delete(e as never)) return;
    clearTimeout(e.t);
    e.fn();
  }
}

export interface Cluster {
  server: TugServer;
  client: HttpClient;
  clock: TestClock;
  logs: string[];
  /** Runs controllers (ours, in-process) until stop(). */
  run(...factories: ControllerFactory[]): void;
  /** Runs controllers with their own informers and clock until the returned stop(). */
  start(o: { clock: TestClock; controllers: ControllerFactory[] }): { stop(): Promise<void> };
  stop(): Promise<void>;
}

function runControllers(client: Client, o: { clock: Clock; controllers: ControllerFactory[]; log(m: string): void }): { stop(): Promise<void> } {
  const abort = new AbortController();
  const informers = new InformerFactory(client, { onError: (e) => o.log(`informer: ${String(e)}`) });
  const deps: ControllerDeps = {
    client,
    informers,
    recorder: (component) => new ApiEventRecorder(client, component, { onError: (e) => o.log(`event: ${String(e)}`) }),
    clock: o.clock,
    log: o.log,
  };
  const runs = o.controllers.map((f) => {
    const c: Controller = f(deps);
    return c.run(abort.signal).catch((e: unknown) => o.log(`controller ${c.name} failed: ${String(e)}`));
  });
  informers.start(abort.signal);
  return {
    async stop() {
      abort.abort();
      await Promise.all(runs);
    },
  };
}

export async function startCluster(o: { clock?: TestClock } = {}): Promise<Cluster> {
  const server = await startTugServer({ extraArgs: ['--controllers=', '--disable-scheduler'] });
  const client = new HttpClient({ server: server.url, caCertPem: server.caCertPem, token: server.token });
  const logs: string[] = [];
  const log = (m: string): void => void logs.push(m);
  const clock = o.clock ?? new TestClock();
  const running: { stop(): Promise<void> }[] = [];
  return {
    server,
    client,
    clock,
    logs,
    run(...controllers) {
      running.push(runControllers(client, { clock, controllers, log }));
    },
    start(so) {
      const r = runControllers(client, { ...so, log });
      running.push(r);
      return r;
    },
    async stop() {
      await Promise.all(running.map((r) => r.stop()));
      client.close();
      await server.cleanup();
    },
  };
}

export async function createNamespace(client: Client, name: string): Promise<void> {
  await client.create(namespaceKind, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

const ts = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** What a kubelet reports for a running pod; `restarts` puts a restart count on every container. */
export async function markRunning(client: Client, pod: Pod, o: { ready?: boolean; restarts?: number } = {}): Promise<void> {
  const now = ts(Date.now());
  const next = structuredClone(pod);
  next.status = {
    ...pod.status,
    phase: 'Running',
    startTime: now,
    conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: now }],
    containerStatuses: (pod.spec?.containers ?? []).map((c) => ({
      name: c.name,
      ready: o.ready !== false,
      restartCount: o.restarts ?? 0,
      image: c.image ?? '',
      imageID: '',
      state: { running: { startedAt: now } },
    })),
  };
  await client.update(podKind, pod.metadata?.namespace, next, { subresource: 'status' });
}

/**
 * What a kubelet reports when the pod's containers exited: Succeeded for exit code 0, else
 * Failed. `finishedAt` defaults to long ago, so no failure back-off is left to wait out.
 */
export async function finishPod(client: Client, pod: Pod, o: { exitCode?: number; finishedAt?: number; conditions?: { type: string; status: 'True' | 'False' }[] } = {}): Promise<void> {
  const code = o.exitCode ?? 0;
  const at = ts(o.finishedAt ?? Date.now() - 3_600_000);
  const next = structuredClone(pod);
  next.status = {
    ...pod.status,
    phase: code === 0 ? 'Succeeded' : 'Failed',
    conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: at, reason: 'PodCompleted' }, ...(o.conditions ?? [])],
    containerStatuses: (pod.spec?.containers ?? []).map((c) => ({
      name: c.name,
      ready: false,
      restartCount: 0,
      image: c.image ?? '',
      imageID: '',
      state: { terminated: { exitCode: code, reason: code === 0 ? 'Completed' : 'Error', startedAt: at, finishedAt: at } },
    })),
  };
  await client.update(podKind, pod.metadata?.namespace, next, { subresource: 'status' });
}

export async function listPods(client: Client, ns: string, selector?: string): Promise<Pod[]> {
  return (await client.list<Pod>(podKind, ns, selector ? { labelSelector: selector } : {})).items;
}

/** Reasons and messages of the Events about the named object. */
export async function eventsFor(client: Client, ns: string, name: string): Promise<{ reason: string; message: string; type: string }[]> {
  const list = await client.list<ApiObject>(eventKind, ns);
  return list.items
    .filter((e) => (e.involvedObject as { name?: string } | undefined)?.name === name)
    .map((e) => ({ reason: String(e.reason ?? ''), message: String(e.message ?? ''), type: String(e.type ?? '') }));
}
