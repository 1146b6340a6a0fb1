// The data plane: an HTTP reverse proxy on Node's own http module. Each request looks up the
// current route table once (a later swap never changes its backend), picks endpoints round-robin,
// and streams the body both ways without buffering. Sockets to backends are kept alive and reused
// (one pool per endpoint address, inside one http.Agent). A try that fails to connect — refused,
// reset, unreachable, or no answer within the connect timeout — moves to the next endpoint for
// idempotent methods, at most `maxTries` endpoints in all, as nginx's proxy_next_upstream
// "error timeout" does; a request whose body already started streaming is never retried.
// WebSocket and other Upgrade requests are handled in upgrade.ts.
import { Agent, request, type ClientRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Endpoint, Pool } from './backends.js';
import { sendError } from './error-pages.js';
import { backendRequestHeaders, clientAddress, clientResponseHeaders, type ForwardInfo } from './headers.js';
import { normalizeHost, requestPath } from './match.js';
import type { RouteTable } from './route-table.js';
import { proxyUpgrade } from './upgrade.js';

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

export interface ProxyOptions {
  /** The current route table; read once per request. */
  table(): RouteTable<unknown>;
  log(msg: string): void;
  /** How long to wait for a backend connection (default 5 s, as ingress-nginx's proxy-connect-timeout). */
  connectTimeoutMs?: number;
  /** Longest silence from a backend once connected (default 60 s, as proxy-read-timeout). */
  readTimeoutMs?: number;
  /** Endpoints tried per idempotent request (default 3: the first and two retries). */
  maxTries?: number;
}

export interface Listener {
  scheme: 'http' | 'https';
  port: number;
}

/** One request on its way to a backend: what every try shares. */
interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  headers: string[];
  candidates: Endpoint[];
  hasBody: boolean;
  retryable: boolean;
  current?: ClientRequest;
}

class BackendError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

export class HttpProxy {
  private readonly agent: Agent;
  private readonly positions = new Map<string, number>();
  private readonly connectTimeoutMs: number;
  private readonly readTimeoutMs: number;
  private readonly maxTries: number;

  constructor(private readonly o: ProxyOptions) {
    this.connectTimeoutMs = o.connectTimeoutMs ?? 5_000;
    this.readTimeoutMs = o.readTimeoutMs ?? 60_000;
    this.maxTries = o.maxTries ?? 3;
    // The agent's socket timeout doubles as the read timeout: the request gets a 'timeout' event
    // after that much silence, without arming a timer of its own per request.
    this.agent = new Agent({ keepAlive: true, maxFreeSockets: 256, scheduling: 'lifo', timeout: this.readTimeoutMs });
  }

  /** Up to `count` distinct endpoints of a pool, starting at its next round-robin position. */
  private pick(pool: Pool, count: number): Endpoint[] {
    const eps = pool.endpoints;
    const n = eps.length;
    const start = (this.positions.get(pool.key) ?? 0) % n;
    this.positions.set(pool.key, start + 1);
    const out: Endpoint[] = [];
    for (let i = 0; i < Math.min(n, count); i++) out.push(eps[(start + i) % n] as Endpoint);
    return out;
  }

  private forwardInfo(req: IncomingMessage, l: Listener): ForwardInfo {
    return { clientIp: clientAddress(req.socket.remoteAddress), proto: l.scheme, port: l.port, host: req.headers.host ?? '' };
  }

  handle(req: IncomingMessage, res: ServerResponse, l: Listener): void {
    const route = this.o.table().route(normalizeHost(req.headers.host), requestPath(req.url));
    if (!route) return sendError(res, 404);
    if (route.pool.endpoints.length === 0) return sendError(res, 503);
    const method = req.method ?? 'GET';
    const retryable = IDEMPOTENT.has(method);
    const length = req.headers['content-length'];
    const ex: Exchange = {
      req,
      res,
      headers: backendRequestHeaders(req.rawHeaders, this.forwardInfo(req, l)),
      candidates: this.pick(route.pool, retryable ? this.maxTries : 1),
      hasBody: length !== undefined ? length !== '0' : req.headers['transfer-encoding'] !== undefined,
      retryable,
    };
    res.once('close', () => {
      if (!res.writableFinished) ex.current?.destroy();
    });
    this.attempt(ex, 0);
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, l: Listener): void {
    proxyUpgrade({ req, socket, head, table: this.o.table(), forward: this.forwardInfo(req, l), pick: (p, n) => this.pick(p, n), maxTries: this.maxTries, connectTimeoutMs: this.connectTimeoutMs });
  }

  private attempt(ex: Exchange, i: number): void {
    const ep = ex.candidates[i] as Endpoint;
    const { req, res } = ex;
    let bodyStarted = false;
    let responded = false;
    let connectTimer: NodeJS.Timeout | undefined;
    const preq = request({ host: ep.host, port: ep.port, method: req.method, path: req.url, headers: ex.headers, agent: this.agent, setHost: false });
    ex.current = preq;
    // Set per request: a reused keep-alive socket otherwise keeps the shorter idle timeout the
    // agent derived from the backend's `Keep-Alive: timeout=` hint, and a slow answer became a 504.
    preq.setTimeout(this.readTimeoutMs);
    const startBody = (): void => {
      if (connectTimer) clearTimeout(connectTimer);
      if (!ex.hasBody || bodyStarted) return;
      bodyStarted = true;
      req.pipe(preq);
    };
    preq.once('socket', (sock: Socket) => {
      if (!sock.connecting) return startBody();
      connectTimer = setTimeout(() => preq.destroy(new BackendError('connect timeout', 'ECONNTIMEOUT')), this.connectTimeoutMs);
      sock.once('connect', startBody);
    });
    // Requests without a body are complete at once; their head is written when the socket connects.
    if (!ex.hasBody) preq.end();
    preq.once('timeout', () => preq.destroy(new BackendError('backend read timeout', 'EREADTIMEOUT')));
    preq.once('response', (pres: IncomingMessage) => {
      responded = true;
      res.writeHead(pres.statusCode ?? 502, pres.statusMessage, clientResponseHeaders(pres.rawHeaders));
      pres.pipe(res);
      pres.once('close', () => {
        // A backend that vanished mid-body must not leave the client waiting for the rest.
        if (!pres.complete) res.destroy();
      });
    });
    let failed = false;
    preq.on('error', (err: Error & { code?: string }) => {
      if (connectTimer) clearTimeout(connectTimer);
      if (failed) return;
      failed = true;
      if (res.destroyed || (res.writableEnded && responded)) return;
      if (responded) {
        res.destroy();
        return;
      }
      const readTimeout = err.code === 'EREADTIMEOUT';
      if (ex.retryable && !bodyStarted && !readTimeout && i + 1 < ex.candidates.length) {
        this.o.log(`ingress: ${req.method} ${req.url} to ${ep.host}:${ep.port} failed (${err.code ?? err.message}); trying another endpoint`);
        this.attempt(ex, i + 1);
        return;
      }
      this.o.log(`ingress: ${req.method} ${req.url} to ${ep.host}:${ep.port} failed (${err.code ?? err.message})`);
      if (bodyStarted) req.unpipe(preq);
      sendError(res, readTimeout ? 504 : 502);
    });
  }

  /** Closes idle backend connections. */
  close(): void {
    this.agent.destroy();
  }
}
