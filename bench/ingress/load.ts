// A closed-loop HTTP/1.1 load generator on raw keep-alive sockets, like wrk: each connection sends
// a GET, waits for the whole response, records the latency, and sends the next. Parsing only
// what framing needs (status, Content-Length or chunked end) keeps its own cost per request
// small, so on a shared 2-core machine most of the CPU goes to the proxy being measured.
import { connect, type Socket } from 'node:net';
import { summarize, type Summary } from '../api/stats.js';

export interface LoadOptions {
  port: number;
  host?: string;
  /** Host header. */
  hostHeader: string;
  path: string;
  connections: number;
  warmupMs: number;
  durationMs: number;
}

const HEAD_END = Buffer.from('\r\n\r\n');
const CHUNKED_END = Buffer.from('\r\n0\r\n\r\n');

/** Length of the first complete response in `buf` and its status, or undefined if incomplete. */
function parseResponse(buf: Buffer): { length: number; status: number; close: boolean } | undefined {
  const headEnd = buf.indexOf(HEAD_END);
  if (headEnd < 0) return undefined;
  const head = buf.toString('latin1', 0, headEnd);
  const status = Number(head.slice(9, 12));
  // A server that says it closes (nginx after keepalive_requests) gets no further request.
  const close = /\r\nconnection:\s*close/i.test(head);
  const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (m) {
    const total = headEnd + 4 + Number(m[1]);
    return buf.length >= total ? { length: total, status, close } : undefined;
  }
  if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
    // Good enough for the fixed bodies of this benchmark, which never contain the end marker.
    const end = buf.indexOf(CHUNKED_END, headEnd + 4 - 2);
    return end < 0 ? undefined : { length: end + CHUNKED_END.length, status, close };
  }
  return status === 204 || status === 304 ? { length: headEnd + 4, status, close } : undefined;
}

export async function runLoad(o: LoadOptions): Promise<Summary> {
  const request = Buffer.from(`GET ${o.path} HTTP/1.1\r\nHost: ${o.hostHeader}\r\nUser-Agent: tugboat-bench\r\nAccept: */*\r\n\r\n`);
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const measureFrom = start + o.warmupMs;
  const stopAt = measureFrom + o.durationMs;

  /** One socket until it closes (a server may close after N requests, as nginx's keepalive_requests). */
  const runSocket = (): Promise<void> =>
    new Promise((resolve) => {
      const sock: Socket = connect({ port: o.port, host: o.host ?? '127.0.0.1', noDelay: true });
      let buf: Buffer = Buffer.alloc(0);
      let sentAt = 0;
      const send = (): void => {
        if (performance.now() >= stopAt) {
          sock.end();
          return;
        }
        sentAt = performance.now();
        sock.write(request);
      };
      sock.once('connect', send);
      sock.on('data', (chunk: Buffer) => {
        buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
        for (;;) {
          const r = parseResponse(buf);
          if (!r) return;
          buf = buf.subarray(r.length);
          const now = performance.now();
          if (sentAt >= measureFrom && now <= stopAt) {
            if (r.status >= 200 && r.status < 400) latencies.push(now - sentAt);
            else {
              errors++;
              firstError ??= `HTTP ${r.status}`;
            }
          }
          if (r.close) {
            sock.end();
            return;
          }
          send();
        }
      });
      sock.on('error', (err) => {
        errors++;
        firstError ??= err.message;
      });
      sock.on('close', () => resolve());
    });
  const runConnection = async (): Promise<void> => {
    while (performance.now() < stopAt) {
      const before = errors;
      await runSocket();
      // Do not spin on a refusing port.
      if (errors > before) await new Promise((r) => setTimeout(r, 10));
    }
  };

  await Promise.all(Array.from({ length: o.connections }, runConnection));
  return summarize(latencies, { elapsedMs: o.durationMs, errors, ...(firstError ? { firstError } : {}) });
}
