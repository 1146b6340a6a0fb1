// The fallback data plane (`--ingress-data-plane node`): Node's own http/https servers in the
// agent process, proxying with proxy.ts and upgrade.ts. Each apply builds a new immutable route
// table and swaps it in by one assignment, so an endpoint change is live at once and requests
// already routed keep their backend. It needs nothing installed, but costs about five times
// nginx's CPU per request (docs/benchmarks.md), which is why nginx is the default.
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import type { SecureContext } from 'node:tls';
import type { BoundPorts, DataPlane, DataPlaneOptions, RouteSource } from './data-plane.js';
import { listen, tuneServer } from './listen.js';
import { HttpProxy, type Listener } from './proxy.js';
import { RouteTable } from './route-table.js';
import { CertStore, defaultCertificate } from './tls.js';

const DRAIN_MS = 5_000;

export class NodeDataPlane implements DataPlane {
  private table: RouteTable<SecureContext> = RouteTable.empty();
  private readonly proxy: HttpProxy;
  private readonly certs: CertStore;
  private readonly servers: (HttpServer | HttpsServer)[] = [];
  private readonly tunnels = new Set<Duplex>();

  constructor(private readonly o: DataPlaneOptions) {
    this.proxy = new HttpProxy({ table: () => this.table, log: o.log });
    this.certs = new CertStore(o.log);
  }

  apply(src: RouteSource): RouteTable<unknown> {
    const table = RouteTable.build<SecureContext>({ ...src, tlsContext: (ns, name) => this.certs.contextFor(src.secret(ns, name)) });
    this.certs.retain(table.secrets);
    this.table = table;
    return table;
  }

  private serve(server: HttpServer | HttpsServer, l: Listener): void {
    tuneServer(server);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.proxy.handle(req, res, l));
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.tunnels.add(socket);
      socket.once('close', () => this.tunnels.delete(socket));
      this.proxy.upgrade(req, socket, head, l);
    });
    this.servers.push(server);
  }

  async start(): Promise<BoundPorts> {
    const ports: BoundPorts = {};
    if (this.o.http) {
      const l: Listener = { scheme: 'http', port: this.o.http.port };
      const server = createHttpServer({ noDelay: true });
      this.serve(server, l);
      l.port = ports.http = await listen(server, this.o.http);
    }
    if (this.o.https) {
      const cert = await defaultCertificate();
      const l: Listener = { scheme: 'https', port: this.o.https.port };
      const server = createHttpsServer({ cert: cert.certPem, key: cert.keyPem, noDelay: true, SNICallback: (name, cb) => cb(null, this.table.tlsFor(name)) });
      this.serve(server, l);
      l.port = ports.https = await listen(server, this.o.https);
    }
    return ports;
  }

  /** Stops accepting, lets requests in flight finish for a few seconds, then closes everything. */
  async stop(): Promise<void> {
    const closed = this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
    for (const s of this.servers) s.closeIdleConnections();
    for (const t of this.tunnels) t.destroy();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(closed), new Promise<void>((resolve) => (timer = setTimeout(resolve, DRAIN_MS)))]);
    clearTimeout(timer);
    for (const s of this.servers) s.closeAllConnections();
    this.proxy.close();
  }
}
