// The namespace controller: when a namespace is marked for deletion it deletes everything in
// it, reports progress in the namespace's status conditions, and once the server shows it empty
// removes the `kubernetes` finalizer through /finalize, after which the API server removes the
// namespace. Content still terminating (pods in their grace period, objects held by finalizers)
// makes it look again later: after the pods' remaining grace, or with a growing delay while
// finalizers hold things up.
import type { ApiObject, KindDef } from '../../api/kind.js';
import { namespaceKind, type Namespace } from '../../api/core/v1/index.js';
import type { Client, Informer } from '../../client/index.js';
import { StatusError } from '../../lib/errors.js';
import { WorkQueue, logSyncErrors, runWorkers, type ControllerDeps } from '../runtime/index.js';
import { deleteContent } from './content.js';
import { deletionConditions, type NamespaceCondition } from './conditions.js';

const FINALIZER = 'kubernetes';
const WORKERS = 10;
const MAX_WAIT_MS = 30_000;

const ts = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export class NamespaceController {
  readonly name = 'namespace';
  private readonly queue: WorkQueue;
  private readonly client: Client;
  private readonly informer: Informer<Namespace & ApiObject>;
  /** Consecutive passes that found content left, per namespace, to slow re-checks down. */
  private readonly waits = new Map<string, number>();

  constructor(
    private readonly deps: ControllerDeps,
    private readonly kinds: readonly KindDef[],
  ) {
    this.client = deps.client;
    this.queue = new WorkQueue({ clock: deps.clock });
    this.informer = deps.informers.for<Namespace & ApiObject>(namespaceKind);
    this.informer.addHandlers({
      onAdd: (ns) => this.enqueue(ns),
      onUpdate: (_old, ns) => this.enqueue(ns),
    });
  }

  private enqueue(ns: ApiObject): void {
    if (ns.metadata?.deletionTimestamp) this.queue.add(ns.metadata.name ?? '');
  }

  async run(signal: AbortSignal): Promise<void> {
    await this.informer.synced;
    if (signal.aborted) return;
    await runWorkers(this, {
      workers: WORKERS,
      queue: this.queue,
      signal,
      onError: logSyncErrors(this.deps.log),
    });
  }

  async sync(name: string): Promise<void> {
    if (!this.informer.store.get(undefined, name)?.metadata?.deletionTimestamp) return;
    let ns: Namespace & ApiObject;
    try {
      ns = await this.client.get<Namespace & ApiObject>(namespaceKind, undefined, name);
    } catch (err) {
      if (err instanceof StatusError && err.reason === 'NotFound') return this.forget(name);
      throw err;
    }
    if (!ns.metadata?.deletionTimestamp || !(ns.spec?.finalizers ?? []).includes(FINALIZER)) return this.forget(name);
    const now = this.deps.clock.now();
    const report = await deleteContent(this.client, this.kinds, { namespace: name, now });
    ns = await this.writeConditions(ns, deletionConditions((ns.status?.conditions ?? []) as NamespaceCondition[], report, ts(now)));
    if (report.errors.length > 0) throw new Error(`deleting content of namespace ${name}: ${report.errors.join('; ')}`);
    if (report.remaining.size > 0) {
      const n = this.waits.get(name) ?? 0;
      this.waits.set(name, n + 1);
      const graceMs = report.estimateSeconds > 0 ? (report.estimateSeconds / 2 + 1) * 1000 : 0;
      this.queue.addAfter(name, Math.max(graceMs, Math.min(MAX_WAIT_MS, 1000 * 2 ** Math.min(n, 5))));
      return;
    }
    await this.finalize(ns);
    this.forget(name);
  }

  private forget(name: string): void {
    this.waits.delete(name);
  }

  private async writeConditions(ns: Namespace & ApiObject, conditions: NamespaceCondition[]): Promise<Namespace & ApiObject> {
    const status = { ...(ns.status ?? {}), phase: 'Terminating' as const, conditions };
    if (JSON.stringify(status) === JSON.stringify(ns.status)) return ns;
    return this.client.update<Namespace & ApiObject>(namespaceKind, undefined, { ...ns, status }, { subresource: 'status' });
  }

  private async finalize(ns: Namespace & ApiObject): Promise<void> {
    const finalizers = (ns.spec?.finalizers ?? []).filter((f) => f !== FINALIZER);
    try {
      await this.client.update(namespaceKind, undefined, { ...ns, spec: { ...ns.spec, finalizers } }, { subresource: 'finalize' });
    } catch (err) {
      if (!(err instanceof StatusError && err.reason === 'NotFound')) throw err;
    }
  }
}
