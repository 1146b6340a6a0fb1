// Namespace lifecycle: when a namespace is marked for deletion, delete everything in it (every
// namespaced kind), and once nothing is left clear its `kubernetes` finalizer so it disappears.
// It also brings up the namespaces every cluster starts with. Objects still held by their own
// finalizers or by terminating pods keep the namespace Terminating until they are gone.
import type { ApiObject } from '../../api/kind.js';
import { StatusError } from '../../lib/errors.js';
import type { Registry } from '../registry/registry.js';
import type { WriteContext } from '../registry/strategy.js';

export const INITIAL_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

const ctx = (): WriteContext => ({ now: new Date(), user: { name: 'system:apiserver', groups: ['system:masters'] }, dryRun: false, warnings: [] });

const ignoreGone = (e: unknown): undefined => {
  if (e instanceof StatusError && (e.reason === 'NotFound' || e.reason === 'Conflict')) return undefined;
  throw e;
};

export async function ensureNamespaces(registry: Registry): Promise<void> {
  const { store } = registry.byGroupKind('', 'Namespace');
  for (const name of INITIAL_NAMESPACES) {
    await store.create(undefined, { metadata: { name } }, ctx(), { fieldValidation: 'Strict' }).catch((e: unknown) => {
      if (!(e instanceof StatusError && e.reason === 'AlreadyExists')) throw e;
    });
  }
}

export class NamespaceLifecycle {
  private running = false;
  private again = false;

  constructor(
    private readonly registry: Registry,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(signal: AbortSignal): void {
    const nsKind = this.registry.byGroupKind('', 'Namespace').kind;
    const cache = this.registry.cache.resource(nsKind);
    const stop = cache.watch(
      { prefix: '', matches: (o) => o.metadata?.deletionTimestamp !== undefined, deliver: () => this.kick() },
      this.registry.cache.revision,
    );
    // Objects going away inside a terminating namespace may unblock it; re-check on a timer too.
    const timer = setInterval(() => this.kick(), 1000);
    timer.unref();
    signal.addEventListener('abort', () => {
      stop();
      clearInterval(timer);
    });
    this.kick();
  }

  private kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    this.syncAll()
      .catch(this.onError)
      .finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async syncAll(): Promise<void> {
    const nsKind = this.registry.byGroupKind('', 'Namespace').kind;
    const terminating = this.registry.cache
      .resource(nsKind)
      .list('')
      .map((o) => o.object)
      .filter((o) => o.metadata?.deletionTimestamp !== undefined);
    for (const ns of terminating) await this.sync(ns);
  }

  /** Deletes one round of the namespace's content; finalizes the namespace when it is empty. */
  private async sync(ns: ApiObject): Promise<void> {
    const name = ns.metadata?.name ?? '';
    let remaining = 0;
    for (const kind of this.registry.kinds) {
      if (!kind.namespaced) continue;
      const { store } = this.registry.byGroupKind(kind.group, kind.kind);
      const objs = this.registry.cache.resource(kind).list(`/registry/${kind.group || 'core'}/${kind.plural}/${name}/`);
      remaining += objs.length;
      for (const o of objs) {
        if (o.object.metadata?.deletionTimestamp) continue;
        await store.delete(name, o.object.metadata?.name ?? '', { propagationPolicy: 'Background' }, ctx()).catch(ignoreGone);
      }
    }
    if (remaining > 0) return;
    const { store } = this.registry.byGroupKind('', 'Namespace');
    const spec = ns.spec as { finalizers?: string[] } | undefined;
    const finalizers = (spec?.finalizers ?? []).filter((f) => f !== 'kubernetes');
    await store
      .update(undefined, name, { ...ns, spec: { ...spec, finalizers } }, ctx(), { fieldValidation: 'Ignore', subresource: 'finalize' })
      .catch(ignoreGone);
  }
}
