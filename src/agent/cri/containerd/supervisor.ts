// Starts and stops the agent's own containerd: writes its config (config.ts), spawns
// `containerd --config` with its log in the data dir, and resolves once the CRI answers Version —
// readiness by asking, not by sleeping. containerd runs in its own process group, so a terminal's
// Ctrl-C reaches only the agent, which then stops containerd by PID (SIGTERM, then SIGKILL).
// Containers keep running under their shims while containerd is down, and a new containerd with
// the same root and state re-adopts them. A containerd left over by an agent that was killed is
// found through the pid file and stopped before a new one starts.
import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { CriConnection } from './grpc-client.js';
import { containerdPaths, renderContainerdConfig, type ContainerdPaths } from './config.js';

export const CONTAINERD_BINARY = '/usr/bin/containerd';
export const DEFAULT_CNI_BIN_DIR = '/usr/lib/cni';

export interface StartContainerdOptions {
  /** containerd's own directory: config, root, state, socket, runc state, log. */
  dataDir: string;
  cniConfDir: string;
  cniBinDir?: string;
  sandboxImage: string;
  binary?: string;
  /** How long to wait for the CRI to answer (default 30 s). */
  startTimeoutMs?: number;
  log?: (msg: string) => void;
}

export interface ContainerdProcess {
  paths: ContainerdPaths;
  /** `unix:///…/containerd.sock`, for gRPC. */
  endpoint: string;
  pid: number;
  /** Milliseconds from spawn to the first CRI Version answer. */
  startMs: number;
  /** Settles when containerd exits, with its exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs` (default 10 s); resolves once it has exited. */
  stop(opts?: { graceMs?: number }): Promise<void>;
}

// containerd's log only grows; keep one previous generation once it passes this size.
const MAX_LOG_BYTES = 32 * 1024 * 1024;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (alive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

/** Stops a containerd a previous agent started with this config and never stopped. */
async function stopLeftover(paths: ContainerdPaths, log: (m: string) => void): Promise<void> {
  const pid = Number((await readFile(paths.pidFile, 'utf8').catch(() => '')).trim());
  if (!Number.isInteger(pid) || pid <= 1) return;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (!cmdline.split('\0').includes(paths.config)) return;
  log(`stopping leftover containerd (pid ${pid})`);
  process.kill(pid, 'SIGTERM');
  if (!(await waitGone(pid, 10_000))) {
    process.kill(pid, 'SIGKILL');
    await waitGone(pid, 5_000);
  }
}

async function logTail(file: string): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-5).join('\n');
}

export async function startContainerd(o: StartContainerdOptions): Promise<ContainerdProcess> {
  const log = o.log ?? (() => undefined);
  const paths = containerdPaths(o.dataDir);
  await Promise.all([mkdir(paths.dataDir, { recursive: true, mode: 0o711 }), mkdir(o.cniConfDir, { recursive: true }), mkdir(paths.registryHosts, { recursive: true })]);
  await stopLeftover(paths, log);
  await writeFile(paths.config, renderContainerdConfig({ paths, cniConfDir: o.cniConfDir, cniBinDir: o.cniBinDir ?? DEFAULT_CNI_BIN_DIR, sandboxImage: o.sandboxImage }));
  // A socket left by a killed containerd would make us talk to nobody until the new one binds.
  await rm(paths.address, { force: true });

  if (((await stat(paths.logFile).catch(() => undefined))?.size ?? 0) > MAX_LOG_BYTES) await rename(paths.logFile, `${paths.logFile}.1`);

  const started = performance.now();
  const out = openSync(paths.logFile, 'a');
  const child = spawn(o.binary ?? CONTAINERD_BINARY, ['--config', paths.config], { stdio: ['ignore', out, out], detached: true });
  closeSync(out);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(-1));
  });
  let spawnError: Error | undefined;
  child.once('error', (err) => (spawnError = err));
  let gone = false;
  void exited.then(() => (gone = true));
  const pid = child.pid ?? 0;
  if (pid) await writeFile(paths.pidFile, `${pid}\n`);

  const stop = async (opts: { graceMs?: number } = {}): Promise<void> => {
    if (!gone && pid) {
      process.kill(pid, 'SIGTERM');
      const timer = setTimeout(() => {
        if (gone) return;
        log(`containerd (pid ${pid}) did not stop in time; killing it`);
        process.kill(pid, 'SIGKILL');
      }, opts.graceMs ?? 10_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(paths.pidFile, { force: true });
  };

  const endpoint = `unix://${paths.address}`;
  const deadline = Date.now() + (o.startTimeoutMs ?? 30_000);
  const fail = async (why: string): Promise<never> => {
    await stop({ graceMs: 2_000 });
    throw new Error(`containerd did not start: ${why}\n${await logTail(paths.logFile)}`);
  };
  // Wait for the socket before dialling, so gRPC does not fall into its reconnect back-off.
  while (!existsSync(paths.address)) {
    if (spawnError) return fail(spawnError.message);
    if (gone) return fail(`it exited (see ${paths.logFile})`);
    if (Date.now() > deadline) return fail('timed out waiting for its socket');
    await sleep(2);
  }
  const conn = new CriConnection(endpoint);
  try {
    for (;;) {
      try {
        await conn.call('Version', {}, { timeoutMs: 2_000 });
        break;
      } catch (err) {
        if (gone) return await fail(`it exited (see ${paths.logFile})`);
        if (Date.now() > deadline) return await fail(err instanceof Error ? err.message : String(err));
        await sleep(5);
      }
    }
  } finally {
    conn.close();
  }
  const startMs = performance.now() - started;
  log(`containerd ready in ${startMs.toFixed(0)} ms (pid ${pid}, ${endpoint})`);
  return { paths, endpoint, pid, startMs, exited, stop };
}
