// The taint eviction controller: deletes pods from nodes with NoExecute taints they do not
// tolerate — at once when a taint is not tolerated at all, after the smallest matching
// tolerationSeconds (counted from when this controller first saw the pod under the taints), and
// never when the pod tolerates them without a limit. Deleted pods get the DisruptionTarget
// condition first, so their controllers and users can tell why they went. Keys are pods.
import { nodeKind, podKind, type Node, type Pod, type Taint } from '../../api/core/v1/index.js';
import { keyFor, splitKey, type EventRecorder, type Informer } from '../../client/index.js';
import { StatusError } from '../../lib/errors.js';
import { WorkQueue, runWorkers, type Controller, type ControllerDeps } from '../runtime/index.js';
import { aborted } from '../replicaset/index.js';
import { apiTime, indexPodsByNode, podsOnNode } from './pods.js';
import { allowedStaySeconds } from './tolerations.js';

const WORKERS = 4;

const noExecuteTaints = (node: Node | undefined): Taint[] => (node?.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
const sameTaints = (a: Taint[], b: Taint[]): boolean =>
  a.length === b.length && a.every((t) => b.some((u) => u.key === t.key && u.value === t.value && u.effect === t.effect));

interface Pending {
  uid: string;
  node: string;
  /** Controller-clock ms when the pod was first seen under NoExecute taints. */
  since: number;
}

export class TaintEvictionController implements Controller {
  readonly name = 'tainteviction';
  private readonly queue: WorkQueue;
  private readonly nodes: Informer<Node>;
  private readonly pods: Informer<Pod>;
  private readonly recorder: EventRecorder;
  private readonly pending = new Map<string, Pending>();
  /** Pod key → uid of pods whose deletion we already asked for (the cache may not show it yet). */
  private readonly evicted = new Map<string, string>();

  constructor(private readonly deps: ControllerDeps) {
    this.queue = new WorkQueue({ clock: deps.clock });
    this.nodes = deps.informers.for<Node>(nodeKind);
    this.pods = deps.informers.for<Pod>(podKind);
    indexPodsByNode(this.pods);
    this.recorder = deps.recorder('taint-eviction-controller');
  }

  async run(signal: AbortSignal): Promise<void> {
    const enqueuePod = (p: Pod): void => this.queue.add(keyFor(p.metadata?.namespace, p.metadata?.name ?? ''));
    const enqueueNodePods = (n: Node): void => podsOnNode(this.pods, n.metadata?.name ?? '').forEach(enqueuePod);
    this.pods.addHandlers({
      onAdd: (p) => {
        if (p.spec?.nodeName) enqueuePod(p);
      },
      onUpdate: (o, p) => {
        if (o.spec?.nodeName !== p.spec?.nodeName || JSON.stringify(o.spec?.tolerations) !== JSON.stringify(p.spec?.tolerations) || o.metadata?.deletionTimestamp !== p.metadata?.deletionTimestamp)
          enqueuePod(p);
      },
      onDelete: enqueuePod,
    });
    this.nodes.addHandlers({
      onAdd: (n) => {
        if (noExecuteTaints(n).length > 0) enqueueNodePods(n);
      },
      onUpdate: (o, n) => {
        if (!sameTaints(noExecuteTaints(o), noExecuteTaints(n))) enqueueNodePods(n);
      },
      onDelete: enqueueNodePods,
    });
    await Promise.race([Promise.all([this.nodes.synced, this.pods.synced]), aborted(signal)]);
    if (signal.aborted) return;
    await runWorkers(this, {
      workers: WORKERS,
      queue: this.queue,
      signal,
      onError: (_c, key, err) => this.deps.log(`tainteviction ${key}: ${err instanceof Error ? err.message : String(err)}`),
    });
  }

  /** Forgets a scheduled eviction, telling the pod's story when one was counting down. */
  private cancel(key: string, pod: Pod | undefined): void {
    const p = this.pending.get(key);
    if (!p) return;
    this.pending.delete(key);
    if (pod && pod.metadata?.uid === p.uid) this.recorder.event(pod, 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${key}`);
  }

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const pod = this.pods.store.get(namespace, name);
    const uid = pod?.metadata?.uid ?? '';
    if (!pod || pod.metadata?.deletionTimestamp || !pod.spec?.nodeName) {
      this.pending.delete(key);
      this.evicted.delete(key);
      return;
    }
    if (this.evicted.get(key) === uid) return;
    const nodeName = pod.spec.nodeName;
    const taints = noExecuteTaints(this.nodes.store.get(undefined, nodeName));
    const stay = taints.length === 0 ? undefined : allowedStaySeconds(taints, pod.spec.tolerations ?? []);
    if (stay === undefined) return this.cancel(key, pod);
    const now = this.deps.clock.now();
    let p = this.pending.get(key);
    if (!p || p.uid !== uid || p.node !== nodeName) {
      p = { uid, node: nodeName, since: now };
      this.pending.set(key, p);
    }
    const due = p.since + stay * 1000;
    if (now < due) {
      this.queue.addAfter(key, due - now);
      return;
    }
    await this.evict(pod, key);
    this.pending.delete(key);
    this.evicted.set(key, uid);
  }

  private async evict(pod: Pod, key: string): Promise<void> {
    const { client } = this.deps;
    const ns = pod.metadata?.namespace;
    const name = pod.metadata?.name ?? '';
    this.recorder.event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`);
    try {
      const condition = {
        type: 'DisruptionTarget',
        status: 'True',
        reason: 'DeletionByTaintManager',
        message: 'Taint manager: deleting due to NoExecute taint',
        lastTransitionTime: apiTime(this.deps.clock.now()),
      };
      await client.patch(podKind, ns, name, { type: 'strategic', body: { status: { conditions: [condition] } } }, { subresource: 'status' });
      await client.delete(podKind, ns, name, { preconditions: { uid: pod.metadata?.uid ?? '' } });
    } catch (err) {
      // Gone already, or replaced by a new pod of the same name (which gets its own sync).
      if (err instanceof StatusError && (err.reason === 'NotFound' || err.reason === 'Conflict')) return;
      throw err;
    }
  }
}
