// The default data plane: Debian's nginx, driven the way ingress-nginx drives it. Each apply
// builds the route table (TLS Secrets become PEM files), rewrites the endpoints file the Lua
// balancer reads (endpoint changes: live within ~100 ms, no reload), and re-renders nginx.conf;
// only when that text changed is nginx reloaded — `nginx -t` first, and a config nginx rejects
// is logged and left out while the running one keeps serving. Reloads are spaced at least
// RELOAD_GAP_MS apart so a burst of Ingress edits costs one or two reloads, not one each.
// Everything lives in the plane's directory: nginx.conf, endpoints, lua/, certs/ (0700),
// temp/, the pid file and the 503 socket.
import { chownSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BoundPorts, DataPlane, DataPlaneOptions, RouteSource } from '../data-plane.js';
import { RouteTable } from '../route-table.js';
import { defaultCertificate } from '../tls.js';
import { CertFiles } from './cert-files.js';
import { ExternalNames } from './external-names.js';
import { MODULES_DIR, renderConf, type ConfPaths } from './conf.js';
import { LUA_MODULE, LUA_SOURCE, endpointsFile } from './lua.js';
import { NginxProcess, testConfig } from './process.js';
import { findWorkerUser, grantWorkerAccess, unsearchableParent, type WorkerUser } from './worker-user.js';

export const NGINX_BIN = '/usr/sbin/nginx';
const LUA_MODULE_FILE = join(MODULES_DIR, 'ngx_http_lua_module.so');
const RELOAD_GAP_MS = 250;

export interface NginxPlaneOptions extends DataPlaneOptions {
  dir: string;
  /** The nginx binary (default /usr/sbin/nginx). */
  bin?: string;
}

/** Why nginx cannot be the data plane here, or undefined when it can. */
export function nginxMissing(bin = NGINX_BIN): string | undefined {
  const missing = [...(existsSync(bin) ? [] : ['nginx']), ...(existsSync(LUA_MODULE_FILE) ? [] : ['libnginx-mod-http-lua'])];
  if (missing.length === 0) return undefined;
  return `the nginx ingress data plane needs Debian's ${missing.join(' and ')} (apt-get install ${missing.join(' ')}; tug up installs them), or run the agent with --ingress-data-plane node`;
}

function writeAtomic(file: string, text: string, o: { mode?: number; gid?: number } = {}): void {
  writeFileSync(`${file}.tmp`, text, { mode: o.mode ?? 0o600 });
  if (o.gid !== undefined) chownSync(`${file}.tmp`, 0, o.gid);
  renameSync(`${file}.tmp`, file);
}

export class NginxDataPlane implements DataPlane {
  private readonly bin: string;
  private readonly paths: ConfPaths;
  private readonly confFile: string;
  private readonly certs: CertFiles;
  private readonly nginx: NginxProcess;
  private readonly externalNames: ExternalNames;
  private table: RouteTable<string> = RouteTable.empty();
  private endpoints = '';
  /** The config nginx runs (or will run at start), and the last one it rejected. */
  private running = '';
  private rejected = '';
  private started = false;
  private lastReload = 0;
  private reloadTimer: NodeJS.Timeout | undefined;
  private reloading: Promise<void> = Promise.resolve();
  /** Who nginx's workers run as (decided at start; undefined when the agent is not root). */
  private worker: WorkerUser | 'root' | undefined;

  constructor(private readonly o: NginxPlaneOptions) {
    this.bin = o.bin ?? NGINX_BIN;
    const dir = o.dir;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const sub of ['lua', 'temp']) mkdirSync(join(dir, sub), { recursive: true });
    this.paths = { dir, defaultCert: join(dir, 'certs', 'default.pem'), endpoints: join(dir, 'endpoints'), emptySocket: join(dir, 'empty.sock'), failedSocket: join(dir, 'failed.sock'), pid: join(dir, 'nginx.pid') };
    this.confFile = join(dir, 'nginx.conf');
    this.certs = new CertFiles(join(dir, 'certs'), o.log);
    const rewrite = (): void => {
      try {
        this.writeEndpoints();
      } catch (err) {
        o.log(`ingress: writing ${this.paths.endpoints}: ${err instanceof Error ? err.message : String(err)}`);
      }
    };
    this.externalNames = new ExternalNames({ ...(o.nameservers ? { nameservers: o.nameservers } : {}), log: o.log, onChange: rewrite });
    this.nginx = new NginxProcess({ bin: this.bin, dir, conf: this.confFile, pidFile: this.paths.pid, sockets: [this.paths.emptySocket, this.paths.failedSocket], log: o.log });
  }

  private render(): { text: string; problems: string[] } {
    const ipv6 = existsSync('/proc/net/if_inet6') && readFileSync('/proc/net/if_inet6', 'utf8').trim() !== '';
    return renderConf(this.table, {
      paths: this.paths,
      ...(this.o.http ? { http: this.o.http } : {}),
      ...(this.o.https ? { https: this.o.https } : {}),
      ipv6,
      // Without a `user` directive nginx as root would pick `nobody` without opening anything to it.
      ...(this.worker ? { user: this.worker === 'root' ? 'root' : this.worker.name } : {}),
    });
  }

  apply(src: RouteSource): RouteTable<unknown> {
    const table = RouteTable.build<string>({ ...src, tlsContext: (ns, name) => this.certs.fileFor(src.secret(ns, name)) });
    this.certs.retain(table.secrets);
    this.table = table;
    this.externalNames.use(table.pools().flatMap((p) => p.endpoints.map((e) => e.host)));
    this.writeEndpoints();
    const { text, problems } = this.render();
    table.problems.push(...problems);
    if (this.started && text !== this.running && text !== this.rejected) this.scheduleReload();
    return table;
  }

  /** Rewrites the endpoints file the balancer reads, when its content changed. */
  private writeEndpoints(): void {
    const endpoints = endpointsFile(this.table.pools(), (host) => this.externalNames.addresses(host));
    if (endpoints === this.endpoints) return;
    writeAtomic(this.paths.endpoints, endpoints, this.workerFileMode());
    this.endpoints = endpoints;
  }

  /** Mode and group of the files workers read. */
  private workerFileMode(): { mode: number; gid?: number } {
    return typeof this.worker === 'object' ? { mode: 0o640, gid: this.worker.gid } : { mode: 0o600 };
  }

  /** As root: the workers' user, with the plane directory opened to it (worker-user.ts). */
  private chooseWorkerUser(): void {
    if (process.getuid?.() !== 0) return;
    const user = findWorkerUser();
    const closed = user ? unsearchableParent(this.paths.dir) : undefined;
    if (!user || closed) {
      this.worker = 'root';
      this.o.log(`ingress: nginx workers run as root: ${user ? `${closed} is not searchable by ${user.name}` : 'no unprivileged user (tugboat-ingress, www-data, nobody) exists'}`);
      return;
    }
    this.worker = user;
    const dir = this.paths.dir;
    grantWorkerAccess({ dir, user, readable: [join(dir, 'lua'), join(dir, 'lua', `${LUA_MODULE}.lua`), this.paths.endpoints], writableDirs: [join(dir, 'temp')] });
  }

  private scheduleReload(): void {
    if (this.reloadTimer) return;
    const wait = Math.max(0, this.lastReload + RELOAD_GAP_MS - Date.now());
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = undefined;
      this.reloading = this.reloading.then(() => this.reload()).catch((err: unknown) => this.o.log(`ingress: nginx reload: ${err instanceof Error ? err.message : String(err)}`));
    }, wait);
  }

  /** Tests the current table's config and, if nginx accepts it, makes it the running one. */
  private async reload(): Promise<void> {
    const { text } = this.render();
    if (text === this.running || text === this.rejected) return;
    const candidate = `${this.confFile}.new`;
    writeAtomic(candidate, text);
    const complaint = await testConfig({ bin: this.bin, dir: this.paths.dir, conf: candidate });
    if (complaint) {
      this.rejected = text;
      this.o.log(`ingress: nginx rejected the new config, still serving the previous one: ${complaint}`);
      return;
    }
    renameSync(candidate, this.confFile);
    this.running = text;
    this.lastReload = Date.now();
    if (!this.nginx.reload()) this.o.log('ingress: nginx is not running; the new config applies when it restarts');
  }

  async start(): Promise<BoundPorts> {
    const missing = nginxMissing(this.bin);
    if (missing) throw new Error(missing);
    for (const l of [this.o.http, this.o.https]) if (l?.port === 0) throw new Error('the nginx ingress data plane needs fixed ports (port 0 is not supported)');
    writeAtomic(join(this.paths.dir, 'lua', `${LUA_MODULE}.lua`), LUA_SOURCE, { mode: 0o644 });
    if (!existsSync(this.paths.defaultCert)) {
      // For clients naming no host we serve (made once, kept across restarts).
      const cert = await defaultCertificate();
      writeAtomic(this.paths.defaultCert, `${cert.certPem.trimEnd()}\n${cert.keyPem}`);
    }
    writeAtomic(this.paths.endpoints, this.endpoints || endpointsFile([]));
    this.chooseWorkerUser();
    const { text } = this.render();
    const candidate = `${this.confFile}.new`;
    writeAtomic(candidate, text);
    const complaint = await testConfig({ bin: this.bin, dir: this.paths.dir, conf: candidate });
    if (complaint) throw new Error(`nginx rejected its config: ${complaint}`);
    renameSync(candidate, this.confFile);
    this.running = text;
    await this.nginx.start();
    this.started = true;
    this.lastReload = Date.now();
    // A table applied while nginx was starting.
    if (this.render().text !== this.running) this.scheduleReload();
    return { ...(this.o.http ? { http: this.o.http.port } : {}), ...(this.o.https ? { https: this.o.https.port } : {}) };
  }

  async stop(): Promise<void> {
    this.started = false;
    this.externalNames.stop();
    clearTimeout(this.reloadTimer);
    await this.reloading;
    await this.nginx.stop();
  }
}
