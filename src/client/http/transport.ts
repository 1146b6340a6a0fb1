// HTTPS transport to the API server: keep-alive connections trusting the cluster CA, the
// bearer token on every request, JSON bodies, and Kubernetes Status error bodies turned back into
// StatusErrors (so callers test `err.reason === 'NotFound'` exactly as server code throws it).
import { Agent, request, type RequestOptions } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { StatusError, type Status, type StatusReason } from '../../lib/errors.js';

export interface TransportConfig {
  server: string;
  caCertPem: string;
  token: string;
  /** Maximum sockets kept per host; the default suits a controller manager. */
  maxSockets?: number;
}

export interface RawResponse {
  status: number;
  body: Buffer;
}

export class Transport {
  readonly agent: Agent;
  private readonly base: URL;

  constructor(private readonly cfg: TransportConfig) {
    this.base = new URL(cfg.server);
    this.agent = new Agent({ keepAlive: true, maxSockets: cfg.maxSockets ?? 64, ca: cfg.caCertPem });
  }

  private options(method: string, path: string, headers: Record<string, string>): RequestOptions & { href: string } {
    const url = new URL(path, this.base);
    return {
      href: url.href,
      method,
      agent: this.agent,
      headers: { Authorization: `Bearer ${this.cfg.token}`, Accept: 'application/json', ...headers },
    };
  }

  /** Sends a request and returns the raw response; only connection problems reject. */
  send(method: string, path: string, body?: { contentType: string; data: string }): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = body ? { 'Content-Type': body.contentType, 'Content-Length': String(Buffer.byteLength(body.data)) } : {};
      const o = this.options(method, path, headers);
      const req = request(o.href, o, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body?.data);
    });
  }

  /** Sends a request, returning the parsed JSON body of a 2xx answer and throwing a StatusError otherwise. */
  async json<T>(method: string, path: string, body?: { contentType: string; data: string }): Promise<T> {
    const res = await this.send(method, path, body);
    if (res.status >= 200 && res.status < 300) return JSON.parse(res.body.toString('utf8')) as T;
    throw errorFrom(res.status, res.body);
  }

  /** Opens a streaming GET (watches); resolves with the response once headers arrive. */
  stream(path: string, signal: AbortSignal): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const o = this.options('GET', path, {});
      const req = request(o.href, { ...o, signal }, (res) => {
        if ((res.statusCode ?? 0) >= 300) {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => reject(errorFrom(res.statusCode ?? 0, Buffer.concat(chunks))));
          res.on('error', reject);
          return;
        }
        resolve(res);
      });
      req.on('error', reject);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

const REASONS_BY_CODE: Record<number, StatusReason> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Expired',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

export function statusToError(s: Partial<Status>, code: number): StatusError {
  const reason = (s.reason || REASONS_BY_CODE[code] || 'InternalError') as StatusReason;
  return new StatusError(reason, s.message ?? `the server responded with status ${code}`, { code, ...(s.details ? { details: s.details } : {}) });
}

function errorFrom(code: number, body: Buffer): StatusError {
  try {
    const s = JSON.parse(body.toString('utf8')) as Partial<Status>;
    if (s.kind === 'Status') return statusToError(s, code);
  } catch {
    // not JSON: fall through
  }
  return statusToError({ message: body.toString('utf8').slice(0, 500) || `status ${code}` }, code);
}
