// The API server's side of pods/log, pods/exec, pods/attach and pods/portforward: it checks the
// request as Kubernetes' pod registry does (authenticated user, pod, container, bound node), finds
// the node's agent, and relays. Logs are plain HTTP streamed back as text; exec, attach and
// port-forward arrive as HTTP upgrades (WebSocket or SPDY) and are passed through byte for byte —
// the agent speaks every protocol version kubectl may choose, so nothing is translated here.
// Towards the agent the API server authenticates with its kubelet-client certificate; it does
// not verify the agent's self-signed serving certificate yet (docs/design/streaming.md).
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { noSuchResource, StatusError, toStatusError } from '../../lib/errors.js';
import { rejectUpgrade } from '../../lib/streaming/index.js';
import type { UserInfo } from '../auth/tokens.js';
import { adoptProtocolToken } from '../auth/websocket-token.js';
import { parseResourcePath } from '../http/paths.js';
import type { Registry } from '../registry/registry.js';
import type { ClientCert } from './client-cert.js';
import { getPod, locateAgent, resolveContainer, validateLogOptions, type AgentLocation } from './locate.js';

export const STREAMING_SUBRESOURCES: ReadonlySet<string> = new Set(['log', 'exec', 'attach', 'portforward']);
const UPGRADE_SUBRESOURCES = new Set(['exec', 'attach', 'portforward']);
const LOG_PARAMS = ['follow', 'previous', 'sinceSeconds', 'sinceTime', 'timestamps', 'tailLines', 'limitBytes'];
const STREAM_PARAMS = ['stdin', 'stdout', 'stderr', 'tty'];
/** Upgrade headers the agent must see to complete the client's handshake itself. */
const PASS_HEADERS = ['connection', 'upgrade', 'sec-websocket-key', 'sec-websocket-version', 'sec-websocket-protocol', 'x-stream-protocol-version'];

export interface StreamingProxyOptions {
  registry: Registry;
  authenticate(req: IncomingMessage): UserInfo | undefined;
  clientCert: ClientCert;
  log?(msg: string): void;
}

export interface StreamTarget {
  namespace: string;
  name: string;
  subresource: string;
  query: URLSearchParams;
}

function statusBody(err: unknown): { code: number; body: string } {
  const s = toStatusError(err).toStatus();
  return { code: s.code, body: JSON.stringify(s) };
}

export class StreamingProxy {
  private readonly agent: HttpsAgent;

  constructor(private readonly o: StreamingProxyOptions) {
    this.agent = new HttpsAgent({ keepAlive: true, cert: o.clientCert.certPem, key: o.clientCert.keyPem, rejectUnauthorized: false });
  }

  /** The agent URL path for a request, after checking pod and container. */
  private async target(t: StreamTarget): Promise<{ loc: AgentLocation | undefined; path: string }> {
    const pod = await getPod(this.o.registry, t.namespace, t.name);
    const q = new URLSearchParams();
    const ns = encodeURIComponent(t.namespace);
    const name = encodeURIComponent(t.name);
    if (t.subresource === 'portforward') {
      for (const p of t.query.getAll('ports')) q.append('ports', p);
      const loc = await locateAgent(this.o.registry, pod);
      if (!loc) throw new StatusError('BadRequest', `pod ${t.name} does not have a host assigned`);
      return { loc, path: `/portforward/${ns}/${name}${q.size ? `?${q}` : ''}` };
    }
    const container = encodeURIComponent(resolveContainer(pod, t.query.get('container')));
    if (t.subresource === 'log') {
      validateLogOptions(t.query, t.name);
      for (const k of LOG_PARAMS) if (t.query.has(k)) q.set(k, t.query.get(k) ?? '');
      return { loc: await locateAgent(this.o.registry, pod), path: `/containerLogs/${ns}/${name}/${container}${q.size ? `?${q}` : ''}` };
    }
    const loc = await locateAgent(this.o.registry, pod);
    if (!loc) throw new StatusError('BadRequest', `pod ${t.name} does not have a host assigned`);
    if (t.subresource === 'exec') for (const c of t.query.getAll('command')) q.append('command', c);
    for (const k of STREAM_PARAMS) if (t.query.has(k)) q.set(k, t.query.get(k) ?? '');
    return { loc, path: `/${t.subresource}/${ns}/${name}/${container}?${q}` };
  }

  /** A non-upgrade request for one of the streaming subresources (called by the resource handler). */
  async handleRequest(req: IncomingMessage, res: ServerResponse, t: StreamTarget): Promise<void> {
    if (UPGRADE_SUBRESOURCES.has(t.subresource)) {
      if (req.method !== 'GET' && req.method !== 'POST') throw new StatusError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
      throw new StatusError('BadRequest', 'Upgrade request required');
    }
    if (req.method !== 'GET') throw new StatusError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
    const { loc, path } = await this.target(t);
    if (!loc) {
      // Kubernetes answers an unscheduled pod's log with an empty stream.
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end();
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const up = httpsRequest({ host: loc.host, port: loc.port, path, method: 'GET', agent: this.agent, timeout: 30_000 }, (ures) => {
        up.setTimeout(0);
        const code = ures.statusCode ?? 500;
        if (code >= 200 && code < 300) {
          res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
          res.flushHeaders();
          ures.pipe(res);
          ures.once('end', () => resolve());
          ures.once('error', () => resolve());
          return;
        }
        readBody(ures).then((body) => reject(backendError(code, body)), reject);
      });
      res.once('close', () => {
        up.destroy();
        resolve();
      });
      up.on('timeout', () => up.destroy(new Error('timed out')));
      up.on('error', (err) => (res.headersSent ? resolve() : reject(new StatusError('InternalError', `error dialing backend: ${err.message}`, { cause: err }))));
      up.end();
    });
  }

  /** The https server's 'upgrade' event: only the pods' exec, attach and portforward upgrade. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => undefined);
    this.upgrade(req, socket, head).catch((err: unknown) => {
      const { code, body } = statusBody(err);
      if (!socket.destroyed) rejectUpgrade(socket, code, body, 'application/json');
    });
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://tugboat.local');
    adoptProtocolToken(req);
    if (!this.o.authenticate(req)) throw new StatusError('Unauthorized', 'Unauthorized');
    const rp = parseResourcePath(url.pathname.replace(/\/+$/, ''));
    if (!rp || rp.group !== '' || rp.plural !== 'pods' || !rp.namespace || !rp.name || !UPGRADE_SUBRESOURCES.has(rp.subresource ?? ''))
      throw noSuchResource();
    if (req.method !== 'GET' && req.method !== 'POST') throw new StatusError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
    const { loc, path } = await this.target({ namespace: rp.namespace, name: rp.name, subresource: rp.subresource ?? '', query: url.searchParams });
    if (!loc) throw new StatusError('BadRequest', `pod ${rp.name} does not have a host assigned`);
    const headers: Record<string, string | string[]> = {};
    for (const h of PASS_HEADERS) {
      const v = req.headers[h];
      if (v !== undefined) headers[h] = v;
    }
    const up = httpsRequest({
      host: loc.host,
      port: loc.port,
      path,
      method: req.method,
      headers,
      agent: false,
      cert: this.o.clientCert.certPem,
      key: this.o.clientCert.keyPem,
      rejectUnauthorized: false,
      // Only for reaching the agent: an upgraded session may be idle for hours.
      timeout: 15_000,
    });
    up.on('timeout', () => up.destroy(new Error(`timed out connecting to ${loc.host}:${loc.port}`)));
    up.on('upgrade', (res, agentSocket, agentHead) => {
      agentSocket.setTimeout(0);
      const lines = [`HTTP/1.1 ${res.statusCode ?? 101} ${res.statusMessage ?? 'Switching Protocols'}`];
      for (let i = 0; i < res.rawHeaders.length; i += 2) lines.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (agentHead.length) socket.write(agentHead);
      if (head.length) agentSocket.write(head);
      agentSocket.pipe(socket);
      socket.pipe(agentSocket);
      agentSocket.on('error', () => socket.destroy());
      socket.on('error', () => agentSocket.destroy());
      agentSocket.on('close', () => socket.destroy());
      socket.on('close', () => agentSocket.destroy());
    });
    up.on('response', (res) => {
      void readBody(res).then((body) => {
        const ct = res.headers['content-type'] ?? 'text/plain; charset=utf-8';
        rejectUpgrade(socket, res.statusCode ?? 500, body, ct);
      });
    });
    up.on('error', (err) => {
      const { code, body } = statusBody(new StatusError('InternalError', `error dialing backend: ${err.message}`));
      if (!socket.destroyed) rejectUpgrade(socket, code, body, 'application/json');
    });
    socket.once('close', () => up.destroy());
    up.end();
  }

  close(): void {
    this.agent.destroy();
  }
}

function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (d: string) => {
      if (body.length < 64 * 1024) body += d;
    });
    res.on('end', () => resolve(body));
    res.on('error', () => resolve(body));
  });
}

/** A failed answer from the agent, as Kubernetes' generic response checker turns it into a Status. */
function backendError(code: number, body: string): StatusError {
  const text = body.trim();
  if (code === 400) return new StatusError('BadRequest', text);
  if (code === 404) return new StatusError('NotFound', text || 'the server could not find the requested resource');
  if (code === 401 || code === 403) return new StatusError('InternalError', `the node agent refused the API server (${code}): ${text}`);
  return new StatusError('InternalError', text || `node agent answered HTTP ${code}`, { code: code >= 500 ? code : 500 });
}
