// core/v1 references from one object to another: the full ObjectReference (events, endpoints,
// PV claim refs, service-account secrets) and SecretReference, which PV volume plugins use to
// name a Secret in any namespace. (LocalObjectReference lives in volume-sources.ts and the typed
// references in volume-claim-spec.ts, next to the pod structures that first need them.)
import { obj, str, type Static } from '../../schema.js';

const id = (name: string): string => `io.k8s.api.core.v1.${name}`;

export const ObjectReference = obj(
  'Points at one API object, optionally at a field inside it.',
  {
    kind: str('Kind of the referent.'),
    namespace: str('Namespace of the referent; empty for cluster-scoped objects.'),
    name: str('Name of the referent.'),
    uid: str('UID of the referent.'),
    apiVersion: str('API version of the referent.'),
    resourceVersion: str('Resource version of the referent the reference was made at.'),
    fieldPath: str('Part of the object meant, e.g. spec.containers{web} for one container of a pod.'),
  },
  { id: id('ObjectReference'), 'x-kubernetes-map-type': 'atomic' },
);
export type ObjectReference = Static<typeof ObjectReference>;

export const SecretReference = obj(
  'Names a Secret, possibly in another namespace.',
  {
    name: str('Name of the Secret.'),
    namespace: str('Namespace of the Secret; the referring object\'s namespace when empty.'),
  },
  { id: id('SecretReference'), 'x-kubernetes-map-type': 'atomic' },
);
export type SecretReference = Static<typeof SecretReference>;
