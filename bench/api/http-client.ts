// The benchmark's HTTP side: plain node:https with a keep-alive agent, the admin bearer token and
// the cluster CA, so what is measured is the server and not a client library. Watches get their
// own agent (one long-lived socket each) and hand every newline-delimited event line to a callback.
import { Agent, request } from 'node:https';

export interface ServerAccess {
  url: string;
  token: string;
  caCertPem: string;
}

export interface HttpResult {
  status: number;
  body: string;
}

export interface RequestOptions {
  method: string;
  path: string;
  body?: unknown;
  contentType?: string;
}

export interface WatchStream {
  close(): void;
  /** Resolves when the server ends the stream or the socket fails. */
  readonly ended: Promise<void>;
}

export class HttpsClient {
  private readonly agent: Agent;
  private readonly watchAgent: Agent;

  constructor(
    private readonly server: ServerAccess,
    o: { maxSockets: number },
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: o.maxSockets, ca: server.caCertPem });
    this.watchAgent = new Agent({ keepAlive: false, ca: server.caCertPem, maxCachedSessions: 2000 });
  }

  request(o: RequestOptions): Promise<HttpResult> {
    return new Promise((resolve, reject) => {
      const payload = o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
      const headers: Record<string, string | number> = { Authorization: `Bearer ${this.server.token}`, Accept: 'application/json' };
      if (payload !== undefined) {
        headers['Content-Type'] = o.contentType ?? 'application/json';
        headers['Content-Length'] = Buffer.byteLength(payload);
      }
      const req = request(`${this.server.url}${o.path}`, { method: o.method, agent: this.agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Sends a request and fails unless the status is the expected one. */
  async expect(status: number, o: RequestOptions): Promise<HttpResult> {
    const r = await this.request(o);
    if (r.status !== status) throw new Error(`${o.method} ${o.path}: expected ${status}, got ${r.status}: ${r.body.slice(0, 300)}`);
    return r;
  }

  /** Opens a watch; resolves once the response headers arrive (the stream is established). */
  watch(path: string, onLine: (line: string) => void): Promise<WatchStream> {
    return new Promise((resolve, reject) => {
      const req = request(`${this.server.url}${path}`, {
        method: 'GET',
        agent: this.watchAgent,
        headers: { Authorization: `Bearer ${this.server.token}`, Accept: 'application/json' },
      });
      let endedResolve!: () => void;
      const ended = new Promise<void>((r) => (endedResolve = r));
      req.on('response', (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`watch ${path}: status ${res.statusCode}`));
          return;
        }
        let pending = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          pending += d;
          let nl = pending.indexOf('\n');
          while (nl >= 0) {
            onLine(pending.slice(0, nl));
            pending = pending.slice(nl + 1);
            nl = pending.indexOf('\n');
          }
        });
        res.on('close', endedResolve);
        res.on('error', endedResolve);
        resolve({ close: () => req.destroy(), ended });
      });
      req.on('error', (err) => {
        endedResolve();
        reject(err);
      });
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
    this.watchAgent.destroy();
  }
}
