// The registry: for every served kind, its store (writes) and reader (reads), addressable by
// group/version/plural as the REST paths name them. Built once from the kinds list; also the
// place namespaced creates are checked against the namespace's lifecycle (it must exist and not
// be terminating).
import type { ApiObject, KindDef } from '../../api/kind.js';
import { notFound, StatusError } from '../../lib/errors.js';
import type { Backend } from '../../storage/index.js';
import type { WatchCache } from '../cache/watch-cache.js';
import { fromStorage } from './codec.js';
import { objectKey } from './keys.js';
import { Reader } from './reads.js';
import { Store } from './store.js';
import { strategyFor } from './strategies/index.js';
import { newServiceAllocator } from './strategies/service-allocator.js';
import type { WriteContext } from './strategy.js';
import { podPriorityAdmission, priorityClassLookup } from './strategies/pod-priority.js';
import { pvcDefaultClassAdmission } from './strategies/pvc-default-class.js';
import type { RbacWriteGuard } from './strategies/rbac.js';

export interface Resource {
  kind: KindDef;
  store: Store;
  reader: Reader;
}

export interface RegistryOptions {
  serviceCIDR: string;
  /** Escalation prevention for RBAC writes (the authorizer's guard). */
  rbacGuard?: RbacWriteGuard;
}

export class Registry {
  private readonly byPath = new Map<string, Resource>();
  private readonly byKind = new Map<string, Resource>();

  constructor(
    readonly kinds: readonly KindDef[],
    private readonly backend: Backend,
    readonly cache: WatchCache,
    opts: RegistryOptions,
  ) {
    const serviceKind = kinds.find((k) => k.group === '' && k.plural === 'services');
    const serviceAllocator = newServiceAllocator({
      cidr: opts.serviceCIDR,
      services: () => (serviceKind ? cache.resource(serviceKind).list('').map((o) => o.object) : []),
    });
    // Admission beyond the kind's own strategy, in the order Kubernetes runs these plugins.
    const admission: Record<string, ((obj: ApiObject, ctx: WriteContext) => Promise<void>)[]> = {
      '/pods': [podPriorityAdmission(priorityClassLookup(this))],
      '/persistentvolumeclaims': [pvcDefaultClassAdmission(() => this.listCached('storage.k8s.io', 'StorageClass'))],
    };
    for (const kind of kinds) {
      const strategy = strategyFor(kind, { serviceAllocator, ...(opts.rbacGuard ? { rbacGuard: opts.rbacGuard } : {}) });
      const plugins = admission[`${kind.group}/${kind.plural}`] ?? [];
      if (kind.namespaced || plugins.length > 0) {
        const own = strategy.admit;
        strategy.admit = async (obj, ctx) => {
          if (kind.namespaced) await this.admitNamespace(obj, ctx);
          for (const plugin of plugins) await plugin(obj, ctx);
          await own?.(obj, ctx);
        };
      }
      const r: Resource = { kind, store: new Store(kind, strategy, backend, cache.resource(kind)), reader: new Reader(kind, backend, cache) };
      this.byPath.set(`${kind.group}/${kind.version}/${kind.plural}`, r);
      this.byKind.set(`${kind.group}/${kind.kind}`, r);
    }
  }

  resource(group: string, version: string, plural: string): Resource | undefined {
    return this.byPath.get(`${group}/${version}/${plural}`);
  }

  /** By group and kind, e.g. ('', 'Namespace'); throws when the kind is not served. */
  byGroupKind(group: string, kind: string): Resource {
    const r = this.byKind.get(`${group}/${kind}`);
    if (!r) throw new Error(`kind ${group}/${kind} is not served`);
    return r;
  }

  /** Every cached object of a kind (all namespaces). */
  listCached(group: string, kind: string): ApiObject[] {
    return this.cache.resource(this.byGroupKind(group, kind).kind).list('').map((o) => o.object);
  }

  private async admitNamespace(obj: ApiObject, ctx: WriteContext): Promise<void> {
    const ns = obj.metadata?.namespace ?? '';
    const nsRes = this.byGroupKind('', 'Namespace');
    const key = objectKey(nsRes.kind, undefined, ns);
    const cached = this.cache.resource(nsRes.kind).get(key)?.object;
    const kv = cached ? undefined : await this.backend.get(key);
    const nsObj = cached ?? (kv ? fromStorage(kv) : undefined);
    if (!nsObj) throw notFound({ group: '', resource: 'namespaces' }, ns);
    if (nsObj.metadata?.deletionTimestamp && !ctx.dryRun)
      throw new StatusError('Forbidden', `${obj.kind ?? ''} "${obj.metadata?.name ?? ''}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`, {
        details: { name: obj.metadata?.name ?? '', kind: obj.kind ?? '', causes: [{ reason: 'NamespaceTerminating', message: `namespace ${ns} is being terminated`, field: 'metadata.namespace' }] },
      });
  }
}
