// Schemas the published API documents need besides the kinds themselves: the bodies and replies
// of the generic verbs (Status, DeleteOptions, WatchEvent, Patch, APIResourceList) and the named
// scalar types Kubernetes publishes (IntOrString, Quantity). They exist only for OpenAPI; the
// apiserver builds these bodies by hand.
import { Type } from '@sinclair/typebox';
import { obj, str, int32, int64, bool, list, strList, enumStr, type TSchema } from '../../api/schema.js';
import { ListMeta, typeMeta } from '../../api/meta/v1.js';
import { INT_OR_STRING, QUANTITY, type OpenApiSchema } from './definitions.js';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
export const STATUS = `${META}.Status`;
export const DELETE_OPTIONS = `${META}.DeleteOptions`;
export const WATCH_EVENT = `${META}.WatchEvent`;
export const PATCH = `${META}.Patch`;
export const API_RESOURCE_LIST = `${META}.APIResourceList`;

const StatusCause = obj(
  'One reason a request failed, optionally tied to a field.',
  {
    reason: str('Machine-readable cause, e.g. FieldValueInvalid.'),
    message: str('Human-readable explanation.'),
    field: str('Path of the field that caused the failure, e.g. spec.replicas.'),
  },
  { id: `${META}.StatusCause` },
);

const StatusDetails = obj(
  'Extra data about a failure: the object involved and the individual causes.',
  {
    name: str('Name of the object involved.'),
    group: str('API group of the object involved.'),
    kind: str('Kind of the object involved.'),
    uid: str('UID of the object involved.'),
    causes: list('Individual causes of the failure.', StatusCause, { listType: 'atomic' }),
    retryAfterSeconds: int32('Seconds to wait before retrying, when the server asks for it.'),
  },
  { id: `${META}.StatusDetails` },
);

const Status = obj(
  'The result of an operation that returns no object, and the body of every error.',
  {
    ...typeMeta,
    metadata: ListMeta,
    status: str('Success or Failure.'),
    message: str('Human-readable description of the outcome.'),
    reason: str('Machine-readable reason, e.g. NotFound or AlreadyExists.'),
    details: StatusDetails,
    code: int32('HTTP status code of the reply.'),
  },
  { id: STATUS, 'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'Status' }] },
);

const Preconditions = obj(
  'Conditions the object must meet for a delete to go ahead.',
  {
    uid: str('The object must have this UID.'),
    resourceVersion: str('The object must be at this resource version.'),
  },
  { id: `${META}.Preconditions` },
);

export const DeleteOptions = obj(
  'Options of a delete request.',
  {
    ...typeMeta,
    gracePeriodSeconds: int64('Seconds to let the object terminate; 0 means at once.'),
    preconditions: Preconditions,
    orphanDependents: bool('Deprecated form of propagationPolicy=Orphan.'),
    propagationPolicy: enumStr('How dependents are garbage collected.', ['Orphan', 'Background', 'Foreground']),
    dryRun: strList('Set to All to validate the request without persisting it.', { listType: 'atomic' }),
    ignoreStoreReadErrorWithClusterBreakingPotential: bool('Delete even if the stored object cannot be read.'),
  },
  { id: DELETE_OPTIONS },
);

const RawExtension = Type.Object(
  {},
  { $id: 'io.k8s.apimachinery.pkg.runtime.RawExtension', description: 'An embedded API object of any kind.' },
);

const WatchEvent = obj(
  'One change seen by a watch.',
  {
    type: str('ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.'),
    object: { ...RawExtension, description: 'The object after the change (before it, for DELETED), or a Status for ERROR.' },
  },
  { id: WATCH_EVENT, required: ['type', 'object'] },
);

const Patch = Type.Object({}, { $id: PATCH, description: 'The body of a PATCH request, in the format named by its Content-Type.' });

const APIResource = obj(
  'One resource served by a group version.',
  {
    name: str('Plural name of the resource, with /subresource for subresources.'),
    singularName: str('Singular name of the resource.'),
    namespaced: bool('Whether objects of this resource live in namespaces.'),
    group: str('Group of the resource when it differs from the containing group version.'),
    version: str('Version of the resource when it differs from the containing group version.'),
    kind: str('Kind of the objects.'),
    verbs: strList('Verbs the resource supports.'),
    shortNames: strList('Short aliases for the CLI.'),
    categories: strList('Groupings such as "all".'),
    storageVersionHash: str('Hash that changes when the storage version changes.'),
  },
  { id: `${META}.APIResource`, required: ['name', 'singularName', 'namespaced', 'kind', 'verbs'] },
);

const APIResourceList = obj(
  'The resources served by one group version.',
  { ...typeMeta, groupVersion: str('The group version, e.g. apps/v1.'), resources: list('The resources.', APIResource, { listType: 'atomic' }) },
  { id: API_RESOURCE_LIST, required: ['groupVersion', 'resources'] },
);

/** Schemas of the generic verbs, converted along with the kinds. */
export const verbSchemas: readonly TSchema[] = [Status, DeleteOptions, WatchEvent, Patch, APIResourceList];

/** Kinds served in every group version, as Kubernetes lists them on these definitions. */
export const PER_GROUP_VERSION = new Set([DELETE_OPTIONS, WATCH_EVENT]);

const INT_OR_STRING_TEXT = 'A value that is either a 32-bit integer or a string, such as a port number or name, or a percentage.';
const QUANTITY_TEXT =
  'A fixed-point amount with an optional suffix: binary (Ki, Mi, Gi, Ti, Pi, Ei), ' +
  'decimal (n, u, m, k, M, G, T, P, E) or an exponent (e3). Examples: 500m, 1.5, 128Mi.';

/** IntOrString and Quantity: plain strings to Swagger 2.0 clients, unions in OpenAPI 3. */
export const scalarDefinitionsV2: Record<string, OpenApiSchema> = {
  [INT_OR_STRING]: { description: INT_OR_STRING_TEXT, type: 'string', format: 'int-or-string' },
  [QUANTITY]: { description: QUANTITY_TEXT, type: 'string' },
};

export const scalarDefinitionsV3: Record<string, OpenApiSchema> = {
  [INT_OR_STRING]: {
    description: INT_OR_STRING_TEXT,
    format: 'int-or-string',
    'x-kubernetes-int-or-string': true,
    anyOf: [{ type: 'integer' }, { type: 'string' }],
  },
  [QUANTITY]: { description: QUANTITY_TEXT, oneOf: [{ type: 'string' }, { type: 'number' }] },
};
