// Test support: a real OCI distribution registry — Debian's `docker-registry` — started on a free
// loopback port with filesystem storage in its own temporary directory, stopped by its PID. Tests
// push the project's test image into it and pull it through containerd's CRI.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { busyboxImageDefinition } from './busybox-image.js';
import { buildImage } from './docker-archive.js';
import { pushImage } from './registry-push.js';

export const DOCKER_REGISTRY_BINARY = '/usr/bin/docker-registry';

export interface TestRegistry {
  /** `127.0.0.1:PORT`, the host part of image names. */
  host: string;
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export async function startTestRegistry(opts: { binary?: string; timeoutMs?: number } = {}): Promise<TestRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'tugboat-registry-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const config = join(dir, 'config.yml');
  await writeFile(
    config,
    ['version: 0.1', 'log:', '  level: warn', 'storage:', '  filesystem:', `    rootdirectory: ${join(dir, 'data')}`, 'http:', `  addr: ${host}`, ''].join('\n'),
  );
  const child = spawn(opts.binary ?? DOCKER_REGISTRY_BINARY, ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  let exited = false;
  const gone = new Promise<void>((r) => child.once('exit', () => ((exited = true), r())));
  const stop = async (): Promise<void> => {
    if (!exited && child.pid) process.kill(child.pid, 'SIGTERM');
    await gone;
    await rm(dir, { recursive: true, force: true });
  };
  const url = `http://${host}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  for (;;) {
    const ok = await fetch(`${url}/v2/`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    if (exited || Date.now() > deadline) {
      await stop();
      throw new Error(`docker-registry did not start: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return { host, url, pid: child.pid ?? 0, stop };
}

/** The file pushTestImage adds on top of the busybox test image, so a pulled copy is recognisable. */
export const PULLED_MARKER = '/etc/tugboat-pulled';

/**
 * Pushes the busybox test image plus one layer holding PULLED_MARKER (so its id differs from the
 * imported test image and a pull really fetches it); returns the full image name.
 */
export async function pushTestImage(reg: TestRegistry, o: { repository?: string; tag?: string; marker?: string; auth?: { username: string; password: string } } = {}): Promise<string> {
  const def = await busyboxImageDefinition();
  const repository = o.repository ?? 'tugboat/busybox';
  const tag = o.tag ?? 'latest';
  const marker = o.marker ?? `pulled from ${reg.host}/${repository}:${tag}\n`;
  def.layers.push([{ type: 'file', path: PULLED_MARKER.slice(1), data: Buffer.from(marker) }]);
  def.repoTags = [`${reg.host}/${repository}:${tag}`];
  await pushImage({ registryUrl: reg.url, repository, tag, image: buildImage(def), ...(o.auth ? { auth: o.auth } : {}) });
  return `${reg.host}/${repository}:${tag}`;
}
