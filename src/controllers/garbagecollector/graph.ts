// The garbage collector's view of ownership: one shared informer per kind that can own or be
// owned, each cache indexed by the uids its objects name as owners, so "who depends on uid X"
// is a handful of index lookups instead of a separate graph to keep in step. Also the queue-key
// format (kind plus namespace/name) and resolving an ownerReference's apiVersion+kind to a kind.
import type { ApiObject, KindDef } from '../../api/kind.js';
import type { OwnerReference } from '../../api/meta/v1.js';
import type { Static } from '../../api/schema.js';
import { objectKeyOf, splitKey, type Informer, type InformerFactory } from '../../client/index.js';

export type OwnerRef = Static<typeof OwnerReference>;

const OWNER_INDEX = 'gc-owner-uid';

/** Events are never owners worth tracking and are by far the busiest kind; Kubernetes skips them too. */
const IGNORED = new Set(['/Event', 'events.k8s.io/Event']);

const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

export const ownerRefsOf = (obj: ApiObject): OwnerRef[] => obj.metadata?.ownerReferences ?? [];

export const hasFinalizer = (obj: ApiObject, f: string): boolean => (obj.metadata?.finalizers ?? []).includes(f);

export interface Node {
  kind: KindDef;
  obj: ApiObject;
}

export class OwnershipGraph {
  private readonly byGroupKind = new Map<string, KindDef>();
  private readonly byResource = new Map<string, KindDef>();
  readonly informers = new Map<KindDef, Informer>();

  constructor(kinds: readonly KindDef[], factory: InformerFactory) {
    for (const kind of kinds) {
      if (IGNORED.has(`${kind.group}/${kind.kind}`)) continue;
      const inf = factory.for(kind);
      inf.store.addIndex(OWNER_INDEX, (o) => ownerRefsOf(o).map((r) => r.uid));
      this.informers.set(kind, inf);
      this.byGroupKind.set(`${kind.group}/${kind.kind}`, kind);
      this.byResource.set(`${kind.group}/${kind.plural}`, kind);
    }
  }

  /** The kind an ownerReference points at, matched by group and kind (any version). */
  kindOf(ref: { apiVersion: string; kind: string }): KindDef | undefined {
    return this.byGroupKind.get(`${groupOf(ref.apiVersion)}/${ref.kind}`);
  }

  keyOf(kind: KindDef, obj: ApiObject): string {
    return `${kind.group}/${kind.plural}:${objectKeyOf(obj)}`;
  }

  parseKey(key: string): { kind: KindDef; namespace: string | undefined; name: string } | undefined {
    const i = key.indexOf(':');
    const kind = this.byResource.get(key.slice(0, i));
    if (!kind) return undefined;
    return { kind, ...splitKey(key.slice(i + 1)) };
  }

  get(kind: KindDef, namespace: string | undefined, name: string): ApiObject | undefined {
    return this.informers.get(kind)?.store.get(kind.namespaced ? namespace : undefined, name);
  }

  /** Every cached object naming `uid` among its owners. */
  dependents(uid: string): Node[] {
    const out: Node[] = [];
    for (const [kind, inf] of this.informers) for (const obj of inf.store.byIndex(OWNER_INDEX, uid)) out.push({ kind, obj });
    return out;
  }

  async synced(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.synced));
  }
}
