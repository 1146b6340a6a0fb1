// The HTTP face of authentication that is not a stored resource: issuer discovery documents and
// the authentication.k8s.io review objects, SelfSubjectReview (`kubectl auth whoami`; v1, and
// v1beta1 for kubectl 1.27) and TokenReview (is this token valid, and whose is it). Reviews are
// create-only and cluster-scoped; nothing is stored. The router offers each request here first.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SelfSubjectReview, TokenReview } from '../../../api/authentication/v1/index.js';
import { badRequest, StatusError } from '../../../lib/errors.js';
import { parseBody, readBody, sendJson } from '../../http/io.js';
import type { Authenticator, UserInfo } from '../tokens.js';
import type { ServiceAccountAuthenticator } from './authenticator.js';
import { JWKS_PATH, OPENID_CONFIGURATION_PATH } from './issuer-discovery.js';

const GROUP_PREFIX = '/apis/authentication.k8s.io/';
const SELF_REVIEW_VERSIONS = new Set(['v1', 'v1beta1']);

export interface AuthenticationApiOptions {
  serviceAccounts: ServiceAccountAuthenticator;
  /** Authenticators for tokens that are not service-account JWTs (the static tokens). */
  others: Authenticator;
  apiAudiences: readonly string[];
  openidConfiguration(): string;
  jwks(): string;
  now(): Date;
}

export interface AuthenticationApi {
  /** Answers the request when the path is one of these endpoints; false leaves it to the router. */
  serve(req: IncomingMessage, res: ServerResponse, at: { path: string; user: UserInfo }): Promise<boolean>;
}

const methodNotAllowed = (): StatusError => new StatusError('MethodNotAllowed', 'the server does not allow this method on the requested resource');

const seconds = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

const userInfoOf = (u: UserInfo): Record<string, unknown> => ({
  username: u.name,
  ...(u.uid ? { uid: u.uid } : {}),
  groups: u.groups,
  ...(u.extra ? { extra: u.extra } : {}),
});

function sendDocument(res: ServerResponse, doc: string, contentType: string): void {
  res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': String(Buffer.byteLength(doc)), 'Cache-Control': 'public, max-age=3600' });
  res.end(doc);
}

async function objectBody(req: IncomingMessage, schema: typeof TokenReview | typeof SelfSubjectReview): Promise<Record<string, unknown>> {
  const body = parseBody(await readBody(req), { contentType: req.headers['content-type'], schema });
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('the body must be a JSON object');
  return body as Record<string, unknown>;
}

export function authenticationApi(o: AuthenticationApiOptions): AuthenticationApi {
  const tokenReview = async (body: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const spec = (body.spec ?? {}) as { token?: unknown; audiences?: unknown };
    if (typeof spec.token !== 'string' || spec.token === '') throw badRequest('token is required for TokenReview in authentication');
    const wanted = Array.isArray(spec.audiences) && spec.audiences.length > 0 ? spec.audiences.filter((a): a is string => typeof a === 'string') : [...o.apiAudiences];
    const answer = (status: Record<string, unknown>): Record<string, unknown> => ({
      kind: 'TokenReview',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { ...((body.metadata ?? {}) as object), creationTimestamp: null },
      spec,
      status: { user: {}, ...status },
    });
    const sa = o.serviceAccounts.check(spec.token, { audiences: wanted });
    if (sa.result === 'authenticated') return answer({ authenticated: true, user: userInfoOf(sa.user), audiences: sa.audiences });
    if (sa.result === 'rejected') return answer({ error: sa.reason });
    // Static tokens know nothing of audiences: they are only good for this API server's own.
    const audiences = wanted.filter((a) => o.apiAudiences.includes(a));
    const user = audiences.length > 0 ? o.others.authenticate(spec.token) : undefined;
    return user ? answer({ authenticated: true, user: userInfoOf(user), audiences }) : answer({ error: 'invalid bearer token' });
  };

  return {
    async serve(req, res, at) {
      const method = req.method ?? 'GET';
      if (at.path === OPENID_CONFIGURATION_PATH || at.path === JWKS_PATH) {
        if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed();
        if (at.path === JWKS_PATH) sendDocument(res, o.jwks(), 'application/jwk-set+json');
        else sendDocument(res, o.openidConfiguration(), 'application/json');
        return true;
      }
      if (!at.path.startsWith(GROUP_PREFIX)) return false;
      const [version, resource, ...rest] = at.path.slice(GROUP_PREFIX.length).split('/');
      const self = resource === 'selfsubjectreviews' && SELF_REVIEW_VERSIONS.has(version ?? '');
      const review = resource === 'tokenreviews' && version === 'v1';
      if ((!self && !review) || rest.length > 0) return false;
      if (method !== 'POST') throw methodNotAllowed();
      if (review) {
        sendJson(res, 201, await tokenReview(await objectBody(req, TokenReview)));
        return true;
      }
      await objectBody(req, SelfSubjectReview);
      sendJson(res, 201, {
        kind: 'SelfSubjectReview',
        apiVersion: `authentication.k8s.io/${version ?? 'v1'}`,
        metadata: { creationTimestamp: seconds(o.now()) },
        status: { userInfo: userInfoOf(at.user) },
      });
      return true;
    },
  };
}
