// The root CA publisher: every active namespace holds a ConfigMap `kube-root-ca.crt` whose
// `ca.crt` is the cluster CA, so pods (through their kube-api-access projected volume) and
// anything else running in the namespace can verify the API server. It is made when a namespace
// appears and put back when someone deletes it or changes its data; other fields (labels,
// annotations) users add are left alone.
import type { ApiObject } from '../../api/kind.js';
import { configMapKind, namespaceKind, type ConfigMap, type Namespace } from '../../api/core/v1/index.js';
import type { Client, Informer } from '../../client/index.js';
import { StatusError } from '../../lib/errors.js';
import { WorkQueue, acceptsNewObjects, logSyncErrors, runWorkers, type ControllerDeps } from '../runtime/index.js';

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
export const ROOT_CA_KEY = 'ca.crt';
const WORKERS = 2;

/** Errors that mean "nothing to do": our cache is behind, or the namespace is going away. */
const settled = (err: unknown): boolean => err instanceof StatusError && ['AlreadyExists', 'Conflict', 'NotFound', 'Forbidden'].includes(err.reason);

export class RootCaCertPublisher {
  readonly name = 'root-ca-cert-publisher';
  private readonly queue: WorkQueue;
  private readonly client: Client;
  private readonly namespaces: Informer<Namespace & ApiObject>;
  private readonly configMaps: Informer<ConfigMap & ApiObject>;

  constructor(
    private readonly deps: ControllerDeps,
    private readonly caPem: string,
  ) {
    this.client = deps.client;
    this.queue = new WorkQueue({ clock: deps.clock });
    this.namespaces = deps.informers.for<Namespace & ApiObject>(namespaceKind);
    this.configMaps = deps.informers.for<ConfigMap & ApiObject>(configMapKind);
    this.namespaces.addHandlers({
      onAdd: (ns) => this.queue.add(ns.metadata?.name ?? ''),
      onUpdate: (_old, ns) => this.queue.add(ns.metadata?.name ?? ''),
    });
    const ours = (cm: ConfigMap): void => {
      if (cm.metadata?.name === ROOT_CA_CONFIGMAP) this.queue.add(cm.metadata?.namespace ?? '');
    };
    this.configMaps.addHandlers({ onUpdate: (_old, cm) => ours(cm), onDelete: ours });
  }

  async run(signal: AbortSignal): Promise<void> {
    await Promise.all([this.namespaces.synced, this.configMaps.synced]);
    if (signal.aborted) return;
    await runWorkers(this, {
      workers: WORKERS,
      queue: this.queue,
      signal,
      onError: logSyncErrors(this.deps.log),
    });
  }

  async sync(namespace: string): Promise<void> {
    const ns = this.namespaces.store.get(undefined, namespace);
    if (!acceptsNewObjects(ns)) return;
    const data = { [ROOT_CA_KEY]: this.caPem };
    const cm = this.configMaps.store.get(namespace, ROOT_CA_CONFIGMAP);
    try {
      if (!cm) {
        await this.client.create(configMapKind, namespace, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: ROOT_CA_CONFIGMAP, namespace }, data });
      } else if (!sameData(cm, data)) {
        // The cache's object is shared: replace data on a copy, keeping everything else.
        const { binaryData: _dropped, ...rest } = cm;
        await this.client.update(configMapKind, namespace, { ...rest, data });
      }
    } catch (err) {
      // The informer's next event brings the real state and enqueues the namespace again.
      if (!settled(err)) throw err;
    }
  }
}

function sameData(cm: ConfigMap, want: Record<string, string>): boolean {
  const have = cm.data ?? {};
  if (cm.binaryData && Object.keys(cm.binaryData).length > 0) return false;
  const keys = Object.keys(have);
  return keys.length === Object.keys(want).length && keys.every((k) => have[k] === want[k]);
}
