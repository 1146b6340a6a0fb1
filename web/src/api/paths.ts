// URL paths of the Kubernetes REST API: /api/v1/... for the core group, /apis/GROUP/VERSION/...
// for the others, with /namespaces/NS/ in between for namespaced kinds.

export interface ResourceRef {
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
}

export function groupVersionPrefix(group: string, version: string): string {
  return group ? `/apis/${group}/${version}` : `/api/${version}`;
}

/** The collection path (no name) or an object's path; `ns` undefined lists across namespaces. */
export function pathFor(r: ResourceRef, ns?: string, name?: string): string {
  let p = groupVersionPrefix(r.group, r.version);
  if (r.namespaced && ns) p += `/namespaces/${encodeURIComponent(ns)}`;
  p += `/${r.plural}`;
  if (name !== undefined) p += `/${encodeURIComponent(name)}`;
  return p;
}

/** `path?k=v&...`, skipping empty values. */
export function withQuery(path: string, q: Record<string, string | undefined>): string {
  const parts = Object.entries(q)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v as string)}`);
  return parts.length ? `${path}${path.includes('?') ? '&' : '?'}${parts.join('&')}` : path;
}

export const CORE = (plural: string, namespaced = true): ResourceRef => ({ group: '', version: 'v1', plural, namespaced });
export const PODS = CORE('pods');
export const EVENTS = CORE('events');
export const NODES = CORE('nodes', false);
export const NAMESPACES = CORE('namespaces', false);
export const SERVICES = CORE('services');
export const DEPLOYMENTS: ResourceRef = { group: 'apps', version: 'v1', plural: 'deployments', namespaced: true };
export const REPLICASETS: ResourceRef = { group: 'apps', version: 'v1', plural: 'replicasets', namespaced: true };
export const ENDPOINTSLICES: ResourceRef = { group: 'discovery.k8s.io', version: 'v1', plural: 'endpointslices', namespaced: true };
