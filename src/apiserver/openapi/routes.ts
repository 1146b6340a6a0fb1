// The REST operations of every kind, described once and rendered both as Swagger 2.0 and as
// OpenAPI 3: the collection path (list, create, deletecollection), the all-namespaces list path,
// the object path (read, replace, patch, delete) and the /status and /scale subresources, each
// operation named and tagged the way Kubernetes names them (`patchAppsV1NamespacedDeployment`)
// and carrying `x-kubernetes-action` and `x-kubernetes-group-version-kind`. kubectl reads these:
// it looks for the `fieldValidation` parameter on a kind's PATCH operation to decide whether the
// server validates fields itself, and `kubectl explain` finds a resource's kind from them.
import type { KindDef } from '../../api/kind.js';
import { STATUS, DELETE_OPTIONS, WATCH_EVENT, PATCH, API_RESOURCE_LIST } from './meta-schemas.js';
import { PARAMS, type Param } from './params.js';

export type { Param };

export interface Gvk {
  group: string;
  version: string;
  kind: string;
}

export type Method = 'get' | 'put' | 'post' | 'delete' | 'patch';

export interface Response {
  code: '200' | '201' | '202' | '401';
  description: string;
  /** Definition name of the reply body. */
  body?: string;
}

export interface Operation {
  method: Method;
  operationId: string;
  description: string;
  /** `x-kubernetes-action`: list, watch, get, post, put, patch, delete, deletecollection. */
  action?: string;
  gvk?: Gvk;
  tag: string;
  params: Param[];
  /** Definition name of the request body; PATCH bodies accept the four patch content types. */
  body?: { definition: string; required: boolean };
  responses: Response[];
  /** Lists can be watched, so they also stream. */
  streams?: boolean;
}

export interface Route {
  path: string;
  /** `api/v1` or `apis/apps/v1`: the OpenAPI v3 document this path belongs to. */
  groupVersion: string;
  params: Param[];
  operations: Operation[];
}

export interface KindNames {
  /** Definition names of the kind and its list. */
  definition: string;
  listDefinition: string;
}

export const SCALE_DEFINITION = 'io.k8s.api.autoscaling.v1.Scale';
const SCALE_GVK: Gvk = { group: 'autoscaling', version: 'v1', kind: 'Scale' };

export const groupVersionPath = (group: string, version: string): string => (group ? `apis/${group}/${version}` : `api/${version}`);

/** `networking.k8s.io` → `Networking`, `rbac.authorization.k8s.io` → `RbacAuthorization`, core → `Core`. */
function groupWord(group: string): string {
  if (!group) return 'Core';
  return group
    .replace(/\.k8s\.io$/, '')
    .split('.')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}

/** Tags as Kubernetes writes them: `core_v1`, `apps_v1`, `rbacAuthorization_v1`. */
function tagFor(group: string, version: string): string {
  const g = groupWord(group);
  return `${g.charAt(0).toLowerCase()}${g.slice(1)}_${version}`;
}

const ok = (body: string): Response => ({ code: '200', description: 'OK', body });
const created = (body: string): Response => ({ code: '201', description: 'Created', body });
const accepted = (body: string): Response => ({ code: '202', description: 'Accepted', body });
const unauthorized: Response = { code: '401', description: 'Unauthorized' };

const LIST_PARAMS = [
  PARAMS.allowWatchBookmarks,
  PARAMS.continue,
  PARAMS.fieldSelector,
  PARAMS.labelSelector,
  PARAMS.limit,
  PARAMS.resourceVersion,
  PARAMS.resourceVersionMatch,
  PARAMS.sendInitialEvents,
  PARAMS.timeoutSeconds,
  PARAMS.watch,
];
const WRITE_PARAMS = [PARAMS.dryRun, PARAMS.fieldManager, PARAMS.fieldValidation];
const DELETE_PARAMS = [
  PARAMS.dryRun,
  PARAMS.gracePeriodSeconds,
  PARAMS.ignoreStoreReadErrorWithClusterBreakingPotential,
  PARAMS.orphanDependents,
  PARAMS.propagationPolicy,
];

/** What one set of operations acts on: `AppsV1NamespacedDeploymentStatus`, its body and kind. */
interface Target {
  id: string;
  /** For descriptions: "the specified Deployment", "the status of the specified Deployment". */
  what: string;
  body: string;
  gvk: Gvk;
  tag: string;
}

const WRITE_BODY = (definition: string) => ({ definition, required: true });
const DELETE_BODY = { definition: DELETE_OPTIONS, required: false };
const LIST_ONLY = new Set(['watch', 'allowWatchBookmarks']);

function read(t: Target): Operation {
  const responses = [ok(t.body), unauthorized];
  return { method: 'get', operationId: `read${t.id}`, description: `Read ${t.what}.`, action: 'get', gvk: t.gvk, tag: t.tag, params: [], responses };
}

function replace(t: Target): Operation {
  const responses = [ok(t.body), created(t.body), unauthorized];
  const base = { operationId: `replace${t.id}`, description: `Replace ${t.what}.`, gvk: t.gvk, tag: t.tag };
  return { method: 'put', ...base, action: 'put', params: WRITE_PARAMS, body: WRITE_BODY(t.body), responses };
}

function patch(t: Target): Operation {
  const responses = [ok(t.body), created(t.body), unauthorized];
  const base = { operationId: `patch${t.id}`, description: `Partially update ${t.what}.`, gvk: t.gvk, tag: t.tag };
  return { method: 'patch', ...base, action: 'patch', params: [...WRITE_PARAMS, PARAMS.force], body: WRITE_BODY(PATCH), responses };
}

function remove(t: Target): Operation {
  const responses = [ok(STATUS), accepted(STATUS), unauthorized];
  const base = { operationId: `delete${t.id}`, description: `Delete ${t.what}.`, gvk: t.gvk, tag: t.tag };
  return { method: 'delete', ...base, action: 'delete', params: DELETE_PARAMS, body: DELETE_BODY, responses };
}

function list(t: Target, operationId: string, where: string): Operation {
  const responses = [ok(t.body), unauthorized];
  const description = `List or watch objects of kind ${t.gvk.kind}${where}.`;
  return { method: 'get', operationId, description, action: 'list', gvk: t.gvk, tag: t.tag, params: LIST_PARAMS, responses, streams: true };
}

/** Every route of one kind. */
export function kindRoutes(k: KindDef, names: KindNames): Route[] {
  const gv = groupVersionPath(k.group, k.version);
  const prefix = `/${gv}`;
  const tag = tagFor(k.group, k.version);
  const gvk: Gvk = { group: k.group, version: k.version, kind: k.kind };
  const g = `${groupWord(k.group)}${k.version.charAt(0).toUpperCase()}${k.version.slice(1)}`;
  const scope = k.namespaced ? 'Namespaced' : '';
  const base = k.namespaced ? `${prefix}/namespaces/{namespace}/${k.plural}` : `${prefix}/${k.plural}`;
  const scopeParams = k.namespaced ? [PARAMS.namespace, PARAMS.pretty] : [PARAMS.pretty];
  const objectParams = [{ ...PARAMS.name, description: `Name of the ${k.kind}.` }, ...scopeParams];
  const object: Target = { id: `${g}${scope}${k.kind}`, what: `the specified ${k.kind}`, body: names.definition, gvk, tag };
  const routes: Route[] = [];

  const collection = [list({ ...object, body: names.listDefinition }, `list${object.id}`, '')];
  const responses = [ok(object.body), created(object.body), accepted(object.body), unauthorized];
  const create = { operationId: `create${object.id}`, description: `Create a ${k.kind}.`, gvk, tag };
  collection.push({ method: 'post', ...create, action: 'post', params: WRITE_PARAMS, body: WRITE_BODY(object.body), responses });
  // Namespaces are deleted one at a time, through their finalizers.
  if (k.kind !== 'Namespace') {
    const params = [...LIST_PARAMS.filter((p) => !LIST_ONLY.has(p.name)), ...DELETE_PARAMS];
    const op = { operationId: `delete${g}Collection${scope}${k.kind}`, description: `Delete a collection of ${k.kind}.`, gvk, tag };
    collection.push({ method: 'delete', ...op, action: 'deletecollection', params, body: DELETE_BODY, responses: [ok(STATUS), unauthorized] });
  }
  routes.push({ path: base, groupVersion: gv, params: scopeParams, operations: collection });
  routes.push({ path: `${base}/{name}`, groupVersion: gv, params: objectParams, operations: [read(object), replace(object), remove(object), patch(object)] });

  if (k.status) {
    const status: Target = { ...object, id: `${object.id}Status`, what: `the status of the specified ${k.kind}` };
    routes.push({ path: `${base}/{name}/status`, groupVersion: gv, params: objectParams, operations: [read(status), replace(status), patch(status)] });
  }
  if (k.scale) {
    const scale: Target = { id: `${object.id}Scale`, what: `the scale of the specified ${k.kind}`, body: SCALE_DEFINITION, gvk: SCALE_GVK, tag };
    routes.push({ path: `${base}/{name}/scale`, groupVersion: gv, params: objectParams, operations: [read(scale), replace(scale), patch(scale)] });
  }
  if (k.kind === 'Namespace' && k.group === '') {
    const finalize: Target = { ...object, id: `${object.id}Finalize`, what: `the finalizers of the specified ${k.kind}` };
    routes.push({ path: `${base}/{name}/finalize`, groupVersion: gv, params: objectParams, operations: [replace(finalize)] });
  }
  if (k.namespaced) {
    const all = list({ ...object, body: names.listDefinition }, `list${g}${k.kind}ForAllNamespaces`, ' in every namespace');
    routes.push({ path: `${prefix}/${k.plural}`, groupVersion: gv, params: [...LIST_PARAMS, PARAMS.pretty], operations: [{ ...all, params: [] }] });
  }
  return routes;
}

/** `GET /apis/apps/v1/`: the resources of a group version. */
export function groupVersionRoute(group: string, version: string): Route {
  const gv = groupVersionPath(group, version);
  const g = `${groupWord(group)}${version.charAt(0).toUpperCase()}${version.slice(1)}`;
  return {
    path: `/${gv}/`,
    groupVersion: gv,
    params: [],
    operations: [
      {
        method: 'get',
        operationId: `get${g}APIResources`,
        description: 'List the resources this group version serves.',
        tag: tagFor(group, version),
        params: [],
        responses: [ok(API_RESOURCE_LIST), unauthorized],
      },
    ],
  };
}

/** Definitions every group version's document needs even when no path names them directly. */
export const VERB_DEFINITIONS = [STATUS, DELETE_OPTIONS, WATCH_EVENT, PATCH];
