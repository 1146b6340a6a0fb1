// The StatefulSet controller: pods with stable names and storage, created, scaled and updated
// in ordinal order (or all at once with Parallel), with ControllerRevisions recording each
// template so partitioned rolling updates and `kubectl rollout undo` work. Event handlers only
// enqueue set keys; `sync` re-reads the caches and runs one pass of the algorithm in control.ts.
import { controllerRevisionKind, statefulSetKind, type ControllerRevision, type StatefulSet } from '../../api/apps/v1/index.js';
import { persistentVolumeClaimKind, podKind, type PersistentVolumeClaim, type Pod } from '../../api/core/v1/index.js';
import type { ApiObject } from '../../api/kind.js';
import { keyFor, splitKey, type EventRecorder, type Informer } from '../../client/index.js';
import { StatusError } from '../../lib/errors.js';
import { labelSelectorAsSelector, type Selector } from '../../lib/selectors/index.js';
import { Expectations, WorkQueue, ownerOf, runWorkers, type Controller, type ControllerDeps } from '../runtime/index.js';
import { claimObjects, writeStatus } from '../history/index.js';
import { runPass } from './control.js';
import { setRevisions, truncateHistory } from './history.js';
import { isMemberOf } from './identity.js';
import { ClaimBusyError, statefulActions } from './pod-control.js';
import { buildStatus, countPods } from './status.js';

const WORKERS = 5;
/** How soon to look again when a claim from a previous pod is still being deleted. */
const CLAIM_RETRY_MS = 1000;

export class StatefulSetController implements Controller {
  readonly name = 'statefulset';
  private readonly queue: WorkQueue;
  private readonly expectations: Expectations;
  private readonly setInformer: Informer<StatefulSet>;
  private readonly podInformer: Informer<Pod>;
  private readonly revInformer: Informer<ControllerRevision>;
  private readonly claimInformer: Informer<PersistentVolumeClaim>;
  private readonly recorder: EventRecorder;

  constructor(private readonly deps: ControllerDeps) {
    this.queue = new WorkQueue({ clock: deps.clock });
    this.expectations = new Expectations(() => deps.clock.now());
    this.setInformer = deps.informers.for<StatefulSet>(statefulSetKind);
    this.podInformer = deps.informers.for<Pod>(podKind);
    this.revInformer = deps.informers.for<ControllerRevision>(controllerRevisionKind);
    this.claimInformer = deps.informers.for<PersistentVolumeClaim>(persistentVolumeClaimKind);
    this.recorder = deps.recorder('statefulset-controller');
  }

  async run(signal: AbortSignal): Promise<void> {
    this.registerHandlers();
    const synced = Promise.all([this.setInformer.synced, this.podInformer.synced, this.revInformer.synced, this.claimInformer.synced]);
    await Promise.race([synced, new Promise<void>((r) => (signal.aborted ? r() : signal.addEventListener('abort', () => r(), { once: true })))]);
    if (signal.aborted) return;
    await runWorkers(this, {
      workers: WORKERS,
      queue: this.queue,
      signal,
      onError: (_c, key, err) => {
        if (!(err instanceof ClaimBusyError)) this.deps.log(`statefulset ${key}: ${err instanceof Error ? err.message : String(err)}`);
      },
    });
  }

  private enqueue = (set: StatefulSet): void => this.queue.add(keyFor(set.metadata?.namespace, set.metadata?.name ?? ''));

  /** The set controlling obj, or for orphans every set whose selector matches (it may adopt). */
  private enqueueFor(obj: ApiObject, o: { observe?: (key: string) => void } = {}): void {
    const ref = ownerOf(obj);
    const ns = obj.metadata?.namespace;
    if (ref) {
      if (ref.kind !== 'StatefulSet') return;
      const set = this.setInformer.store.get(ns, ref.name);
      if (!set || set.metadata?.uid !== ref.uid) return;
      const key = keyFor(ns, ref.name);
      o.observe?.(key);
      this.queue.add(key);
      return;
    }
    for (const set of this.setInformer.store.list(ns ?? '')) {
      if (selectorOf(set)?.matches(obj.metadata?.labels)) this.enqueue(set);
    }
  }

  private registerHandlers(): void {
    this.setInformer.addHandlers({
      onAdd: this.enqueue,
      onUpdate: (_old, set) => this.enqueue(set),
      onDelete: (set) => {
        const key = keyFor(set.metadata?.namespace, set.metadata?.name ?? '');
        this.expectations.forget(key);
        this.queue.add(key);
      },
    });
    const podKey = (p: Pod): string => keyFor(p.metadata?.namespace, p.metadata?.name ?? '');
    this.podInformer.addHandlers({
      onAdd: (pod) => this.enqueueFor(pod, { observe: (k) => this.expectations.creationObserved(k) }),
      onUpdate: (old, pod) => {
        if (old.metadata?.resourceVersion === pod.metadata?.resourceVersion) return;
        if (ownerOf(old)?.uid !== ownerOf(pod)?.uid) this.enqueueFor(old);
        // Graceful deletion started counts as the deletion we waited for; the pass itself waits
        // for terminating pods where order matters.
        const observe = pod.metadata?.deletionTimestamp ? (k: string) => this.expectations.deletionObserved(k, podKey(pod)) : undefined;
        this.enqueueFor(pod, observe ? { observe } : {});
      },
      onDelete: (pod) => this.enqueueFor(pod, { observe: (k) => this.expectations.deletionObserved(k, podKey(pod)) }),
    });
    this.revInformer.addHandlers({
      onAdd: (r) => this.enqueueFor(r),
      onUpdate: (_o, r) => this.enqueueFor(r),
      onDelete: (r) => this.enqueueFor(r),
    });
    // Claims are read from the cache; a claim going away may unblock a waiting pod.
    this.claimInformer.addHandlers({
      onDelete: (c) => {
        for (const set of this.setInformer.store.list(c.metadata?.namespace ?? '')) this.enqueue(set);
      },
    });
  }

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const cached = this.setInformer.store.get(namespace, name);
    if (!cached) {
      this.expectations.forget(key);
      return;
    }
    const set = structuredClone(cached);
    const selector = selectorOf(set);
    if (!selector || selector.isEverything) {
      this.recorder.event(set, 'Warning', 'SelectingAll', 'This statefulset is selecting all pods. A non-empty selector is required.');
      return;
    }
    const claim = { client: this.deps.client, owner: set, ownerKind: statefulSetKind, selector };
    const pods = await claimObjects(this.podInformer.store.list(namespace), { ...claim, kind: podKind, adoptable: (p: Pod) => isMemberOf(set, p) });
    const owned = await claimObjects(this.revInformer.store.list(namespace), { ...claim, kind: controllerRevisionKind });
    const revs = await setRevisions(this.deps.client, { set, revisions: owned });
    const names = { current: revs.current.metadata?.name ?? '', update: revs.update.metadata?.name ?? '' };
    const now = this.deps.clock.now();
    const counts = countPods(pods, { ...names, minReadySeconds: set.spec?.minReadySeconds ?? 0, now });

    let passError: unknown;
    if (this.expectations.satisfied(key)) {
      const actions = statefulActions(
        { client: this.deps.client, recorder: this.recorder, expectations: this.expectations, claim: (ns, n) => this.claimInformer.store.get(ns, n) },
        { set, key },
      );
      try {
        await runPass({ set, current: revs.current, update: revs.update, pods, counts, now, actions });
      } catch (err) {
        passError = err;
      }
    }
    const status = buildStatus(set, { counts, ...names, collisionCount: revs.collisionCount });
    await writeStatus(this.deps.client, { kind: statefulSetKind, obj: cached, status });
    await truncateHistory(this.deps.client, { set, pods, revs });
    if (passError instanceof ClaimBusyError) {
      this.queue.addAfter(key, CLAIM_RETRY_MS);
      return;
    }
    if (passError !== undefined) throw passError;
    if (counts.recheckInMs !== undefined) this.queue.addAfter(key, counts.recheckInMs + 1);
  }
}

function selectorOf(set: StatefulSet): Selector | undefined {
  try {
    return labelSelectorAsSelector(set.spec?.selector);
  } catch (err) {
    if (err instanceof StatusError) return undefined;
    throw err;
  }
}
