// The PV binder (Kubernetes' persistentvolume-binder): keeps PersistentVolumeClaims and
// PersistentVolumes bound to each other. Keys are `claim:ns/name` or `volume:name`; handlers
// enqueue the changed object and the one it points at, a new free volume wakes the claims still
// waiting, and every object is looked at again each resync period (15 s) as in Kubernetes.
import { nodeKind, persistentVolumeClaimKind, persistentVolumeKind, type Node, type PersistentVolume, type PersistentVolumeClaim } from '../../api/core/v1/index.js';
import { storageClassKind, type StorageClass } from '../../api/storage/v1/index.js';
import { splitKey, type Informer } from '../../client/index.js';
import { WorkQueue, runWorkers, type Controller, type ControllerDeps } from '../runtime/index.js';
import { aborted } from '../replicaset/index.js';
import { syncClaim } from './claims.js';
import { claimQueueKey, volumeQueueKey, type BinderEnv } from './env.js';
import { syncVolume } from './volume-sync.js';
import { claimClass } from './volumes.js';

export interface PersistentVolumeBinderOptions {
  /** How often every claim and volume is synced without events (default 15 s). */
  resyncPeriodMs?: number;
}

const WORKERS = 2;

export class PersistentVolumeBinderController implements Controller {
  readonly name = 'persistentvolume-binder';
  private readonly env: BinderEnv;
  private readonly claims: Informer<PersistentVolumeClaim>;
  private readonly volumes: Informer<PersistentVolume>;
  private readonly classes: Informer<StorageClass>;
  private readonly nodes: Informer<Node>;

  constructor(
    private readonly deps: ControllerDeps,
    private readonly opts: PersistentVolumeBinderOptions = {},
  ) {
    this.claims = deps.informers.for<PersistentVolumeClaim>(persistentVolumeClaimKind);
    this.volumes = deps.informers.for<PersistentVolume>(persistentVolumeKind);
    this.classes = deps.informers.for<StorageClass>(storageClassKind);
    this.nodes = deps.informers.for<Node>(nodeKind);
    this.env = {
      client: deps.client,
      recorder: deps.recorder('persistentvolume-controller'),
      clock: deps.clock,
      queue: new WorkQueue({ clock: deps.clock }),
      claims: this.claims.store,
      volumes: this.volumes.store,
      classes: this.classes.store,
      nodes: this.nodes.store,
    };
  }

  private enqueueClaim = (c: PersistentVolumeClaim): void => {
    this.env.queue.add(claimQueueKey(c.metadata?.namespace ?? '', c.metadata?.name ?? ''));
    if (c.spec?.volumeName) this.env.queue.add(volumeQueueKey(c.spec.volumeName));
  };

  private enqueueVolume = (v: PersistentVolume): void => {
    this.env.queue.add(volumeQueueKey(v.metadata?.name ?? ''));
    const ref = v.spec?.claimRef;
    if (ref?.name) this.env.queue.add(claimQueueKey(ref.namespace ?? '', ref.name));
    // A volume free to take may be what a waiting claim needs.
    else if (v.status?.phase === 'Available') this.enqueueWaitingClaims(() => true);
  };

  private enqueueWaitingClaims(which: (c: PersistentVolumeClaim) => boolean): void {
    for (const c of this.claims.store.list()) if (!c.spec?.volumeName && which(c)) this.enqueueClaim(c);
  }

  async run(signal: AbortSignal): Promise<void> {
    this.claims.addHandlers({ onAdd: this.enqueueClaim, onUpdate: (_o, c) => this.enqueueClaim(c), onDelete: this.enqueueClaim });
    this.volumes.addHandlers({ onAdd: this.enqueueVolume, onUpdate: (_o, v) => this.enqueueVolume(v), onDelete: this.enqueueVolume });
    const onClass = (cls: StorageClass): void => this.enqueueWaitingClaims((c) => claimClass(c) === cls.metadata?.name);
    this.classes.addHandlers({ onAdd: onClass, onUpdate: (_o, cls) => onClass(cls) });
    await Promise.race([Promise.all([this.claims.synced, this.volumes.synced, this.classes.synced, this.nodes.synced]), aborted(signal)]);
    if (signal.aborted) return;
    this.resync(signal);
    await runWorkers(this, {
      workers: WORKERS,
      queue: this.env.queue,
      signal,
      onError: (_c, key, err) => this.deps.log(`persistentvolume-binder ${key}: ${err instanceof Error ? err.message : String(err)}`),
    });
  }

  private resync(signal: AbortSignal): void {
    let timer: { cancel(): void } | undefined;
    const tick = (): void => {
      for (const v of this.volumes.store.list()) this.env.queue.add(volumeQueueKey(v.metadata?.name ?? ''));
      for (const c of this.claims.store.list()) this.env.queue.add(claimQueueKey(c.metadata?.namespace ?? '', c.metadata?.name ?? ''));
      if (!signal.aborted) timer = this.deps.clock.setTimeout(tick, this.opts.resyncPeriodMs ?? 15_000);
    };
    timer = this.deps.clock.setTimeout(tick, this.opts.resyncPeriodMs ?? 15_000);
    signal.addEventListener('abort', () => timer?.cancel(), { once: true });
  }

  async sync(key: string): Promise<void> {
    if (key.startsWith('volume:')) {
      const v = this.volumes.store.get(undefined, key.slice('volume:'.length));
      // A deleted volume needs nothing; its claim (enqueued too) notices it is Lost.
      if (v) await syncVolume(this.env, v);
      return;
    }
    const { namespace, name } = splitKey(key.slice('claim:'.length));
    const c = this.claims.store.get(namespace, name);
    if (c && !c.metadata?.deletionTimestamp) await syncClaim(this.env, c);
  }
}
