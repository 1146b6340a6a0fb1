// Starts a `tug server` for tests that must not depend on the state of dist/: the normal
// startTugServer (bin/tug.js, which prefers the compiled build) first, and when that process
// cannot start — dist/ half rebuilt while several people work in the tree — the same command
// from the TypeScript sources through tsx. Stopped by its own PID like the normal helper.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startTugServer, type TugServer } from '../support/tug-server.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const exists = (p: string): Promise<boolean> => stat(p).then(() => true, () => false);

function readyz(url: string, ca: string): Promise<boolean> {
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

async function startFromSource(): Promise<TugServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'tug-server-src-'));
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cmd', 'main.ts'), 'server', '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async (o: { kill?: boolean } = {}): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(o.kill ? 'SIGKILL' : 'SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(t);
  };
  const url = `https://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  let ca = '';
  for (;;) {
    if (child.exitCode !== null) throw new Error(`tug server (sources) exited with ${child.exitCode}:\n${stderr}`);
    if (Date.now() > deadline) {
      await stop({ kill: true });
      throw new Error(`tug server (sources) did not become ready:\n${stderr}`);
    }
    if (!ca && (await exists(join(dataDir, 'tls', 'ca.crt')))) ca = await readFile(join(dataDir, 'tls', 'ca.crt'), 'utf8');
    if (ca && (await readyz(url, ca)) && (await exists(join(dataDir, 'admin.kubeconfig')))) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const token = (await readFile(join(dataDir, 'admin-token'), 'utf8')).trim();
  return {
    url,
    port,
    dataDir,
    kubeconfig: join(dataDir, 'admin.kubeconfig'),
    token,
    caCertPem: ca,
    pid: child.pid ?? 0,
    logs: () => stderr,
    stop,
    cleanup: async () => {
      await stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function startTugServerAnyBuild(): Promise<TugServer> {
  try {
    return await startTugServer();
  } catch {
    return startFromSource();
  }
}
