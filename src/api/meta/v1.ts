// Schemas shared by every kind (meta.k8s.io/v1): ObjectMeta, ListMeta, OwnerReference,
// LabelSelector and the Condition type. Their names match the Kubernetes OpenAPI definitions so
// tools that look definitions up by name (kubectl explain) find them.
import { Type } from '@sinclair/typebox';
import { obj, str, strMap, int64, time, bool, list, strList, enumStr, freeformObject, type Static } from '../schema.js';

const P = 'io.k8s.apimachinery.pkg.apis.meta.v1';

export const OwnerReference = obj(
  'Identifies an owning object; the garbage collector deletes dependents whose owners are gone.',
  {
    apiVersion: str('API version of the owner.'),
    kind: str('Kind of the owner.'),
    name: str('Name of the owner.'),
    uid: str('UID of the owner.'),
    controller: bool('True if the owner is the managing controller (at most one per object).'),
    blockOwnerDeletion: bool('With foreground deletion, the owner is not removed before this dependent.'),
  },
  { id: `${P}.OwnerReference`, required: ['apiVersion', 'kind', 'name', 'uid'], 'x-kubernetes-map-type': 'atomic' },
);

export const ManagedFieldsEntry = obj(
  'Records which manager set which fields.',
  {
    apiVersion: str('Version of the fields.'),
    fieldsType: str('Format of fieldsV1.'),
    fieldsV1: freeformObject('The set of fields.'),
    manager: str('Name of the manager.'),
    operation: str('Apply or Update.'),
    subresource: str('Subresource the change went through.'),
    time: time('When the change was made.'),
  },
  { id: `${P}.ManagedFieldsEntry` },
);

export const ObjectMeta = obj(
  'Standard object metadata: identity, labels, ownership and lifecycle of an object.',
  {
    name: str('Unique name within a namespace (or cluster-wide for cluster-scoped kinds).'),
    generateName: str('Prefix for a server-generated unique name, used when name is empty.'),
    namespace: str('Namespace the object lives in; empty for cluster-scoped kinds.'),
    selfLink: str('Deprecated; not set.'),
    uid: str('Server-assigned unique id of this incarnation of the object.'),
    resourceVersion: str('Opaque version of the object, for optimistic concurrency and watches.'),
    generation: int64('Sequence number of changes to the desired state (spec).'),
    creationTimestamp: time('When the object was created (server time).'),
    deletionTimestamp: time('When the object will be or started being deleted; set by the server.'),
    deletionGracePeriodSeconds: int64('Seconds allowed for graceful termination before removal.'),
    labels: strMap('Key/value pairs used to select and organise objects.'),
    annotations: strMap('Non-identifying key/value data for tools and people.'),
    ownerReferences: list('Objects this one depends on; see the garbage collector.', OwnerReference, {
      mergeKey: 'uid',
      strategy: 'merge',
      listType: 'map',
      mapKeys: ['uid'],
    }),
    finalizers: strList('Conditions that must be cleared before the object is removed.', {
      strategy: 'merge',
      listType: 'set',
    }),
    managedFields: list('Field ownership records.', ManagedFieldsEntry),
  },
  { id: `${P}.ObjectMeta` },
);
export type ObjectMeta = Static<typeof ObjectMeta>;

export const ListMeta = obj(
  'Metadata of a list: the resource version it was read at and the continue token of a paged list.',
  {
    resourceVersion: str('Version the list was read at.'),
    continue: str('Token for the next page, if any.'),
    remainingItemCount: int64('Approximate number of items after this page.'),
    selfLink: str('Deprecated; not set.'),
  },
  { id: `${P}.ListMeta` },
);
export type ListMeta = Static<typeof ListMeta>;

export const LabelSelectorRequirement = obj(
  'A label key, an operator and values.',
  {
    key: str('Label key.'),
    operator: enumStr('How the key relates to the values.', ['In', 'NotIn', 'Exists', 'DoesNotExist']),
    values: strList('Values for In and NotIn; empty for Exists and DoesNotExist.', { listType: 'atomic' }),
  },
  { id: `${P}.LabelSelectorRequirement`, required: ['key', 'operator'] },
);

export const LabelSelector = obj(
  'Selects objects by labels; requirements are ANDed. An empty selector matches everything.',
  {
    matchLabels: strMap('Exact key=value matches.'),
    matchExpressions: list('Set-based requirements.', LabelSelectorRequirement, { listType: 'atomic' }),
  },
  { id: `${P}.LabelSelector`, 'x-kubernetes-map-type': 'atomic' },
);
export type LabelSelector = Static<typeof LabelSelector>;

export const Condition = obj(
  'A standard condition of an object.',
  {
    type: str('Type of condition in CamelCase.'),
    status: enumStr('True, False or Unknown.', ['True', 'False', 'Unknown']),
    observedGeneration: int64('The generation the condition was set for.'),
    lastTransitionTime: time('When the status last changed.'),
    reason: str('Machine-readable reason in CamelCase.'),
    message: str('Human-readable details.'),
  },
  { id: `${P}.Condition`, required: ['type', 'status', 'lastTransitionTime', 'reason', 'message'] },
);

/** The two fields every object carries before its metadata. */
export const typeMeta = {
  apiVersion: str('Versioned schema of this representation of the object.'),
  kind: str('Kind of object this is, in CamelCase.'),
};

export const MicroTime = Type.String({ format: 'date-time', description: 'Timestamp with microseconds.' });
