// The service account controller: every active namespace has a `default` ServiceAccount — made
// when the namespace appears and made again if someone deletes it. No token Secrets are made
// (Kubernetes stopped doing that in 1.24; pods get short-lived projected tokens instead).
import type { ApiObject } from '../../api/kind.js';
import { namespaceKind, serviceAccountKind, type Namespace, type ServiceAccount } from '../../api/core/v1/index.js';
import type { Client, Informer } from '../../client/index.js';
import { StatusError } from '../../lib/errors.js';
import { WorkQueue, acceptsNewObjects, logSyncErrors, runWorkers, type ControllerDeps } from '../runtime/index.js';

const ACCOUNTS = ['default'];
const WORKERS = 3;

export class ServiceAccountController {
  readonly name = 'serviceaccount';
  private readonly queue: WorkQueue;
  private readonly client: Client;
  private readonly namespaces: Informer<Namespace & ApiObject>;
  private readonly accounts: Informer<ServiceAccount & ApiObject>;

  constructor(private readonly deps: ControllerDeps) {
    this.client = deps.client;
    this.queue = new WorkQueue({ clock: deps.clock });
    this.namespaces = deps.informers.for<Namespace & ApiObject>(namespaceKind);
    this.accounts = deps.informers.for<ServiceAccount & ApiObject>(serviceAccountKind);
    this.namespaces.addHandlers({
      onAdd: (ns) => this.queue.add(ns.metadata?.name ?? ''),
      onUpdate: (_old, ns) => this.queue.add(ns.metadata?.name ?? ''),
    });
    this.accounts.addHandlers({
      onDelete: (sa) => {
        if (ACCOUNTS.includes(sa.metadata?.name ?? '')) this.queue.add(sa.metadata?.namespace ?? '');
      },
    });
  }

  async run(signal: AbortSignal): Promise<void> {
    await Promise.all([this.namespaces.synced, this.accounts.synced]);
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
    for (const name of ACCOUNTS) {
      if (this.accounts.store.get(namespace, name)) continue;
      try {
        await this.client.create(serviceAccountKind, namespace, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } });
      } catch (err) {
        // Already there (our cache is behind), or the namespace started terminating meanwhile.
        if (err instanceof StatusError && (err.reason === 'AlreadyExists' || err.reason === 'Forbidden' || err.reason === 'NotFound')) continue;
        throw err;
      }
    }
  }
}
