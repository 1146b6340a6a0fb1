// What an authorizer is asked: who, which verb, and on what — an API resource (group, resource,
// subresource, namespace, name) or a plain URL path. `requestAttributes` derives them from an
// HTTP request the way Kubernetes' request-info does: the HTTP method becomes get/list/watch/
// create/update/patch/delete/deletecollection, `pods/log` is resource pods with subresource log,
// a namespace's own path counts as being in that namespace, a list or watch narrowed to one
// object by `fieldSelector=metadata.name=x` counts as that name, and everything outside
// /api/v1/... and /apis/<group>/<version>/... (discovery documents included) is a non-resource
// path whose verb is the lower-cased method.
import type { UserInfo } from '../tokens.js';
import { parseResourcePath } from '../../http/paths.js';

export interface ResourceAttributes {
  kind: 'resource';
  verb: string;
  /** API group; '' is the core group. */
  group: string;
  /** API version; not used by RBAC but reported by access reviews. */
  version: string;
  resource: string;
  subresource: string;
  /** '' for cluster-scoped resources, and for "in all namespaces". */
  namespace: string;
  /** '' means every name (a list, a create without a name). */
  name: string;
}

export interface NonResourceAttributes {
  kind: 'nonResource';
  verb: string;
  path: string;
}

export type Attributes = ResourceAttributes | NonResourceAttributes;

export interface Decision {
  allowed: boolean;
  /** Why (the binding that allowed it), for access reviews; '' when no rule applies. */
  reason: string;
}

/** Decides one request; synchronous because every request asks, from in-memory policy. */
export interface Authorizer {
  authorize(user: UserInfo, attrs: Attributes): Decision;
}

const NAME_SELECTOR = /^metadata\.name(==?)(.*)$/;

/** The object a field selector pins a list or watch to, if it pins exactly one by name. */
function nameFromFieldSelector(selector: string | null): string {
  if (!selector) return '';
  for (const term of selector.split(',')) {
    const m = NAME_SELECTOR.exec(term.trim());
    if (m) return m[2] ?? '';
  }
  return '';
}

const RESOURCE_VERBS: Readonly<Record<string, string>> = { POST: 'create', PUT: 'update', PATCH: 'patch' };

/** Authorization attributes of an HTTP request (method and URL, path not yet normalised). */
export function requestAttributes(method: string, url: URL): Attributes {
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
  const rp = parseResourcePath(path);
  if (!rp) return { kind: 'nonResource', verb: method.toLowerCase(), path };
  const watchParam = url.searchParams.get('watch');
  const watching = rp.legacyWatch || watchParam === 'true' || watchParam === '1';
  let name = rp.name ?? '';
  let verb: string;
  if (method === 'GET' || method === 'HEAD') {
    if (watching) verb = 'watch';
    else verb = name ? 'get' : 'list';
    if (!name && (verb === 'list' || verb === 'watch')) name = nameFromFieldSelector(url.searchParams.get('fieldSelector'));
  } else if (method === 'DELETE') verb = name ? 'delete' : 'deletecollection';
  else verb = RESOURCE_VERBS[method] ?? method.toLowerCase();
  // A namespace is inside itself: a RoleBinding in "team" may grant reading namespace "team".
  const namespace = rp.group === '' && rp.plural === 'namespaces' && name ? name : (rp.namespace ?? '');
  return { kind: 'resource', verb, group: rp.group, version: rp.version, resource: rp.plural, subresource: rp.subresource ?? '', namespace, name };
}
