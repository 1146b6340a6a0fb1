// The agent's HTTPS endpoint, the counterpart of the kubelet's port 10250: the API server proxies
// `kubectl logs`, `exec`, `attach` and `port-forward` here. Only the API server may call it: the
// TLS handshake asks for a client certificate, which must chain to the cluster CA and name the
// API server's kubelet-client identity. Routes, as the kubelet has them:
//   GET  /containerLogs/{ns}/{pod}/{container}
//   GET|POST /exec/{ns}/{pod}[/{uid}]/{container}?command=…  (upgrade: WebSocket or SPDY)
//   GET|POST /attach/{ns}/{pod}[/{uid}]/{container}          (upgrade)
//   GET|POST /portforward/{ns}/{pod}[/{uid}]                 (upgrade)
//   GET  /healthz
// The node publishes the port in its status (daemonEndpoints.kubeletEndpoint.Port), where the API
// server looks it up.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { rejectUpgrade } from '../../lib/streaming/index.js';
import { ensureServingCert } from './cert.js';
import { isRunning, logOptions, serveLog } from './logs.js';
import { servePortForward, openPortForward } from './port-forward.js';
import { acceptClient, bridge, openRemoteCommand } from './remote-command.js';
import { findPod, HttpError, logContainerId, logPathOf, readySandbox, requireContainer, runningContainer, type TargetSource } from './targets.js';

/** The identity the API server presents to agents (its kubelet-client certificate). */
export const APISERVER_CLIENT_CN = 'kube-apiserver-kubelet-client';
export const DEFAULT_KUBELET_PORT = 10250;

export interface KubeletServerOptions extends TargetSource {
  /** Port to listen on; 0 picks a free one (tests). */
  port: number;
  host?: string;
  /** The cluster CA: client certificates must chain to it. */
  clientCaPem: string;
  /** Where the serving certificate is kept (DATA_DIR/tls); in memory without it. */
  certDir?: string;
  /** Extra names and addresses for the serving certificate (the node IP). */
  names?: string[];
  log?(msg: string): void;
}

type Route =
  | { kind: 'logs'; ns: string; pod: string; container: string }
  | { kind: 'exec' | 'attach'; ns: string; pod: string; uid?: string; container: string }
  | { kind: 'portforward'; ns: string; pod: string; uid?: string };

function route(pathname: string): Route | undefined {
  const p = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const [verb, ns = '', pod = ''] = p;
  if (verb === 'containerLogs' && p.length === 4) return { kind: 'logs', ns, pod, container: p[3] ?? '' };
  if ((verb === 'exec' || verb === 'attach') && (p.length === 4 || p.length === 5))
    return { kind: verb, ns, pod, container: p[p.length - 1] ?? '', ...(p.length === 5 ? { uid: p[3] ?? '' } : {}) };
  if (verb === 'portforward' && (p.length === 3 || p.length === 4)) return { kind: 'portforward', ns, pod, ...(p.length === 4 ? { uid: p[3] ?? '' } : {}) };
  return undefined;
}

function authorized(req: IncomingMessage): boolean {
  const sock = req.socket as TLSSocket;
  if (!sock.authorized) return false;
  const cert = sock.getPeerCertificate();
  return cert.subject?.CN === APISERVER_CLIENT_CN;
}

export class KubeletServer {
  readonly ready: Promise<{ port: number }>;
  private resolveReady!: (v: { port: number }) => void;
  private rejectReady!: (e: unknown) => void;

  constructor(private readonly o: KubeletServerOptions) {
    this.ready = new Promise((res, rej) => {
      this.resolveReady = res;
      this.rejectReady = rej;
    });
    this.ready.catch(() => undefined);
  }

  private log(msg: string): void {
    this.o.log?.(msg);
  }

  /** Serves until the signal aborts. */
  async start(signal: AbortSignal): Promise<void> {
    let server: Server | undefined;
    try {
      const cert = await ensureServingCert(this.o.certDir, { commonName: `${hostname()}@tugboat-agent`, names: ['localhost', '127.0.0.1', hostname(), ...(this.o.names ?? [])] });
      server = createServer({ cert: cert.certPem, key: cert.keyPem, ca: this.o.clientCaPem, requestCert: true, rejectUnauthorized: false, requestTimeout: 0 }, (req, res) => {
        this.onRequest(req, res, signal).catch((err: unknown) => this.fail(res, err));
      });
      server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
        this.onUpgrade(req, socket, head).catch((err: unknown) => {
          const e = err instanceof HttpError ? err : new HttpError(500, err instanceof Error ? err.message : String(err));
          if (!(err instanceof HttpError)) this.log(`agent server: ${e.message}`);
          if (!socket.destroyed) rejectUpgrade(socket, e.code, `${e.message}\n`);
        });
      });
      const srv = server;
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen(this.o.port, this.o.host ?? '0.0.0.0', () => resolve());
      });
      this.resolveReady({ port: (srv.address() as AddressInfo).port });
      await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
    } catch (err) {
      this.rejectReady(err);
      throw err;
    } finally {
      if (server) {
        const s = server;
        s.closeAllConnections();
        await new Promise<void>((r) => s.close(() => r()));
      }
    }
  }

  private fail(res: ServerResponse, err: unknown): void {
    const e = err instanceof HttpError ? err : new HttpError(500, err instanceof Error ? err.message : String(err));
    if (!(err instanceof HttpError)) this.log(`agent server: ${e.message}`);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(e.code, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${e.message}\n`);
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://agent.local');
    if (url.pathname === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
      return;
    }
    if (!authorized(req)) throw new HttpError(401, 'Unauthorized');
    const r = route(url.pathname);
    if (!r) throw new HttpError(404, '404 page not found');
    if (r.kind !== 'logs') throw new HttpError(400, 'Upgrade request required');
    if (req.method !== 'GET') throw new HttpError(405, 'method not allowed');
    const t = await findPod(this.o, r.ns, r.pod);
    requireContainer(t.pod, r.container);
    const opts = logOptions(url.searchParams, Date.now());
    const id = logContainerId(t.pod, r.container, opts.previous);
    const path = await logPathOf(t.runtime, id);
    const gone = new AbortController();
    const stop = (): void => gone.abort();
    res.once('close', stop);
    signal.addEventListener('abort', stop, { once: true });
    try {
      await serveLog(res, path, opts, { running: isRunning(t.runtime, id), signal: gone.signal });
      res.end();
    } finally {
      signal.removeEventListener('abort', stop);
    }
  }

  private async onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://agent.local');
    if (!authorized(req)) throw new HttpError(401, 'Unauthorized');
    const r = route(url.pathname);
    if (!r || r.kind === 'logs') throw new HttpError(404, '404 page not found');
    const t = await findPod(this.o, r.ns, r.pod, r.uid);
    const u = { req, socket, head };
    if (r.kind === 'portforward') {
      const sandboxId = await readySandbox(t);
      const remote = await openPortForward(await t.runtime.portForward({ podSandboxId: sandboxId }));
      servePortForward(u, remote, url.searchParams);
      return;
    }
    requireContainer(t.pod, r.container);
    const containerId = await runningContainer(t, r.container);
    const { remote, options } = await openRemoteCommand(url.searchParams, {
      kind: r.kind,
      start: (opt, cmd) =>
        r.kind === 'exec'
          ? t.runtime.exec({ containerId, cmd, tty: opt.tty, stdin: opt.stdin, stdout: opt.stdout, stderr: opt.stderr })
          : t.runtime.attach({ containerId, tty: opt.tty, stdin: opt.stdin, stdout: opt.stdout, stderr: opt.stderr }),
    });
    const session = await acceptClient(u, options);
    if (!session) {
      remote.close();
      return;
    }
    await bridge(session, remote);
  }
}
