// The 403 a denied request gets, worded as Kubernetes words it so that kubectl and client
// libraries show users the same text: `pods is forbidden: User "jane" cannot list resource
// "pods" in API group "" in the namespace "default"`, or `... at the cluster scope`, or for a
// plain URL `forbidden: User "jane" cannot get path "/metrics"`.
import { StatusError } from '../../../lib/errors.js';
import type { UserInfo } from '../tokens.js';
import type { Attributes } from './attributes.js';

/** Go's %q of an ordinary string; JSON string quoting agrees with it for printable text. */
const q = (s: string): string => JSON.stringify(s);

export function forbiddenError(user: UserInfo, a: Attributes, why = ''): StatusError {
  const suffix = why ? `: ${why}` : '';
  if (a.kind === 'nonResource') return new StatusError('Forbidden', `forbidden: User ${q(user.name)} cannot ${a.verb} path ${q(a.path)}${suffix}`, { details: {} });
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const scope = a.namespace ? `in the namespace ${q(a.namespace)}` : 'at the cluster scope';
  const qualified = a.group ? `${a.resource}.${a.group}` : a.resource;
  const target = a.name ? `${qualified} ${q(a.name)}` : qualified;
  const message = `${target} is forbidden: User ${q(user.name)} cannot ${a.verb} resource ${q(resource)} in API group ${q(a.group)} ${scope}${suffix}`;
  return new StatusError('Forbidden', message, { details: { ...(a.name ? { name: a.name } : {}), group: a.group, kind: a.resource } });
}
