// Raw HTTPS requests to a test `tug server`, for what kubectl refuses to send (malformed JSON or
// YAML, oversized bodies, anonymous calls): trusts only the server's CA, sends the bearer token
// unless told not to, and returns the status, headers and body (parsed as JSON when it is JSON).
import { request } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';

export interface RawTarget {
  url: string;
  caCertPem: string;
  token: string;
}

export interface RawRequest {
  method?: string;
  path: string;
  /** A string or Buffer is sent as is; anything else as JSON. */
  body?: unknown;
  contentType?: string;
  /** `null` sends no Authorization header; a string overrides the server's token. */
  token?: string | null;
  /** Send the body with chunked encoding (no Content-Length). */
  chunked?: boolean;
  timeoutMs?: number;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export function rawRequest(target: RawTarget, r: RawRequest): Promise<RawResponse> {
  const payload =
    r.body === undefined ? undefined : typeof r.body === 'string' || Buffer.isBuffer(r.body) ? Buffer.from(r.body) : Buffer.from(JSON.stringify(r.body));
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = r.token === undefined ? target.token : r.token;
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  if (payload) {
    headers['Content-Type'] = r.contentType ?? 'application/json';
    if (!r.chunked) headers['Content-Length'] = String(payload.length);
  }
  return new Promise((resolve, reject) => {
    const req = request(`${target.url}${r.path}`, { method: r.method ?? 'GET', ca: target.caCertPem, headers, timeout: r.timeoutMs ?? 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text) as unknown;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`request ${r.method ?? 'GET'} ${r.path} timed out`)));
    req.on('error', reject);
    if (payload && r.chunked) {
      // Several writes so the server sees a streamed body it cannot size up front.
      const step = 256 * 1024;
      for (let i = 0; i < payload.length; i += step) req.write(payload.subarray(i, i + step));
      req.end();
    } else {
      req.end(payload);
    }
  });
}

/** The fields of a Kubernetes Status body that tests look at. */
export interface StatusBody {
  kind?: string;
  status?: string;
  reason?: string;
  message?: string;
  code?: number;
  details?: { name?: string; kind?: string; causes?: { reason?: string; message?: string; field?: string }[] };
}

export function asStatus(json: unknown): StatusBody {
  if (typeof json !== 'object' || json === null) throw new Error(`expected a Status body, got ${JSON.stringify(json)}`);
  return json as StatusBody;
}
