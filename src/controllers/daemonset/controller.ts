// The DaemonSet controller: keeps one daemon pod on every node the DaemonSet's node rules allow,
// adds pods to nodes that join or start qualifying, removes them from nodes that stop, and rolls
// pods to a new template (RollingUpdate with maxUnavailable or maxSurge, or OnDelete). Event
// handlers only enqueue DaemonSet keys; `sync` re-reads everything from the informer caches.
import { controllerRevisionKind, daemonSetKind, type ControllerRevision, type DaemonSet } from '../../api/apps/v1/index.js';
import { nodeKind, podKind, type Node, type Pod } from '../../api/core/v1/index.js';
import type { ApiObject } from '../../api/kind.js';
import { splitKey, keyFor, type Informer } from '../../client/index.js';
import { StatusError } from '../../lib/errors.js';
import { labelSelectorAsSelector, type Selector } from '../../lib/selectors/index.js';
import { Expectations, WorkQueue, ownerOf, runWorkers, type Controller, type ControllerDeps } from '../runtime/index.js';
import { claimObjects, writeStatus } from '../history/index.js';
import { FailedPodBackoff } from './backoff.js';
import { cleanupHistory, constructHistory } from './history.js';
import { planManage } from './manage.js';
import { onNodeChange } from './node-events.js';
import { BURST, createDaemonPods, deleteDaemonPods, type PodControl } from './pod-control.js';
import { targetNodeOf, templateGeneration } from './placement.js';
import { planRollingUpdate, scaledValue } from './rolling-update.js';
import { computeStatus } from './status.js';

const WORKERS = 2;

export class DaemonSetController implements Controller {
  readonly name = 'daemonset';
  private readonly queue: WorkQueue;
  private readonly expectations: Expectations;
  private readonly dsInformer: Informer<DaemonSet>;
  private readonly podInformer: Informer<Pod>;
  private readonly nodeInformer: Informer<Node>;
  private readonly revInformer: Informer<ControllerRevision>;
  private readonly pc: PodControl;
  private readonly backoff: FailedPodBackoff;

  constructor(private readonly deps: ControllerDeps) {
    this.queue = new WorkQueue({ clock: deps.clock });
    this.expectations = new Expectations(() => deps.clock.now());
    this.dsInformer = deps.informers.for<DaemonSet>(daemonSetKind);
    this.podInformer = deps.informers.for<Pod>(podKind);
    this.nodeInformer = deps.informers.for<Node>(nodeKind);
    this.revInformer = deps.informers.for<ControllerRevision>(controllerRevisionKind);
    this.pc = { client: deps.client, recorder: deps.recorder('daemonset-controller'), expectations: this.expectations };
    this.backoff = new FailedPodBackoff(() => deps.clock.now());
  }

  async run(signal: AbortSignal): Promise<void> {
    this.registerHandlers();
    await Promise.race([Promise.all([this.dsInformer.synced, this.podInformer.synced, this.nodeInformer.synced, this.revInformer.synced]), aborted(signal)]);
    if (signal.aborted) return;
    await runWorkers(this, {
      workers: WORKERS,
      queue: this.queue,
      signal,
      onError: (_c, key, err) => this.deps.log(`daemonset ${key}: ${err instanceof Error ? err.message : String(err)}`),
    });
  }

  private enqueue = (ds: DaemonSet): void => this.queue.add(keyFor(ds.metadata?.namespace, ds.metadata?.name ?? ''));

  /** The DaemonSet controlling obj, or for orphans every DaemonSet whose selector matches (it may adopt). */
  private enqueueFor(obj: ApiObject, o: { observe?: (dsKey: string) => void } = {}): void {
    const ref = ownerOf(obj);
    const ns = obj.metadata?.namespace;
    if (ref) {
      if (ref.kind !== 'DaemonSet') return;
      const ds = this.dsInformer.store.get(ns, ref.name);
      if (!ds || ds.metadata?.uid !== ref.uid) return;
      const key = keyFor(ns, ref.name);
      o.observe?.(key);
      this.queue.add(key);
      return;
    }
    for (const ds of this.dsInformer.store.list(ns ?? '')) {
      if (selectorOf(ds)?.matches(obj.metadata?.labels)) this.enqueue(ds);
    }
  }

  private registerHandlers(): void {
    this.dsInformer.addHandlers({
      onAdd: this.enqueue,
      onUpdate: (_old, ds) => this.enqueue(ds),
      onDelete: (ds) => {
        const key = keyFor(ds.metadata?.namespace, ds.metadata?.name ?? '');
        this.expectations.forget(key);
        this.queue.add(key);
      },
    });
    const podKey = (p: Pod): string => keyFor(p.metadata?.namespace, p.metadata?.name ?? '');
    this.podInformer.addHandlers({
      onAdd: (pod) => {
        if (pod.metadata?.deletionTimestamp) return this.enqueueFor(pod, { observe: (k) => this.expectations.deletionObserved(k, podKey(pod)) });
        this.enqueueFor(pod, { observe: (k) => this.expectations.creationObserved(k) });
      },
      onUpdate: (old, pod) => {
        if (old.metadata?.resourceVersion === pod.metadata?.resourceVersion) return;
        // A pod whose graceful deletion started counts as deleted: the kubelet may take a while.
        const observe = pod.metadata?.deletionTimestamp ? (k: string) => this.expectations.deletionObserved(k, podKey(pod)) : undefined;
        if (ownerOf(old)?.uid !== ownerOf(pod)?.uid) this.enqueueFor(old);
        this.enqueueFor(pod, observe ? { observe } : {});
      },
      onDelete: (pod) => this.enqueueFor(pod, { observe: (k) => this.expectations.deletionObserved(k, podKey(pod)) }),
    });
    this.nodeInformer.addHandlers({
      onAdd: () => this.dsInformer.store.list().forEach(this.enqueue),
      onUpdate: (old, node) => onNodeChange({ old, node, daemonSets: this.dsInformer.store.list(), enqueue: this.enqueue }),
      onDelete: () => this.dsInformer.store.list().forEach(this.enqueue),
    });
    this.revInformer.addHandlers({
      onAdd: (r) => this.enqueueFor(r),
      onUpdate: (_o, r) => this.enqueueFor(r),
      onDelete: (r) => this.enqueueFor(r),
    });
  }

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const cached = this.dsInformer.store.get(namespace, name);
    if (!cached) {
      this.expectations.forget(key);
      return;
    }
    const ds = structuredClone(cached);
    const selector = selectorOf(ds);
    if (!selector || selector.isEverything) {
      this.pc.recorder.event(ds, 'Warning', 'SelectingAll', 'This daemon set is selecting all pods. A non-empty selector is required.');
      return;
    }
    // While the DaemonSet is being deleted its history may already be gone, so its status
    // cannot be computed reliably; the garbage collector takes it from here.
    if (ds.metadata?.deletionTimestamp) return;
    const nodes = this.nodeInformer.store.list();
    const claim = { client: this.deps.client, owner: ds, ownerKind: daemonSetKind, selector };
    const revisions = await claimObjects(this.revInformer.store.list(namespace), { ...claim, kind: controllerRevisionKind });
    const pods = await claimObjects(this.podInformer.store.list(namespace), { ...claim, kind: podKind });
    const history = await constructHistory(this.deps.client, { ds, revisions, pods });
    ds.status = { ...(ds.status ?? { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 }) };
    if (history.collisionCount > 0) ds.status.collisionCount = history.collisionCount;
    const generation = templateGeneration(ds);
    const base = { ds, nodes, hash: history.hash, generation };

    const act = this.expectations.satisfied(key);
    if (act) {
      await this.manage({ ...base, key, nodeToPods: nodeToPods(pods) });
      if (this.expectations.satisfied(key)) {
        if (ds.spec?.updateStrategy?.type !== 'OnDelete') {
          const plan = planRollingUpdate({ ...base, nodeToPods: nodeToPods(pods), now: this.deps.clock.now() });
          await this.apply({ ds, key, hash: history.hash, createOn: plan.createOn, deletePods: plan.deletePods });
        }
        await cleanupHistory(this.deps.client, { ds, cur: history.cur, old: history.old, pods });
      }
    }
    const { status, recheckInMs } = computeStatus({ ...base, nodeToPods: nodeToPods(pods), now: this.deps.clock.now(), observed: act });
    await writeStatus(this.deps.client, { kind: daemonSetKind, obj: cached, status });
    if (recheckInMs !== undefined) this.queue.addAfter(key, recheckInMs + 1);
  }

  private async manage(o: { ds: DaemonSet; key: string; nodes: Node[]; nodeToPods: Map<string, Pod[]>; hash: string }): Promise<void> {
    const strategy = o.ds.spec?.updateStrategy;
    const allowSurge = strategy?.type !== 'OnDelete' && scaledValue(strategy?.rollingUpdate?.maxSurge, 1) !== 0;
    const backoffKey = (node: string): string => `${o.key}/${node}`;
    const plan = planManage({ ...o, allowSurge, mayDeleteFailed: (node) => !this.backoff.inBackoff(backoffKey(node)) });
    for (const f of plan.failed) {
      const k = backoffKey(f.node);
      if (this.backoff.inBackoff(k)) {
        this.queue.addAfter(o.key, this.backoff.remainingMs(k) + 1);
        continue;
      }
      this.backoff.next(k);
      this.pc.recorder.event(o.ds, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${f.pod.metadata?.namespace ?? ''}/${f.pod.metadata?.name ?? ''} on node ${f.node}, will try to kill it`);
    }
    await this.apply({ ds: o.ds, key: o.key, hash: o.hash, createOn: plan.createOn, deletePods: plan.deletePods });
  }

  private async apply(o: { ds: DaemonSet; key: string; hash: string; createOn: string[]; deletePods: Pod[] }): Promise<void> {
    const createOn = o.createOn.slice(0, BURST);
    const deletePods = o.deletePods.slice(0, Math.max(0, BURST - createOn.length));
    if (createOn.length + deletePods.length < o.createOn.length + o.deletePods.length) this.queue.add(o.key);
    const results = await Promise.allSettled([
      createOn.length > 0 ? createDaemonPods(this.pc, { ds: o.ds, key: o.key, nodes: createOn, hash: o.hash }) : undefined,
      deletePods.length > 0 ? deleteDaemonPods(this.pc, { ds: o.ds, key: o.key, pods: deletePods }) : undefined,
    ]);
    for (const r of results) if (r.status === 'rejected') throw r.reason;
  }
}

function selectorOf(ds: DaemonSet): Selector | undefined {
  try {
    return labelSelectorAsSelector(ds.spec?.selector);
  } catch (err) {
    if (err instanceof StatusError) return undefined;
    throw err;
  }
}

/** Live daemon pods grouped by the node they are on or pinned to (finished pods being deleted are left out). */
function nodeToPods(pods: readonly Pod[]): Map<string, Pod[]> {
  const out = new Map<string, Pod[]>();
  for (const pod of pods) {
    const phase = pod.status?.phase;
    if (pod.metadata?.deletionTimestamp && (phase === 'Failed' || phase === 'Succeeded')) continue;
    const node = targetNodeOf(pod);
    if (node === undefined) continue;
    const list = out.get(node);
    if (list) list.push(pod);
    else out.set(node, [pod]);
  }
  return out;
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
