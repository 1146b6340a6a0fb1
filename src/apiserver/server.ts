// The API server as one long-running component: opens storage, fills the watch cache, ensures
// the cluster CA, tokens and initial namespaces, serves HTTPS, and once ready writes
// DATA_DIR/admin.kubeconfig. `start(signal)` runs it until the signal aborts; `ready` resolves
// with the address it listens on.
import { setMaxListeners } from 'node:events';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { allKinds } from '../api/kinds.js';
import { openBackend, type Backend } from '../storage/index.js';
import { ensurePki } from './pki.js';
import { AuthenticatorChain, ensureTokens, StaticTokenAuthenticator, type Tokens, type UserInfo } from './auth/tokens.js';
import { ensureSigningKey, ServiceAccountTokens } from './auth/serviceaccount/index.js';
import { writeKubeconfig } from './auth/kubeconfig.js';
import { WatchCache } from './cache/watch-cache.js';
import { Registry } from './registry/registry.js';
import { Discovery } from './http/discovery.js';
import { authenticate, createRouter } from './http/router.js';
import { issueKubeletClientCert, StreamingProxy, STREAMING_SUBRESOURCES } from './proxy/index.js';
import { OpenApiDocs } from './openapi/index.js';
import { ensureNamespaces } from './lifecycle/namespaces.js';
import { ensurePriorityClasses } from './lifecycle/priority-classes.js';
import { ensureRbacBootstrapPolicy } from './lifecycle/rbac-bootstrap.js';
import { authorizeRequest, authorizeStreamUpgrade, rbacAuthorization } from './auth/authorizer/index.js';
import { startPodReaper } from './lifecycle/pod-reaper.js';
import { DEFAULT_COMPACTION_INTERVAL_MS, HistoryCompactor } from './lifecycle/history-compactor.js';
import { ensureKubernetesService } from './lifecycle/kubernetes-service.js';
import { defaultAdvertiseAddress, KubernetesEndpointsReconciler } from './lifecycle/kubernetes-endpoints.js';

export const KUBERNETES_VERSION = { major: '1', minor: '32', gitVersion: 'v1.32.0+tugboat' };

export interface ApiServerOptions {
  dataDir: string;
  /** host:port; port 0 picks a free one. */
  listen: string;
  /** `sqlite` (default: DATA_DIR/state.db), `etcd://h:p[,h:p]`, `memory://` or a DSN openBackend accepts. */
  datastore: string;
  serviceCIDR?: string;
  /** The address pods reach this server on (the `kubernetes` Service's endpoint); default from `listen`. */
  advertiseAddress?: string;
  bookmarkIntervalMs?: number;
  /** How often the datastore's history is compacted (history-compactor.ts); 0 never. Default 5 minutes. */
  compactionIntervalMs?: number;
  log?(msg: string): void;
}

export interface ApiServerInfo {
  url: string;
  /** The registry, for components in this process that skip HTTP (the local client). */
  registry: Registry;
  port: number;
  kubeconfigPath: string;
  tokens: Tokens;
  caCertPem: string;
}

function splitHostPort(listen: string): { host: string; port: number } {
  const m = /^\[?([^\]]*)\]?:(\d+)$/.exec(listen);
  if (!m) throw new Error(`--listen must be HOST:PORT, got ${listen}`);
  return { host: m[1] || '0.0.0.0', port: Number(m[2]) };
}

export class ApiServer {
  private resolveReady!: (info: ApiServerInfo) => void;
  private rejectReady!: (err: unknown) => void;
  readonly ready: Promise<ApiServerInfo> = new Promise((res, rej) => {
    this.resolveReady = res;
    this.rejectReady = rej;
  });
  private isReady = false;

  constructor(private readonly opts: ApiServerOptions) {
    this.ready.catch(() => undefined);
  }

  private dsn(): string {
    const d = this.opts.datastore;
    return d === 'sqlite' || d === '' ? `sqlite://${join(this.opts.dataDir, 'state.db')}` : d;
  }

  async start(outer: AbortSignal): Promise<void> {
    const log = this.opts.log ?? ((): void => undefined);
    // Everything started below stops with this signal, also when start-up itself fails.
    const inner = new AbortController();
    const signal = inner.signal;
    // Every open watch listens on this signal to end with the server: unbounded by design.
    setMaxListeners(0, signal);
    const onOuterAbort = (): void => inner.abort();
    outer.addEventListener('abort', onOuterAbort, { once: true });
    if (outer.aborted) inner.abort();
    let backend: Backend | undefined;
    let server: Server | undefined;
    let streaming: StreamingProxy | undefined;
    try {
      await mkdir(this.opts.dataDir, { recursive: true, mode: 0o700 });
      const { host, port } = splitHostPort(this.opts.listen);
      const extraNames = host === '0.0.0.0' || host === '::' ? [] : [host];
      const pki = await ensurePki(join(this.opts.dataDir, 'tls'), { extraNames });
      const tokens = await ensureTokens(this.opts.dataDir, pki.caCertPem);
      // On first start this generates an RSA key; let that overlap opening storage.
      const saKey = ensureSigningKey(join(this.opts.dataDir, 'tls'));
      saKey.catch(() => undefined); // awaited below; this only keeps an early failure elsewhere from leaving it unhandled
      backend = await openBackend(this.dsn());
      const cache = new WatchCache(backend, allKinds, { onRestart: (e) => log(`watch cache restarting: ${e.message}`) });
      await cache.start(signal);
      const serviceCIDR = this.opts.serviceCIDR ?? '10.43.0.0/16';
      const authz = rbacAuthorization(cache);
      const registry = new Registry(allKinds, backend, cache, { serviceCIDR, rbacGuard: authz.guard });
      await ensureNamespaces(registry);
      await ensurePriorityClasses(registry);
      await ensureRbacBootstrapPolicy(registry);
      const advertise = { host: host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host, port };
      const staticTokens = new StaticTokenAuthenticator(tokens);
      const serviceAccountTokens = await ServiceAccountTokens.open({ key: saKey, registry });
      const authenticator = new AuthenticatorChain([staticTokens, serviceAccountTokens.authenticator]);
      const advertisedUrl = (): string => `https://${advertise.host.includes(':') ? `[${advertise.host}]` : advertise.host}:${advertise.port}`;
      // The upgrades bypass the router, so they are authorized (get and create) where they authenticate.
      const authenticateUpgrade = (req: IncomingMessage): UserInfo | undefined => {
        const user = authenticate(req, authenticator);
        if (!user) return undefined;
        return authorizeStreamUpgrade(authz.authorizer, user, { method: req.method ?? 'GET', url: new URL(req.url ?? '/', 'https://tugboat.local'), headers: req.headers }).user;
      };
      const proxy = new StreamingProxy({ registry, authenticate: authenticateUpgrade, clientCert: await issueKubeletClientCert(pki), log });
      streaming = proxy;
      const router = createRouter({
        registry,
        discovery: new Discovery(allKinds, () => `${advertise.host}:${advertise.port}`),
        openapi: new OpenApiDocs(allKinds, { version: KUBERNETES_VERSION.gitVersion }),
        authenticator,
        authenticationApi: serviceAccountTokens.httpApi({ others: staticTokens, serverUrl: advertisedUrl }),
        authorize: (user, req, url) => authorizeRequest(authz.authorizer, user, { method: req.method ?? 'GET', url, headers: req.headers }).user,
        authorizationApi: authz.api,
        version: { ...KUBERNETES_VERSION, gitCommit: 'tugboat', gitTreeState: 'clean', buildDate: '2026-11-22T00:00:00Z', goVersion: `node${process.versions.node}`, compiler: 'tsc', platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}` },
        ready: () => this.isReady,
        env: {
          revision: () => cache.revision,
          onCacheReset: (fn) => cache.onReset(fn),
          bookmarkIntervalMs: this.opts.bookmarkIntervalMs ?? 30_000,
          signal,
          serviceAccountTokens,
          streaming: { subresources: STREAMING_SUBRESOURCES, handleRequest: (req, res, t) => proxy.handleRequest(req, res, t) },
        },
      });
      // The CA rides along in the chain so a joining agent can pin it against its token's hash.
      server = createServer({ cert: `${pki.serverCertPem.trimEnd()}\n${pki.caCertPem}`, key: pki.serverKeyPem, requestTimeout: 0, keepAliveTimeout: 65_000 }, router);
      const srv = server;
      // exec, attach and portforward arrive as upgrades (WebSocket or SPDY) and bypass the router.
      srv.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => proxy.handleUpgrade(req, socket, head));
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen(port, host, () => resolve());
      });
      const actualPort = (srv.address() as AddressInfo).port;
      advertise.port = actualPort;
      await ensureKubernetesService(registry, { port: actualPort, serviceCIDR });
      const endpointAddress = this.opts.advertiseAddress ?? defaultAdvertiseAddress(host);
      if (endpointAddress.startsWith('127.')) log(`the kubernetes Service gets no endpoint from this server: ${endpointAddress} is a loopback address pods cannot reach (listen on 0.0.0.0 or pass --advertise-address)`);
      await new KubernetesEndpointsReconciler(registry, { ip: endpointAddress, port: actualPort }).start(signal, {
        intervalMs: 10_000,
        onError: (e) => log(`kubernetes service endpoints: ${String(e)}`),
      });
      startPodReaper(registry, signal, { intervalMs: 2000, onError: (e) => log(`pod reaper: ${String(e)}`) });
      new HistoryCompactor(backend).start(signal, { intervalMs: this.opts.compactionIntervalMs ?? DEFAULT_COMPACTION_INTERVAL_MS, onError: (e) => log(`compacting history: ${String(e)}`) });
      const url = `https://${advertise.host.includes(':') ? `[${advertise.host}]` : advertise.host}:${actualPort}`;
      const kubeconfigPath = join(this.opts.dataDir, 'admin.kubeconfig');
      await writeKubeconfig(kubeconfigPath, { server: url, caCertPem: pki.caCertPem, token: tokens.admin, user: 'admin' });
      this.isReady = true;
      log(`API server ready at ${url}; kubeconfig ${kubeconfigPath}`);
      this.resolveReady({ url, registry, port: actualPort, kubeconfigPath, tokens, caCertPem: pki.caCertPem });
      await new Promise<void>((resolve) => {
        if (signal.aborted) resolve();
        else signal.addEventListener('abort', () => resolve(), { once: true });
      });
    } catch (err) {
      this.rejectReady(err);
      throw err;
    } finally {
      this.isReady = false;
      outer.removeEventListener('abort', onOuterAbort);
      inner.abort();
      if (server) {
        const s = server;
        s.closeAllConnections();
        await new Promise<void>((resolve) => s.close(() => resolve()));
      }
      streaming?.close();
      await backend?.close();
    }
  }
}
