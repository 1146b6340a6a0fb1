// The garbage collector: deletes objects whose owners are gone (background propagation),
// deletes the dependents of owners held by the `foregroundDeletion` finalizer before letting
// them go, and strips the references to owners held by the `orphan` finalizer. One queue of
// object keys: an object is queued when its owner references change, when one of its owners
// disappears, or when it is itself being deleted with one of those finalizers. Owners missing
// from the cache are confirmed with a live GET before anything is deleted, since the cache of
// another kind may simply be behind.
import type { ApiObject, KindDef } from '../../api/kind.js';
import type { Client, EventRecorder } from '../../client/index.js';
import { StatusError } from '../../lib/errors.js';
import { WorkQueue, logSyncErrors, runWorkers, type ControllerDeps } from '../runtime/index.js';
import { AbsentOwners, classify, decide, type OwnerState } from './decide.js';
import { OwnershipGraph, hasFinalizer, ownerRefsOf, type OwnerRef } from './graph.js';

const ORPHAN = 'orphan';
const FOREGROUND = 'foregroundDeletion';
const WORKERS = 20;

const isNotFound = (e: unknown): boolean => e instanceof StatusError && e.reason === 'NotFound';

const sameRefs = (a: ApiObject, b: ApiObject): boolean => JSON.stringify(ownerRefsOf(a)) === JSON.stringify(ownerRefsOf(b));

export class GarbageCollector {
  readonly name = 'garbage-collector';
  private readonly queue: WorkQueue;
  private readonly client: Client;
  private readonly recorder: EventRecorder;
  private readonly absent = new AbsentOwners();

  constructor(
    private readonly deps: ControllerDeps,
    private readonly graph: OwnershipGraph,
  ) {
    this.client = deps.client;
    this.recorder = deps.recorder('garbage-collector-controller');
    this.queue = new WorkQueue({ clock: deps.clock });
    for (const [kind, inf] of graph.informers) {
      inf.addHandlers({
        onAdd: (o) => this.observe(kind, undefined, o),
        onUpdate: (old, o) => this.observe(kind, old, o),
        onDelete: (o) => this.gone(o),
      });
    }
  }

  async run(signal: AbortSignal): Promise<void> {
    await this.graph.synced();
    if (signal.aborted) return;
    await runWorkers(this, {
      workers: WORKERS,
      queue: this.queue,
      signal,
      onError: logSyncErrors(this.deps.log),
    });
  }

  private observe(kind: KindDef, old: ApiObject | undefined, obj: ApiObject): void {
    if (old && old.metadata?.resourceVersion === obj.metadata?.resourceVersion) return;
    const refsChanged = !old || !sameRefs(old, obj);
    if (refsChanged && ownerRefsOf(obj).length > 0) this.queue.add(this.graph.keyOf(kind, obj));
    // A dependent that let go of (or stopped blocking) an owner may be what that owner waits for.
    if (old && refsChanged) for (const ref of [...ownerRefsOf(old), ...ownerRefsOf(obj)]) this.enqueueDeletingOwner(ref, obj);
    if (obj.metadata?.deletionTimestamp && (hasFinalizer(obj, ORPHAN) || hasFinalizer(obj, FOREGROUND))) this.queue.add(this.graph.keyOf(kind, obj));
  }

  private gone(obj: ApiObject): void {
    const uid = obj.metadata?.uid;
    if (uid) {
      this.absent.add(uid);
      for (const d of this.graph.dependents(uid)) this.queue.add(this.graph.keyOf(d.kind, d.obj));
    }
    for (const ref of ownerRefsOf(obj)) this.enqueueDeletingOwner(ref, obj);
  }

  private enqueueDeletingOwner(ref: OwnerRef, dependent: ApiObject): void {
    const kind = this.graph.kindOf(ref);
    if (!kind) return;
    const owner = this.graph.get(kind, dependent.metadata?.namespace, ref.name);
    if (owner?.metadata?.uid === ref.uid && owner.metadata.deletionTimestamp) this.queue.add(this.graph.keyOf(kind, owner));
  }

  async sync(key: string): Promise<void> {
    const k = this.graph.parseKey(key);
    if (!k) return;
    const obj = this.graph.get(k.kind, k.namespace, k.name);
    if (!obj) return;
    if (obj.metadata?.deletionTimestamp) {
      // Orphaning first: an object with both finalizers keeps its dependents.
      if (hasFinalizer(obj, ORPHAN)) return this.orphanDependents(k.kind, obj);
      if (hasFinalizer(obj, FOREGROUND)) return this.deleteDependentsFirst(k.kind, obj);
      return;
    }
    if (ownerRefsOf(obj).length > 0) await this.attemptToDelete(k.kind, obj);
  }

  /** Owner state as far as the caches can tell; undefined when only the API server can. */
  private cachedState(ref: OwnerRef, dep: ApiObject): OwnerState | undefined {
    if (this.absent.has(ref.uid)) return 'dangling';
    const kind = this.graph.kindOf(ref);
    // An owner of a kind we do not serve cannot be checked; never delete on a guess.
    if (!kind) return 'solid';
    if (kind.namespaced && !dep.metadata?.namespace) return 'solid';
    const owner = this.graph.get(kind, dep.metadata?.namespace, ref.name);
    if (!owner || owner.metadata?.uid !== ref.uid) return undefined;
    return stateOf(owner);
  }

  private async liveState(ref: OwnerRef, dep: ApiObject): Promise<OwnerState> {
    const kind = this.graph.kindOf(ref) as KindDef;
    try {
      const owner = await this.client.get(kind, kind.namespaced ? dep.metadata?.namespace : undefined, ref.name);
      if (owner.metadata?.uid === ref.uid) return stateOf(owner);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    this.absent.add(ref.uid);
    return 'dangling';
  }

  private async attemptToDelete(kind: KindDef, cached: ApiObject): Promise<void> {
    if (ownerRefsOf(cached).every((r) => this.cachedState(r, cached) === 'solid')) {
      this.warnInvalidOwners(cached);
      return;
    }
    // Decide from the live object: its references may already have changed.
    let dep: ApiObject;
    try {
      dep = await this.client.get(kind, cached.metadata?.namespace, cached.metadata?.name ?? '');
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    if (dep.metadata?.uid !== cached.metadata?.uid || dep.metadata?.deletionTimestamp) return;
    const refs = ownerRefsOf(dep);
    if (refs.length === 0) return;
    const states = new Map<string, OwnerState>();
    for (const ref of refs) states.set(ref.uid, this.cachedState(ref, dep) ?? (await this.liveState(ref, dep)));
    const owners = classify(refs, (r) => states.get(r.uid) ?? 'solid');
    const hasDependents = this.graph.dependents(dep.metadata?.uid ?? '').length > 0;
    const decision = decide(dep, owners, { hasDependents });
    const ns = dep.metadata?.namespace;
    const name = dep.metadata?.name ?? '';
    if (decision.action === 'removeRefs') {
      await this.removeOwnerRefs(kind, dep, decision.uids);
    } else if (decision.action === 'delete') {
      await this.client
        .delete(kind, ns, name, { propagationPolicy: decision.policy, preconditions: { uid: dep.metadata?.uid ?? '' } })
        .catch((err: unknown) => {
          if (!isNotFound(err) && !(err instanceof StatusError && err.reason === 'Conflict')) throw err;
        });
    }
  }

  /** Kubernetes reports (and refuses to act on) cluster-scoped objects owned by namespaced kinds. */
  private warnInvalidOwners(dep: ApiObject): void {
    if (dep.metadata?.namespace) return;
    for (const ref of ownerRefsOf(dep)) {
      if (this.graph.kindOf(ref)?.namespaced)
        this.recorder.event(dep, 'Warning', 'OwnerRefInvalidNamespace', `ownerRef ${JSON.stringify(ref)} does not exist in namespace ""`);
    }
  }

  private async removeOwnerRefs(kind: KindDef, dep: ApiObject, uids: string[]): Promise<void> {
    const body = { metadata: { ownerReferences: uids.map((uid) => ({ $patch: 'delete', uid })) } };
    await this.client.patch(kind, dep.metadata?.namespace, dep.metadata?.name ?? '', { type: 'strategic', body }).catch((err: unknown) => {
      if (!isNotFound(err)) throw err;
    });
  }

  private async removeFinalizer(kind: KindDef, obj: ApiObject, finalizer: string): Promise<void> {
    const body = { metadata: { [`$deleteFromPrimitiveList/finalizers`]: [finalizer] } };
    await this.client.patch(kind, obj.metadata?.namespace, obj.metadata?.name ?? '', { type: 'strategic', body }).catch((err: unknown) => {
      if (!isNotFound(err)) throw err;
    });
  }

  private async orphanDependents(kind: KindDef, owner: ApiObject): Promise<void> {
    const uid = owner.metadata?.uid ?? '';
    for (const d of this.graph.dependents(uid)) await this.removeOwnerRefs(d.kind, d.obj, [uid]);
    await this.removeFinalizer(kind, owner, ORPHAN);
  }

  /** Foreground deletion: dependents go first; the owner's finalizer goes once none blocks it. */
  private async deleteDependentsFirst(kind: KindDef, owner: ApiObject): Promise<void> {
    const uid = owner.metadata?.uid ?? '';
    const dependents = this.graph.dependents(uid);
    const blocking = dependents.filter((d) => ownerRefsOf(d.obj).some((r) => r.uid === uid && r.blockOwnerDeletion === true));
    if (blocking.length === 0) return this.removeFinalizer(kind, owner, FOREGROUND);
    for (const d of dependents) if (!d.obj.metadata?.deletionTimestamp) this.queue.add(this.graph.keyOf(d.kind, d.obj));
  }
}

function stateOf(owner: ApiObject): OwnerState {
  return owner.metadata?.deletionTimestamp && hasFinalizer(owner, FOREGROUND) ? 'waiting' : 'solid';
}
