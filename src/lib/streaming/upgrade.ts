// The HTTP/1.1 upgrade around the streaming protocols. Servers answer an upgrade request on the
// raw socket Node hands them ('upgrade' event): 101 Switching Protocols with the negotiated
// X-Stream-Protocol-Version for SPDY, or a plain error response. Clients dial a URL with
// `Upgrade: SPDY/3.1`, offering protocols in preference order, and get the upgraded socket
// back — or an UpgradeError carrying the server's status and body, which callers relay.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';
import { headerList } from './channels.js';

export const SPDY_UPGRADE = 'SPDY/3.1';
export const PROTOCOL_HEADER = 'x-stream-protocol-version';

/** True when an HTTP request asks to switch to SPDY (rather than WebSocket). */
export const wantsSpdy = (req: IncomingMessage): boolean => (req.headers.upgrade ?? '').toLowerCase().startsWith('spdy/');
export const wantsWebSocket = (req: IncomingMessage): boolean => (req.headers.upgrade ?? '').toLowerCase() === 'websocket';

/** The protocols a SPDY client offers, in its order of preference. */
export const offeredStreamProtocols = (req: IncomingMessage): string[] => headerList(req.headers[PROTOCOL_HEADER]);

/** Completes a SPDY upgrade on the raw socket; `head` holds bytes read past the request. */
export function acceptSpdyUpgrade(socket: Duplex, head: Buffer, protocol: string | undefined): void {
  const lines = ['HTTP/1.1 101 Switching Protocols', 'Connection: Upgrade', `Upgrade: ${SPDY_UPGRADE}`];
  if (protocol) lines.push(`X-Stream-Protocol-Version: ${protocol}`);
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  if (head.length > 0) socket.unshift(head);
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable' };

/** Answers an upgrade request with an ordinary HTTP error and closes the socket. */
export function rejectUpgrade(socket: Duplex, code: number, body: string, contentType = 'text/plain; charset=utf-8'): void {
  const payload = Buffer.from(body);
  socket.end(`HTTP/1.1 ${code} ${REASONS[code] ?? 'Error'}\r\nContent-Type: ${contentType}\r\nContent-Length: ${payload.length}\r\nConnection: close\r\n\r\n${body}`);
}

/** The server refused to upgrade: its status code and body. */
export class UpgradeError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: string,
  ) {
    super(body.trim() || `upgrade failed with HTTP ${statusCode}`);
    this.name = 'UpgradeError';
  }
}

export interface DialOptions {
  protocols: readonly string[];
  method?: string;
  headers?: Record<string, string>;
  /** For https URLs: CA to trust, or skip verification. */
  ca?: string;
  rejectUnauthorized?: boolean;
  timeoutMs?: number;
}

/** Dials a URL and upgrades to SPDY; resolves with the agreed protocol and the raw socket. */
export function dialSpdy(url: string, o: DialOptions): Promise<{ protocol: string; socket: Duplex }> {
  const u = new URL(url);
  const request = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(u, {
      method: o.method ?? 'POST',
      headers: { ...(o.headers ?? {}), Connection: 'Upgrade', Upgrade: SPDY_UPGRADE, 'X-Stream-Protocol-Version': [...o.protocols], 'Content-Length': '0' },
      ...(u.protocol === 'https:' ? { ca: o.ca, rejectUnauthorized: o.rejectUnauthorized ?? true } : {}),
      timeout: o.timeoutMs ?? 30_000,
    });
    req.on('upgrade', (res, socket, head) => {
      if (head.length > 0) socket.unshift(head);
      resolve({ protocol: headerList(res.headers[PROTOCOL_HEADER])[0] ?? '', socket });
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => reject(new UpgradeError(res.statusCode ?? 0, body)));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`timed out upgrading ${u.origin}${u.pathname}`)));
    req.on('error', reject);
    req.end();
  });
}
