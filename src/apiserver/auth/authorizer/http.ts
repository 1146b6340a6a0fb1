// The authorization step of request handling: the router and the streaming proxy call this right
// after authentication, with the request's method and URL, and a denied request ends in the
// Kubernetes-worded 403.
import type { UserInfo } from '../tokens.js';
import { requestAttributes, type Attributes, type Authorizer } from './attributes.js';
import { forbiddenError } from './forbidden.js';

const STREAMS = new Set(['exec', 'attach', 'portforward']);

function require(authorizer: Authorizer, user: UserInfo, attrs: Attributes): void {
  if (!authorizer.authorize(user, attrs).allowed) throw forbiddenError(user, attrs);
}

/** Throws the Forbidden StatusError unless the authorizer allows the request. */
export function authorizeRequest(authorizer: Authorizer, user: UserInfo, req: { method: string; url: URL }): Attributes {
  const attrs = requestAttributes(req.method, req.url);
  require(authorizer, user, attrs);
  return attrs;
}

/**
 * exec, attach and portforward upgrades: a WebSocket arrives as GET, but opening a shell is no
 * read, so as in Kubernetes 1.31+ the `create` verb is required as well as `get`.
 */
export function authorizeStreamUpgrade(authorizer: Authorizer, user: UserInfo, req: { method: string; url: URL }): void {
  const attrs = authorizeRequest(authorizer, user, req);
  if (attrs.kind === 'resource' && attrs.verb === 'get' && STREAMS.has(attrs.subresource)) require(authorizer, user, { ...attrs, verb: 'create' });
}
