// Whether a namespace still takes new objects: it exists, is not being deleted and is Active.
// Controllers that put something in every namespace (service accounts, kube-root-ca.crt) skip
// the others, as the namespace lifecycle admission would refuse their creates anyway.
import type { Namespace } from '../../api/core/v1/index.js';

export const acceptsNewObjects = (ns: Namespace | undefined): ns is Namespace =>
  ns !== undefined && !ns.metadata?.deletionTimestamp && (ns.status?.phase ?? 'Active') === 'Active';
