// How token code reads the objects a token names (its ServiceAccount, and the Pod, Secret or
// Node it is bound to). Checking a token on every request reads the watch cache only, as
// Kubernetes' token getter reads informers (it falls back to a live read on a miss; we do not,
// since authentication is synchronous: a token is issued after a storage read of its objects,
// and the cache trails storage by milliseconds). Issuing a token reads storage, so it never
// binds to an object that is already gone.
import type { ApiObject } from '../../../api/kind.js';
import { StatusError } from '../../../lib/errors.js';
import { objectKey } from '../../registry/keys.js';
import type { Registry } from '../../registry/registry.js';

export type BoundKind = 'ServiceAccount' | 'Pod' | 'Secret' | 'Node';

export interface ObjectRef {
  /** Empty for Nodes. */
  namespace: string;
  name: string;
}

export interface ObjectLookup {
  /** From the watch cache; undefined when the object does not exist. */
  cached(kind: BoundKind, ref: ObjectRef): ApiObject | undefined;
  /** A consistent read from storage; undefined when the object does not exist. */
  fresh(kind: BoundKind, ref: ObjectRef): Promise<ApiObject | undefined>;
}

const orUndefinedWhenMissing = async (read: Promise<ApiObject>): Promise<ApiObject | undefined> => {
  try {
    return await read;
  } catch (err) {
    if (err instanceof StatusError && err.reason === 'NotFound') return undefined;
    throw err;
  }
};

export function registryLookup(registry: Registry): ObjectLookup {
  const fresh = (kind: BoundKind, ref: ObjectRef): Promise<ApiObject | undefined> => {
    const r = registry.byGroupKind('', kind);
    return orUndefinedWhenMissing(r.reader.get(r.kind.namespaced ? ref.namespace : undefined, ref.name));
  };
  return {
    fresh,
    cached(kind, ref) {
      const k = registry.byGroupKind('', kind).kind;
      return registry.cache.resource(k).get(objectKey(k, k.namespaced ? ref.namespace : undefined, ref.name))?.object;
    },
  };
}
