// The API objects a kubelet reads to run pods — ConfigMaps and Secrets (env and volumes),
// Services (service environment variables), ServiceAccounts (token automounting), and claims and
// volumes (persistentVolumeClaim volumes) — read through informers, one per kind for the whole
// process, each listed and watched only once some pod first needs it. So hollow nodes whose pods
// never reference a Secret never watch Secrets, and a thousand kubelets of one process share one
// watch per kind. Changes are passed on, so volumes that project an object follow its updates.
import type { ApiObject, KindRef } from '../../api/kind.js';
import type { ConfigMap, PersistentVolume, PersistentVolumeClaim, Secret, Service, ServiceAccount } from '../../api/core/v1/index.js';
import { configMapKind, persistentVolumeClaimKind, persistentVolumeKind, secretKind, serviceAccountKind, serviceKind } from '../../api/refs/index.js';
import { Informer, type Client } from '../../client/index.js';

/** How long a first read waits for its kind's initial list before the sync fails (and is retried). */
const SYNC_TIMEOUT_MS = 15_000;

export type ObjectKindName = 'configmaps' | 'secrets' | 'services' | 'serviceaccounts' | 'persistentvolumeclaims' | 'persistentvolumes';

const KINDS: Record<ObjectKindName, KindRef> = {
  configmaps: configMapKind,
  secrets: secretKind,
  services: serviceKind,
  serviceaccounts: serviceAccountKind,
  persistentvolumeclaims: persistentVolumeClaimKind,
  persistentvolumes: persistentVolumeKind,
};

/** Called when an object of a kind already in use changes or goes away. */
export type ObjectChange = (kind: ObjectKindName, namespace: string, name: string) => void;

export class PodObjects {
  private readonly informers = new Map<ObjectKindName, Informer>();
  private readonly listeners = new Set<ObjectChange>();
  private signal: AbortSignal | undefined;

  constructor(
    private readonly client: Client,
    private readonly o: { log?(msg: string): void } = {},
  ) {}

  /** Lets informers run (once needed) until the signal aborts; calls while that holds are ignored. */
  start(signal: AbortSignal): void {
    if (this.signal && !this.signal.aborted) return;
    // A restart after a stop (same client, new signal) starts over with fresh informers.
    this.signal = signal;
    this.informers.clear();
  }

  /** Registers a change listener; returns its removal. */
  onChange(fn: ObjectChange): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  async configMap(namespace: string, name: string): Promise<ConfigMap | undefined> {
    return (await this.cache('configmaps')).store.get(namespace, name) as ConfigMap | undefined;
  }

  async secret(namespace: string, name: string): Promise<Secret | undefined> {
    return (await this.cache('secrets')).store.get(namespace, name) as Secret | undefined;
  }

  async serviceAccount(namespace: string, name: string): Promise<ServiceAccount | undefined> {
    return (await this.cache('serviceaccounts')).store.get(namespace, name) as ServiceAccount | undefined;
  }

  async claim(namespace: string, name: string): Promise<PersistentVolumeClaim | undefined> {
    return (await this.cache('persistentvolumeclaims')).store.get(namespace, name) as PersistentVolumeClaim | undefined;
  }

  async volume(name: string): Promise<PersistentVolume | undefined> {
    return (await this.cache('persistentvolumes')).store.get(undefined, name) as PersistentVolume | undefined;
  }

  /** Every Service of the given namespaces. */
  async services(namespaces: string[]): Promise<Service[]> {
    const inf = await this.cache('services');
    return namespaces.flatMap((ns) => inf.store.list(ns) as Service[]);
  }

  /** The informer of a kind, started and listed on first use. */
  private async cache(kind: ObjectKindName): Promise<Informer> {
    let inf = this.informers.get(kind);
    if (!inf) {
      const signal = this.signal;
      if (!signal) throw new Error('pod object cache used before start');
      inf = new Informer(this.client, KINDS[kind], { onError: (err) => this.o.log?.(`${kind} informer: ${err instanceof Error ? err.message : String(err)}`) });
      const notify = (obj: ApiObject): void => {
        for (const fn of this.listeners) fn(kind, obj.metadata?.namespace ?? '', obj.metadata?.name ?? '');
      };
      inf.addHandlers({ onUpdate: (_old, obj) => notify(obj), onDelete: notify, onAdd: notify });
      this.informers.set(kind, inf);
      inf.start(signal);
    }
    if (!inf.hasSynced) await withTimeout(inf.synced, SYNC_TIMEOUT_MS, `timed out waiting for the ${kind} cache to sync`);
    return inf;
  }
}

async function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const shared = new WeakMap<Client, PodObjects>();

/** One cache per client: the kubelets of one process share their client, so they share this too. */
export function podObjectsFor(client: Client, o: { log?(msg: string): void } = {}): PodObjects {
  let objects = shared.get(client);
  if (!objects) shared.set(client, (objects = new PodObjects(client, o)));
  return objects;
}
