// The authorization step of request handling: the router and the streaming proxy call this right
// after authentication, with the request's method, URL and headers. Impersonation headers are
// resolved first (and checked); then the request is authorized as the resulting user, and a
// denied request ends in the Kubernetes-worded 403.
import type { IncomingHttpHeaders } from 'node:http';
import type { UserInfo } from '../tokens.js';
import { requestAttributes, type Attributes, type Authorizer } from './attributes.js';
import { forbiddenError } from './forbidden.js';
import { effectiveUser } from './impersonation.js';

const STREAMS = new Set(['exec', 'attach', 'portforward']);

export interface AuthorizedRequest {
  /** Whom the request acts as (the caller, or whom it impersonates). */
  user: UserInfo;
  attributes: Attributes;
}

function require(authorizer: Authorizer, user: UserInfo, attrs: Attributes): void {
  if (!authorizer.authorize(user, attrs).allowed) throw forbiddenError(user, attrs);
}

/** Throws the Forbidden StatusError unless the authorizer allows the request. */
export function authorizeRequest(authorizer: Authorizer, caller: UserInfo, req: { method: string; url: URL; headers?: IncomingHttpHeaders }): AuthorizedRequest {
  const user = req.headers ? effectiveUser(authorizer, caller, req.headers) : caller;
  const attributes = requestAttributes(req.method, req.url);
  require(authorizer, user, attributes);
  return { user, attributes };
}

/**
 * exec, attach and portforward upgrades: a WebSocket arrives as GET, but opening a shell is no
 * read, so as in Kubernetes 1.31+ the `create` verb is required as well as `get`.
 */
export function authorizeStreamUpgrade(authorizer: Authorizer, caller: UserInfo, req: { method: string; url: URL; headers?: IncomingHttpHeaders }): AuthorizedRequest {
  const r = authorizeRequest(authorizer, caller, req);
  const a = r.attributes;
  if (a.kind === 'resource' && a.verb === 'get' && STREAMS.has(a.subresource)) require(authorizer, r.user, { ...a, verb: 'create' });
  return r;
}
