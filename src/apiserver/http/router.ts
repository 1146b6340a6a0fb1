// The request entry point: hands /dashboard/ to the static dashboard files (public; the app's own
// API calls carry the token), authenticates the bearer token through the authenticator chain
// (anonymous is allowed only on the health and version endpoints), authorizes the request (RBAC),
// then routes to discovery, OpenAPI, health, the authentication and authorization endpoints or a
// resource handler, and turns anything thrown into a Kubernetes Status response.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { noSuchResource, StatusError } from '../../lib/errors.js';
import type { Authenticator, UserInfo } from '../auth/tokens.js';
import type { AuthenticationApi } from '../auth/serviceaccount/index.js';
import type { AuthorizationApi } from '../auth/authorizer/index.js';
import type { OpenApiDocs } from '../openapi/index.js';
import type { Registry } from '../registry/registry.js';
import type { Discovery } from './discovery.js';
import { createDashboardHandler, isDashboardPath } from './dashboard.js';
import { sendError, sendJson } from './io.js';
import { parseResourcePath } from './paths.js';
import { handleResource, type HandlerEnv } from './resource-handler.js';

export interface RouterDeps {
  registry: Registry;
  discovery: Discovery;
  openapi: OpenApiDocs;
  authenticator: Authenticator;
  /** Issuer discovery and the authentication.k8s.io reviews; absent, those paths are 404. */
  authenticationApi?: AuthenticationApi;
  /**
   * Decides every authenticated request, throwing Forbidden, and returns whom it acts as (the
   * caller, or whom it impersonates); absent, any authenticated user may do anything.
   */
  authorize?(user: UserInfo, req: IncomingMessage, url: URL): UserInfo;
  /** The authorization.k8s.io access reviews; absent, those paths are 404. */
  authorizationApi?: AuthorizationApi;
  version: object;
  /** Where the built dashboard lives; defaults to web/dist beside the sources. */
  dashboardDir?: string;
  /** Health checks by name; /readyz fails until all pass. */
  ready(): boolean;
  env: HandlerEnv;
}

const PUBLIC = new Set(['/healthz', '/livez', '/readyz', '/version', '/version/']);

function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)) });
  res.end(text);
}

/** The user a request's bearer token names, if any (also used for upgrade requests). */
export function authenticate(req: IncomingMessage, auth: Authenticator): UserInfo | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(h.trim());
  if (!m?.[1]) return undefined;
  return auth.authenticate(m[1].trim());
}

export function createRouter(deps: RouterDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const dashboard = createDashboardHandler(deps.dashboardDir);
  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'https://tugboat.local');
    if (isDashboardPath(url.pathname)) return dashboard(req, res, url.pathname);
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    const caller = authenticate(req, deps.authenticator);
    if (!caller && !PUBLIC.has(path) && !path.startsWith('/healthz/') && !path.startsWith('/livez/') && !path.startsWith('/readyz/')) {
      throw new StatusError('Unauthorized', 'Unauthorized');
    }
    const user = caller && deps.authorize ? deps.authorize(caller, req, url) : caller;
    if (path === '/healthz' || path === '/livez' || path.startsWith('/healthz/') || path.startsWith('/livez/')) return sendText(res, 200, 'ok');
    if (path === '/readyz' || path.startsWith('/readyz/')) return deps.ready() ? sendText(res, 200, 'ok') : sendText(res, 503, 'not ready');
    if (path === '/version') return sendJson(res, 200, deps.version);
    if (path === '/api') return sendJson(res, 200, deps.discovery.apiVersions);
    if (path === '/apis') return sendJson(res, 200, deps.discovery.groupList);
    if (path === '/api/v1') return sendJson(res, 200, deps.discovery.resources('v1') ?? '{}');
    if (path === '/openapi/v2') return serveOpenApiV2(req, res, deps.openapi);
    if (path === '/openapi/v3') return sendJson(res, 200, deps.openapi.v3Root().toString('utf8'));
    if (path.startsWith('/openapi/v3/')) {
      const doc = deps.openapi.v3GroupVersion(path.slice('/openapi/v3/'.length));
      if (!doc) throw noSuchResource();
      return sendJson(res, 200, doc.toString('utf8'));
    }
    if (user && deps.authenticationApi && (await deps.authenticationApi.serve(req, res, { path, user }))) return;
    if (user && deps.authorizationApi && (await deps.authorizationApi.serve(req, res, { path, user }))) return;
    const parts = path.split('/').filter(Boolean);
    if (parts[0] === 'apis' && parts.length === 2) {
      const g = deps.discovery.group(parts[1] as string);
      if (!g) throw noSuchResource();
      return sendJson(res, 200, g);
    }
    if (parts[0] === 'apis' && parts.length === 3) {
      const l = deps.discovery.resources(`${parts[1]}/${parts[2]}`);
      if (!l) throw noSuchResource();
      return sendJson(res, 200, l);
    }
    const rp = parseResourcePath(path);
    const resource = rp && deps.registry.resource(rp.group, rp.version, rp.plural);
    if (!rp || !resource) throw noSuchResource();
    await handleResource(req, res, { path: rp, url, resource, user, env: deps.env });
  };
  return (req, res) => {
    route(req, res).catch((err: unknown) => sendError(res, err));
  };
}

function serveOpenApiV2(req: IncomingMessage, res: ServerResponse, docs: OpenApiDocs): void {
  const accept = req.headers.accept ?? '';
  if (accept.includes('application/com.github.proto-openapi.spec.v2')) {
    const body = docs.v2Protobuf();
    res.writeHead(200, { 'Content-Type': 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf', 'Content-Length': String(body.length) });
    res.end(body);
    return;
  }
  sendJson(res, 200, docs.v2Json().toString('utf8'));
}
