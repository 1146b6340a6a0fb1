// Test harness for the workload controllers in this folder tree: starts a real `tug server` with
// no controllers and no scheduler, runs one controller in-process against it, and offers the
// kubelet-like moves the tests need (register a Ready node, mark a pod Running and Ready).
// Only tests import this file; it is named *.test.ts so the build leaves it out (it has no tests itself).
import { podKind, nodeKind, type Node, type Pod } from '../../api/core/v1/index.js';
import { ApiEventRecorder, HttpClient, InformerFactory } from '../../client/index.js';
import { realClock } from '../../lib/workqueue.js';
import type { ControllerDeps, ControllerFactory } from '../runtime/index.js';
import { startTugServer, type TugServer } from '../../../test/support/tug-server.js';

export interface TestEnv {
  server: TugServer;
  client: HttpClient;
  /** Starts the controller; it stops in `stop`. */
  run(factory: ControllerFactory): void;
  stop(): Promise<void>;
  logs: string[];
}

export async function startTestEnv(): Promise<TestEnv> {
  const server = await startTugServer({ extraArgs: ['--controllers=', '--disable-scheduler'] });
  const client = new HttpClient({ server: server.url, caCertPem: server.caCertPem, token: server.token });
  const ac = new AbortController();
  const logs: string[] = [];
  const informers = new InformerFactory(client, { onError: (e) => logs.push(`informer: ${String(e)}`) });
  const deps: ControllerDeps = {
    client,
    informers,
    recorder: (component) => new ApiEventRecorder(client, component, { onError: (e) => logs.push(`event: ${String(e)}`) }),
    clock: realClock,
    log: (m) => logs.push(m),
  };
  const runs: Promise<void>[] = [];
  return {
    server,
    client,
    logs,
    run(factory) {
      runs.push(factory(deps).run(ac.signal));
      informers.start(ac.signal);
    },
    async stop() {
      ac.abort();
      await Promise.allSettled(runs);
      client.transport.agent.destroy();
      await server.cleanup();
    },
  };
}

export async function createReadyNode(client: HttpClient, o: { name: string; labels?: Record<string, string>; taints?: NonNullable<Node['spec']>['taints'] }): Promise<Node> {
  const node = await client.create<Node>(nodeKind, undefined, {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: o.name, labels: { 'kubernetes.io/hostname': o.name, ...(o.labels ?? {}) } },
    spec: o.taints ? { taints: o.taints } : {},
  });
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  node.status = {
    ...(node.status ?? {}),
    conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'ready', lastHeartbeatTime: now, lastTransitionTime: now }],
  };
  return client.update<Node>(nodeKind, undefined, node, { subresource: 'status' });
}

/** What a kubelet reports for a started pod: Running, and Ready since `readySince`. */
export async function markPodReady(client: HttpClient, pod: Pod, o: { readySince?: Date } = {}): Promise<Pod> {
  const fresh = await client.get<Pod>(podKind, pod.metadata?.namespace, pod.metadata?.name ?? '');
  const at = (o.readySince ?? new Date()).toISOString().replace(/\.\d+Z$/, 'Z');
  fresh.status = {
    ...(fresh.status ?? {}),
    phase: 'Running',
    conditions: [
      { type: 'Initialized', status: 'True', lastTransitionTime: at },
      { type: 'Ready', status: 'True', lastTransitionTime: at },
      { type: 'ContainersReady', status: 'True', lastTransitionTime: at },
      { type: 'PodScheduled', status: 'True', lastTransitionTime: at },
    ],
    startTime: at,
  };
  return client.update<Pod>(podKind, fresh.metadata?.namespace, fresh, { subresource: 'status' });
}

/** Polls until `fn` returns a value other than undefined/false, or fails after the deadline. */
export async function eventually<T>(fn: () => Promise<T | undefined | false> | T | undefined | false, o: { what: string; timeoutMs?: number }): Promise<T> {
  const deadline = Date.now() + (o.timeoutMs ?? 20_000);
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${o.what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
