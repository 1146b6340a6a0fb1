// User impersonation (`kubectl --as=jane --as-group=devs`, the Impersonate-User, -Group and -Uid
// headers): the caller must be allowed the `impersonate` verb on each users, groups,
// serviceaccounts and uids name it asks for; the request then runs as that user. Impersonating
// `system:serviceaccount:<ns>:<name>` checks serviceaccounts in that namespace and gives the
// account's groups; every impersonated user is also in system:authenticated, as in Kubernetes.
import type { IncomingHttpHeaders } from 'node:http';
import { badRequest } from '../../../lib/errors.js';
import type { UserInfo } from '../tokens.js';
import type { Attributes, Authorizer } from './attributes.js';
import { forbiddenError } from './forbidden.js';

const SA = /^system:serviceaccount:([^:]+):([^:]+)$/;

const values = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]).map((s) => s.trim()).filter(Boolean);

/** The user a request acts as: the caller, or whom its impersonation headers name (if allowed). */
export function effectiveUser(authorizer: Authorizer, caller: UserInfo, headers: IncomingHttpHeaders): UserInfo {
  const name = values(headers['impersonate-user'])[0];
  const groups = values(headers['impersonate-group']).flatMap((g) => g.split(',').map((x) => x.trim()).filter(Boolean));
  const uid = values(headers['impersonate-uid'])[0];
  if (name === undefined) {
    if (groups.length || uid) throw badRequest('requested impersonation of groups or uid without impersonating a user');
    return caller;
  }
  if (Object.keys(headers).some((h) => h.startsWith('impersonate-extra-'))) throw badRequest('impersonating user extra attributes is not supported');
  const check = (resource: string, objName: string, namespace = ''): void => {
    const a: Attributes = { kind: 'resource', verb: 'impersonate', group: resource === 'uids' ? 'authentication.k8s.io' : '', version: 'v1', resource, subresource: '', namespace, name: objName };
    if (!authorizer.authorize(caller, a).allowed) throw forbiddenError(caller, a);
  };
  const sa = SA.exec(name);
  if (sa) check('serviceaccounts', sa[2] ?? '', sa[1] ?? '');
  else check('users', name);
  for (const g of groups) check('groups', g);
  if (uid) check('uids', uid);
  const own = sa ? ['system:serviceaccounts', `system:serviceaccounts:${sa[1] ?? ''}`] : [];
  const all = [...new Set([...own, ...groups])];
  if (name !== 'system:anonymous' && !all.includes('system:authenticated')) all.push('system:authenticated');
  return { name, groups: all, ...(uid ? { uid } : {}) };
}
