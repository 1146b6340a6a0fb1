// Upgrade requests (WebSocket, or any protocol switched to with `Upgrade:`): the request is sent
// to a backend on a connection of its own; when the backend agrees (101), its head is relayed
// to the client and the two sockets are piped to each other until either side closes. A backend
// that answers with anything else has that answer relayed and the connection closed. Failing to
// connect moves to the next endpoint as for ordinary GETs (an Upgrade request is a GET).
import { request, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Endpoint, Pool } from './backends.js';
import { sendSocketError } from './error-pages.js';
import { backendRequestHeaders, clientResponseHeaders, switchingProtocolsHead, type ForwardInfo } from './headers.js';
import { normalizeHost, requestPath } from './match.js';
import type { RouteTable } from './route-table.js';

export interface UpgradeRequest {
  req: IncomingMessage;
  socket: Duplex;
  head: Buffer;
  table: RouteTable<unknown>;
  forward: ForwardInfo;
  pick(pool: Pool, count: number): Endpoint[];
  maxTries: number;
  connectTimeoutMs: number;
}

function relayResponse(socket: Duplex, pres: IncomingMessage): void {
  const raw = clientResponseHeaders(pres.rawHeaders);
  const lines = [`HTTP/1.1 ${pres.statusCode ?? 502} ${pres.statusMessage ?? ''}`, 'Connection: close'];
  for (let i = 0; i < raw.length; i += 2) lines.push(`${raw[i] as string}: ${raw[i + 1] as string}`);
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  pres.pipe(socket);
}

function splice(client: Duplex, backend: Socket): void {
  backend.setNoDelay(true);
  backend.setTimeout(0);
  const closeBoth = (): void => {
    client.destroy();
    backend.destroy();
  };
  client.once('error', closeBoth);
  backend.once('error', closeBoth);
  client.once('close', () => backend.destroy());
  backend.once('close', () => client.destroy());
  backend.pipe(client);
  client.pipe(backend);
}

export function proxyUpgrade(u: UpgradeRequest): void {
  const { req, socket } = u;
  if ('setNoDelay' in socket && typeof socket.setNoDelay === 'function') (socket as Socket).setNoDelay(true);
  const route = u.table.route(normalizeHost(req.headers.host), requestPath(req.url));
  if (!route) return sendSocketError(socket, 404);
  if (route.pool.endpoints.length === 0) return sendSocketError(socket, 503);
  const upgrade = req.headers.upgrade ?? '';
  const headers = backendRequestHeaders(req.rawHeaders, u.forward, { upgrade });
  const candidates = u.pick(route.pool, req.method === 'GET' ? u.maxTries : 1);
  let clientGone = false;
  socket.once('error', () => (clientGone = true));
  socket.once('close', () => (clientGone = true));

  const attempt = (i: number): void => {
    const ep = candidates[i] as Endpoint;
    let answered = false;
    // agent: false — the connection becomes the tunnel and never goes back to a pool.
    const preq = request({ host: ep.host, port: ep.port, method: req.method, path: req.url, headers, agent: false, setHost: false, timeout: u.connectTimeoutMs });
    preq.once('timeout', () => preq.destroy(new Error('connect timeout')));
    preq.once('upgrade', (pres: IncomingMessage, backend: Socket, backendHead: Buffer) => {
      answered = true;
      if (clientGone) return void backend.destroy();
      socket.write(switchingProtocolsHead(pres.statusMessage, pres.rawHeaders, pres.headers.upgrade ?? upgrade));
      if (backendHead.length > 0) socket.write(backendHead);
      if (u.head.length > 0) backend.write(u.head);
      splice(socket, backend);
    });
    preq.once('response', (pres: IncomingMessage) => {
      answered = true;
      relayResponse(socket, pres);
    });
    let failed = false;
    preq.on('error', () => {
      if (answered || clientGone || failed) return;
      failed = true;
      if (i + 1 < candidates.length) attempt(i + 1);
      else sendSocketError(socket, 502);
    });
    preq.end();
  };
  attempt(0);
}
