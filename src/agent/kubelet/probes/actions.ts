// The three ways to check on (or act on) a container, shared by probes and lifecycle hooks:
// run a command in it through the runtime (CRI ExecSync), an HTTP GET against the pod (2xx and
// 3xx succeed; redirects are followed on the same host, and one to another host counts as success
// with a warning, as Kubernetes does), or a TCP connect. Messages read like Kubernetes' (Go's).
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { Runtime } from '../../cri/index.js';
import type { PodContainer } from '../pod-config.js';

export type ActionResult = { result: 'success' | 'failure' | 'warning'; output: string };

const USER_AGENT = 'kube-probe/1.32';
const MAX_BODY = 10 * 1024;
const MAX_REDIRECTS = 10;

/** A probe port: a number, a numeric string, or the name of one of the container's ports. */
export function resolvePort(port: number | string | undefined, c: PodContainer): number {
  if (typeof port === 'number') return port;
  if (port !== undefined && /^\d+$/.test(port)) return Number(port);
  const found = (c.ports ?? []).find((p) => p.name === port);
  if (!found) throw new Error(`couldn't find port: ${String(port)} in ${c.name}`);
  return found.containerPort;
}

const hostPort = (host: string, port: number): string => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

export async function execAction(o: { runtime: Runtime; containerId: string; command: string[]; timeoutSeconds: number }): Promise<ActionResult> {
  try {
    const r = await o.runtime.execSync({ containerId: o.containerId, cmd: o.command, timeoutSeconds: o.timeoutSeconds });
    const output = Buffer.concat([r.stdout, r.stderr]).toString('utf8');
    return r.exitCode === 0 ? { result: 'success', output } : { result: 'failure', output: output || `command ${JSON.stringify(o.command.join(' '))} exited with ${r.exitCode}` };
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    return { result: 'failure', output: /deadline|timed? ?out/i.test(msg) ? `command ${JSON.stringify(o.command.join(' '))} timed out` : msg };
  }
}

function get(url: URL, o: { headers: Record<string, string>; timeoutMs: number }): Promise<{ res: IncomingMessage; body: string }> {
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
      url,
      { method: 'GET', headers: o.headers, agent: false, rejectUnauthorized: false, timeout: o.timeoutMs },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (body.length < MAX_BODY) body += chunk.slice(0, MAX_BODY - body.length);
        });
        res.on('end', () => resolve({ res, body }));
        res.on('error', reject);
      },
    );
    const timer = setTimeout(() => req.destroy(new Error('context deadline exceeded (Client.Timeout exceeded while awaiting headers)')), o.timeoutMs);
    req.on('timeout', () => req.destroy(new Error('context deadline exceeded (Client.Timeout exceeded while awaiting headers)')));
    req.on('close', () => clearTimeout(timer));
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED') reject(new Error(`dial tcp ${url.host}: connect: connection refused`));
      else if (err.code === 'EHOSTUNREACH') reject(new Error(`dial tcp ${url.host}: connect: no route to host`));
      else reject(err);
    });
    req.end();
  });
}

export interface HttpGetSpec {
  scheme?: string;
  host?: string;
  path?: string;
  port: number;
  httpHeaders?: { name: string; value: string }[];
}

export async function httpGetAction(o: { spec: HttpGetSpec; defaultHost: string; timeoutMs: number }): Promise<ActionResult> {
  const scheme = (o.spec.scheme ?? 'HTTP').toLowerCase();
  const host = o.spec.host || o.defaultHost;
  let path = o.spec.path ?? '/';
  if (!path.startsWith('/')) path = `/${path}`;
  let url = new URL(`${scheme}://${hostPort(host, o.spec.port)}${path}`);
  const headers: Record<string, string> = { 'User-Agent': USER_AGENT, Accept: '*/*' };
  for (const h of o.spec.httpHeaders ?? []) headers[h.name] = h.value;
  const deadline = Date.now() + o.timeoutMs;
  for (let hops = 0; ; hops++) {
    let answer: { res: IncomingMessage; body: string };
    try {
      answer = await get(url, { headers, timeoutMs: Math.max(1, deadline - Date.now()) });
    } catch (err) {
      return { result: 'failure', output: `Get "${url.href}": ${err instanceof Error ? err.message : String(err)}` };
    }
    const code = answer.res.statusCode ?? 0;
    const location = answer.res.headers.location;
    if (code >= 300 && code < 400 && location) {
      const next = new URL(location, url);
      if (next.hostname !== url.hostname) return { result: 'warning', output: `Probe terminated redirects, Response body: ${answer.body}` };
      if (hops >= MAX_REDIRECTS) return { result: 'failure', output: `Get "${next.href}": stopped after ${MAX_REDIRECTS} redirects` };
      url = next;
      continue;
    }
    if (code >= 200 && code < 400) return { result: 'success', output: answer.body };
    return { result: 'failure', output: `HTTP probe failed with statuscode: ${code}` };
  }
}

export function tcpAction(o: { host: string; port: number; timeoutMs: number }): Promise<ActionResult> {
  const addr = hostPort(o.host, o.port);
  return new Promise((resolve) => {
    const sock = connect({ host: o.host, port: o.port });
    const done = (r: ActionResult): void => {
      clearTimeout(timer);
      sock.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => done({ result: 'failure', output: `dial tcp ${addr}: i/o timeout` }), o.timeoutMs);
    sock.once('connect', () => done({ result: 'success', output: '' }));
    sock.once('error', (err: NodeJS.ErrnoException) =>
      done({ result: 'failure', output: `dial tcp ${addr}: connect: ${err.code === 'ECONNREFUSED' ? 'connection refused' : err.message}` }),
    );
  });
}
