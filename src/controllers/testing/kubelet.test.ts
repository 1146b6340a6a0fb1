// The kubelet's part in controller integration tests (no tests of its own; named *.test.ts so the
// build leaves it out): Nodes that report Ready, pod statuses written through the status
// subresource (Running and Ready, Running with an IP, Succeeded or Failed with an exit code), and
// a fake kubelet that marks every new pod Running and Ready after a delay.
import { nodeKind, podKind, type Node, type Pod } from '../../api/core/v1/index.js';
import { InformerFactory, type Client } from '../../client/index.js';

/** API time: whole seconds, as the kubelet writes it. */
const apiTime = (at: Date = new Date()): string => new Date(Math.floor(at.getTime() / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface RunningOptions {
  /** Ready unless false: the containers' readiness and the pod's Ready condition. */
  ready?: boolean;
  /** A restart count on every container. */
  restarts?: number;
  /** When the pod started and turned Ready (default now). */
  since?: Date;
}

/** What a kubelet reports for a pod whose containers all started. */
export function runningStatus(pod: Pod, o: RunningOptions = {}): Pod['status'] {
  const at = apiTime(o.since);
  const ready = o.ready === false ? 'False' : 'True';
  return {
    ...pod.status,
    phase: 'Running',
    startTime: at,
    conditions: [
      { type: 'PodScheduled', status: 'True', lastTransitionTime: at },
      { type: 'Initialized', status: 'True', lastTransitionTime: at },
      { type: 'ContainersReady', status: ready, lastTransitionTime: at },
      { type: 'Ready', status: ready, lastTransitionTime: at },
    ],
    containerStatuses: (pod.spec?.containers ?? []).map((c) => ({
      name: c.name,
      ready: o.ready !== false,
      started: true,
      restartCount: o.restarts ?? 0,
      image: c.image ?? '',
      imageID: '',
      state: { running: { startedAt: at } },
    })),
  };
}

/** Writes `runningStatus` onto the pod of that name as it is now (so a stale copy cannot conflict). */
export async function markRunning(client: Client, pod: Pod, o: RunningOptions = {}): Promise<Pod> {
  const fresh = await client.get<Pod>(podKind, pod.metadata?.namespace, pod.metadata?.name ?? '');
  fresh.status = runningStatus(fresh, o);
  return client.update<Pod>(podKind, fresh.metadata?.namespace, fresh, { subresource: 'status' });
}

/** A running pod as the endpoint controllers read it: its IP, and Ready or not. */
export async function setPodIp(client: Client, ns: string, name: string, o: { ip: string; ready: boolean }): Promise<void> {
  const status = { phase: 'Running', podIP: o.ip, podIPs: [{ ip: o.ip }], conditions: [{ type: 'Ready', status: o.ready ? 'True' : 'False' }] };
  await client.patch(podKind, ns, name, { type: 'merge', body: { status } }, { subresource: 'status' });
}

/**
 * What a kubelet reports when the pod's containers exited: Succeeded for exit code 0, else
 * Failed. `finishedAt` defaults to long ago, so no failure back-off is left to wait out.
 */
export async function finishPod(client: Client, pod: Pod, o: { exitCode?: number; finishedAt?: number; conditions?: { type: string; status: 'True' | 'False' }[] } = {}): Promise<void> {
  const code = o.exitCode ?? 0;
  const at = apiTime(new Date(o.finishedAt ?? Date.now() - 3_600_000));
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

/** A Node whose kubelet reports Ready (or, with `ready: 'False'`, NotReady). */
export async function createNode(
  client: Client,
  o: { name: string; labels?: Record<string, string>; taints?: NonNullable<Node['spec']>['taints']; ready?: 'True' | 'False' },
): Promise<Node> {
  const node = await client.create<Node>(nodeKind, undefined, {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: o.name, labels: { 'kubernetes.io/hostname': o.name, ...(o.labels ?? {}) } },
    spec: o.taints ? { taints: o.taints } : {},
  });
  const now = apiTime();
  const ready = o.ready ?? 'True';
  const reason = ready === 'True' ? 'KubeletReady' : 'KubeletNotReady';
  node.status = { ...(node.status ?? {}), conditions: [{ type: 'Ready', status: ready, reason, message: reason, lastHeartbeatTime: now, lastTransitionTime: now }] };
  return client.update<Node>(nodeKind, undefined, node, { subresource: 'status' });
}

export interface FakeKubeletOptions {
  /** Delay before a new pod is marked Running and Ready. */
  readyAfterMs?: number;
  /** Pods for which this returns false stay Pending forever. */
  shouldRun?(pod: Pod): boolean;
}

/** Marks every new Pending pod Running and Ready after a delay, until the returned stop(). */
export function runFakeKubelet(client: Client, o: FakeKubeletOptions & { log(m: string): void }): { stop(): Promise<void> } {
  const abort = new AbortController();
  const informers = new InformerFactory(client);
  const pods = informers.for<Pod>(podKind);
  const handled = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  const consider = (pod: Pod): void => {
    const uid = pod.metadata?.uid ?? '';
    if (handled.has(uid) || pod.metadata?.deletionTimestamp || pod.status?.phase !== 'Pending') return;
    if (o.shouldRun && !o.shouldRun(pod)) return;
    handled.add(uid);
    const t = setTimeout(() => {
      timers.delete(t);
      const fresh = pods.store.get(pod.metadata?.namespace, pod.metadata?.name ?? '');
      if (!fresh || fresh.metadata?.uid !== uid || abort.signal.aborted) return;
      const next = structuredClone(fresh);
      next.status = runningStatus(fresh);
      client.update(podKind, fresh.metadata?.namespace, next, { subresource: 'status' }).catch((e: unknown) => {
        handled.delete(uid);
        o.log(`kubelet: ${String(e)}`);
      });
    }, o.readyAfterMs ?? 50);
    timers.add(t);
  };
  pods.addHandlers({ onAdd: consider, onUpdate: (_o, n) => consider(n) });
  informers.start(abort.signal);
  return {
    stop() {
      abort.abort();
      timers.forEach(clearTimeout);
      return Promise.resolve();
    },
  };
}
