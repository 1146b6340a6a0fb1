// Starts a real `tug server` process for tests: a temp data dir, a free loopback port, the
// chosen datastore; waits until /readyz answers and admin.kubeconfig is written, and stops the
// process by its own PID (SIGTERM, or SIGKILL when a test wants a crash).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'node:https';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TUG_BIN = join(ROOT, 'bin', 'tug.js');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface TugServer {
  url: string;
  port: number;
  dataDir: string;
  kubeconfig: string;
  token: string;
  caCertPem: string;
  pid: number;
  /** Everything the process wrote to stderr so far. */
  logs(): string;
  /** SIGTERM and wait; `kill` sends SIGKILL instead (a crash). */
  stop(opts?: { kill?: boolean }): Promise<void>;
  /** Stop, then remove the data dir. */
  cleanup(): Promise<void>;
}

export interface StartOptions {
  datastore?: string;
  dataDir?: string;
  port?: number;
  /** Loopback address to listen on (default 127.0.0.1); any of 127.0.0.0/8 works on Linux. */
  host?: string;
  extraArgs?: string[];
}

async function readyz(url: string, ca: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(`${url}/readyz`, { ca, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

const exists = (p: string): Promise<boolean> => stat(p).then(() => true, () => false);

export async function startTugServer(opts: StartOptions = {}): Promise<TugServer> {
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'tug-server-')));
  const port = opts.port ?? (await freePort());
  const host = opts.host ?? '127.0.0.1';
  const args = [TUG_BIN, 'server', '--data-dir', dataDir, '--listen', `${host}:${port}`, '--datastore', opts.datastore ?? 'sqlite', ...(opts.extraArgs ?? [])];
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `https://${host}:${port}`;
  const kubeconfig = join(dataDir, 'admin.kubeconfig');
  const deadline = Date.now() + 60_000;
  let ca = '';
  for (;;) {
    if (child.exitCode !== null) throw new Error(`tug server exited with ${child.exitCode}:\n${stderr}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`tug server did not become ready:\n${stderr}`);
    }
    if (!ca && (await exists(join(dataDir, 'tls', 'ca.crt')))) ca = await readFile(join(dataDir, 'tls', 'ca.crt'), 'utf8');
    if (ca && (await readyz(url, ca)) && (await exists(kubeconfig))) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const token = (await readFile(join(dataDir, 'admin-token'), 'utf8')).trim();
  const pid = child.pid ?? 0;
  const stop = async (o: { kill?: boolean } = {}): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(o.kill ? 'SIGKILL' : 'SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  return {
    url,
    port,
    dataDir,
    kubeconfig,
    token,
    caCertPem: ca,
    pid,
    logs: () => stderr,
    stop,
    cleanup: async () => {
      await stop();
      if (!opts.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
