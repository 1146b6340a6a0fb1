// The local-path provisioner, like the one k3s ships: makes sure the default `local-path`
// StorageClass exists, creates a node-local PersistentVolume for each claim the PV binder hands
// to it (volume.kubernetes.io/storage-provisioner names us) once the scheduler has chosen the
// node (volume.kubernetes.io/selected-node), and deletes the volumes it made once they are
// Released with reclaim policy Delete. The directory is made by the kubelet of that node when a
// pod mounts the volume and removed by the node later; this controller only writes API objects.
import { nodeKind, persistentVolumeClaimKind, persistentVolumeKind, type Node, type PersistentVolume, type PersistentVolumeClaim } from '../../api/core/v1/index.js';
import { storageClassKind, type StorageClass } from '../../api/storage/v1/index.js';
import { splitKey, type EventRecorder, type Informer } from '../../client/index.js';
import { StatusError } from '../../lib/errors.js';
import { WorkQueue, runWorkers, type Controller, type ControllerDeps } from '../runtime/index.js';
import { aborted } from '../replicaset/index.js';
import { ANN_BETA_STORAGE_PROVISIONER, ANN_PROVISIONED_BY, ANN_SELECTED_NODE, ANN_STORAGE_PROVISIONER, claimClass } from '../persistentvolume/index.js';
import { CLASS_NAME, DEFAULT_STORAGE_ROOT, PROVISIONER, defaultStorageClass, unsupported, volumeFor, volumeNameFor } from './provisioner.js';

export interface LocalPathOptions {
  /** Where volumes live on the nodes (default /var/lib/tugboat/storage). */
  storageRoot?: string;
  /** Create the default `local-path` StorageClass when missing (default true). */
  defaultClass?: boolean;
}

const CLASS_KEY = 'class';
const ignore = (err: unknown, ...reasons: string[]): void => {
  if (!(err instanceof StatusError && reasons.includes(err.reason))) throw err;
};

export class LocalPathProvisioner implements Controller {
  readonly name = 'local-path-provisioner';
  private readonly queue: WorkQueue;
  private readonly claims: Informer<PersistentVolumeClaim>;
  private readonly volumes: Informer<PersistentVolume>;
  private readonly classes: Informer<StorageClass>;
  private readonly nodes: Informer<Node>;
  private readonly recorder: EventRecorder;

  constructor(
    private readonly deps: ControllerDeps,
    private readonly opts: LocalPathOptions = {},
  ) {
    this.queue = new WorkQueue({ clock: deps.clock });
    this.claims = deps.informers.for<PersistentVolumeClaim>(persistentVolumeClaimKind);
    this.volumes = deps.informers.for<PersistentVolume>(persistentVolumeKind);
    this.classes = deps.informers.for<StorageClass>(storageClassKind);
    this.nodes = deps.informers.for<Node>(nodeKind);
    this.recorder = deps.recorder(PROVISIONER);
  }

  async run(signal: AbortSignal): Promise<void> {
    const claimKey = (c: PersistentVolumeClaim): void => this.queue.add(`claim:${c.metadata?.namespace ?? ''}/${c.metadata?.name ?? ''}`);
    const volumeKey = (v: PersistentVolume): void => {
      if (v.metadata?.annotations?.[ANN_PROVISIONED_BY] === PROVISIONER) this.queue.add(`volume:${v.metadata.name ?? ''}`);
    };
    this.claims.addHandlers({ onAdd: claimKey, onUpdate: (_o, c) => claimKey(c) });
    this.volumes.addHandlers({ onAdd: volumeKey, onUpdate: (_o, v) => volumeKey(v) });
    await Promise.race([Promise.all([this.claims.synced, this.volumes.synced, this.classes.synced, this.nodes.synced]), aborted(signal)]);
    if (signal.aborted) return;
    if (this.opts.defaultClass ?? true) this.queue.add(CLASS_KEY);
    await runWorkers(this, {
      workers: 2,
      queue: this.queue,
      signal,
      onError: (_c, key, err) => this.deps.log(`local-path-provisioner ${key}: ${err instanceof Error ? err.message : String(err)}`),
    });
  }

  async sync(key: string): Promise<void> {
    if (key === CLASS_KEY) return this.ensureClass();
    if (key.startsWith('volume:')) return this.syncVolume(key.slice('volume:'.length));
    const { namespace, name } = splitKey(key.slice('claim:'.length));
    return this.syncClaim(namespace ?? '', name);
  }

  private async ensureClass(): Promise<void> {
    if (this.classes.store.get(undefined, CLASS_NAME)) return;
    try {
      await this.deps.client.create(storageClassKind, undefined, defaultStorageClass());
    } catch (err) {
      ignore(err, 'AlreadyExists');
    }
  }

  private async syncClaim(namespace: string, name: string): Promise<void> {
    const c = this.claims.store.get(namespace, name);
    if (!c || c.metadata?.deletionTimestamp || c.spec?.volumeName) return;
    const a = c.metadata?.annotations ?? {};
    if ((a[ANN_STORAGE_PROVISIONER] ?? a[ANN_BETA_STORAGE_PROVISIONER]) !== PROVISIONER) return;
    const cls = this.classes.store.get(undefined, claimClass(c));
    if (cls?.provisioner !== PROVISIONER) return;
    if (this.volumes.store.get(undefined, volumeNameFor(c))) return;
    const nodeName = a[ANN_SELECTED_NODE];
    const why = nodeName ? unsupported(c) : 'configuration error, no node was specified';
    if (why) {
      this.recorder.event(c, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${cls.metadata?.name ?? ''}": ${why}`);
      return;
    }
    this.recorder.event(c, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${namespace}/${name}"`);
    const pv = volumeFor({ claim: c, cls, nodeName: nodeName ?? '', node: this.nodes.store.get(undefined, nodeName ?? ''), storageRoot: this.opts.storageRoot ?? DEFAULT_STORAGE_ROOT });
    try {
      await this.deps.client.create(persistentVolumeKind, undefined, pv);
    } catch (err) {
      ignore(err, 'AlreadyExists');
      return;
    }
    this.recorder.event(c, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${pv.metadata?.name ?? ''}`);
  }

  private async syncVolume(name: string): Promise<void> {
    const v = this.volumes.store.get(undefined, name);
    if (!v || v.metadata?.deletionTimestamp || v.metadata?.annotations?.[ANN_PROVISIONED_BY] !== PROVISIONER) return;
    if (v.status?.phase !== 'Released' || v.spec?.persistentVolumeReclaimPolicy !== 'Delete') return;
    try {
      await this.deps.client.delete(persistentVolumeKind, undefined, name, { preconditions: { uid: v.metadata.uid ?? '' } });
    } catch (err) {
      ignore(err, 'NotFound', 'Conflict');
    }
  }
}
