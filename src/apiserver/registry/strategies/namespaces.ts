// Namespaces: created Active with the `kubernetes` finalizer in spec; a delete only marks them
// Terminating, and the namespace lifecycle empties them and clears the finalizer, after which
// the namespace itself disappears.
import type { ApiObject } from '../../../api/kind.js';
import type { Strategy } from '../strategy.js';

interface NamespaceLike {
  spec?: { finalizers?: string[] };
  status?: { phase?: string };
}

export const namespaceStrategy: Strategy = {
  tracksGeneration: false,
  allowCreateOnUpdate: false,
  prepareForCreate(obj: ApiObject) {
    const ns = obj as NamespaceLike & ApiObject;
    ns.spec = { ...(ns.spec ?? {}), finalizers: ['kubernetes'] };
    ns.status = { phase: 'Active' };
  },
  prepareForUpdate(obj: ApiObject, old: ApiObject) {
    // spec.finalizers change only through /finalize.
    const ns = obj as NamespaceLike & ApiObject;
    ns.spec = { ...(ns.spec ?? {}), finalizers: (old as NamespaceLike).spec?.finalizers ?? [] };
  },
  pendingOnDelete(obj: ApiObject) {
    return ((obj as NamespaceLike).spec?.finalizers ?? []).length > 0;
  },
  beginDelete(obj: ApiObject) {
    const ns = obj as NamespaceLike & ApiObject;
    ns.status = { ...(ns.status ?? {}), phase: 'Terminating' };
  },
};
