// Starts a throwaway single-member etcd (Debian's /usr/bin/etcd) for tests: free loopback ports,
// a data directory under the system temp dir, readiness by polling its /health endpoint, and a
// stop() that ends exactly the process it started (by PID) and removes the data directory. Tests
// that need etcd (storage conformance, durability, HA) share this launcher.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RunningEtcd {
  /** Client URL, e.g. http://127.0.0.1:40123 */
  endpoint: string;
  pid: number;
  stop(): Promise<void>;
}

export interface StartEtcdOptions {
  /** Path of the etcd binary; default /usr/bin/etcd. */
  binary?: string;
  /** How long to wait for the member to answer; default 30 s. */
  readyTimeoutMs?: number;
}

const ATTEMPTS = 3;

/** Starts etcd; retries with new ports if another process grabbed the ones picked. */
export async function startEtcd(opts: StartEtcdOptions = {}): Promise<RunningEtcd> {
  let lastError: unknown;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    try {
      return await startOnce(opts);
    } catch (err) {
      lastError = err;
    }
  }
  throw new Error(`etcd did not start after ${ATTEMPTS} attempts`, { cause: lastError });
}

async function startOnce(opts: StartEtcdOptions): Promise<RunningEtcd> {
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const dataDir = mkdtempSync(join(tmpdir(), 'tug-etcd-'));
  const client = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const args = [
    '--name=tug-test',
    `--data-dir=${dataDir}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=tug-test=${peer}`,
    '--initial-cluster-state=new',
    '--logger=zap',
    '--log-outputs=stderr',
    '--log-level=error',
  ];
  // etcd reads ETCD_* variables as flags; the caller's environment must not reconfigure it.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('ETCD')));
  const child = spawn(opts.binary ?? '/usr/bin/etcd', args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-8192);
  });
  let spawnError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (err) => {
      spawnError = err;
      resolve();
    });
  });
  // If the test process dies without running its hooks, do not leave etcd behind.
  const killOnExit = (): void => {
    if (!exitReason(child) && child.pid !== undefined) signal(child.pid, 'SIGKILL');
  };
  process.once('exit', killOnExit);

  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    await stopChild(child, exited);
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await waitHealthy(client, () => spawnError ?? exitReason(child), opts.readyTimeoutMs ?? 30_000);
  } catch (err) {
    await stop();
    throw new Error(`etcd failed to start: ${String(err)}\n${stderr}`, { cause: err });
  }
  if (child.pid === undefined) throw new Error('etcd has no pid');
  return { endpoint: client, pid: child.pid, stop };
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (exitReason(child) || child.pid === undefined) return;
  signal(child.pid, 'SIGTERM');
  const timer = new AbortController();
  const timeout = sleep(10_000, 'timeout' as const, { signal: timer.signal }).catch(() => 'exited' as const);
  const outcome = await Promise.race([exited.then(() => 'exited' as const), timeout]);
  timer.abort();
  if (outcome === 'timeout') {
    signal(child.pid, 'SIGKILL');
    await exited;
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}

function exitReason(child: ChildProcess): Error | undefined {
  if (child.exitCode === null && child.signalCode === null) return undefined;
  return new Error(`etcd exited (code ${String(child.exitCode)}, signal ${String(child.signalCode)})`);
}

async function waitHealthy(client: string, failed: () => Error | undefined, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const failure = failed();
    if (failure) throw failure;
    try {
      const res = await fetch(`${client}/health`, { signal: AbortSignal.timeout(1000) });
      const body: unknown = await res.json();
      if (res.ok && typeof body === 'object' && body !== null && (body as { health?: unknown }).health === 'true') {
        return;
      }
    } catch {
      // Not listening yet.
    }
    await sleep(50);
  }
  throw new Error(`etcd at ${client} not healthy after ${timeoutMs} ms`);
}

/** A port that was free a moment ago; etcd binding it may still race with others, hence retries. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
