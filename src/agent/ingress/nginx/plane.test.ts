// The nginx data plane with a real nginx on loopback, driven directly (no API server): endpoint
// changes reach the running workers without a reload; a config nginx rejects leaves the previous
// one serving; workers run as an unprivileged user (as root); an ExternalName backend is reached
// through the address its name resolves to; a master that dies is restarted and its orphaned workers are not left holding the
// port; a master left by an earlier run of the same directory is stopped at start; stop leaves no
// nginx process behind. nginx's `-t` is made to fail through a wrapper script around the real
// binary, which otherwise execs it unchanged.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Service } from '../../../api/core/v1/index.js';
import type { EndpointSlice } from '../../../api/discovery/v1/index.js';
import type { Ingress } from '../../../api/networking/v1/index.js';
import type { RouteSource } from '../data-plane.js';
import { NginxDataPlane, nginxMissing, NGINX_BIN } from './plane.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

function get(port: number, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { Host: host }, agent: false, timeout: 5_000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.end();
  });
}

const logs: string[] = [];

async function until<T>(fn: () => Promise<T | undefined>, what: string, ms = 5_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}\n${logs.slice(-8).join('\n')}`);
    await sleep(50);
  }
}

const children = (pid: number): number[] => {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
};
const alive = (pid: number): boolean => existsSync(`/proc/${pid}`) && !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));

/** Our Ingresses: each host routes `/` to the Service of the same name; endpoints from `eps`. */
function source(hosts: string[], eps: Record<string, number[]>): RouteSource {
  const ing: Ingress = {
    metadata: { name: 'i', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' },
    spec: { rules: hosts.map((h) => ({ host: h, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: h.split('.')[0] as string, port: { number: 80 } } } }] } })) },
  };
  return {
    ingresses: [ing],
    service: (ns, name) => ({ metadata: { namespace: ns, name }, spec: { ports: [{ name: 'http', port: 80 }] } }) as Service,
    slices: (_ns, name): EndpointSlice[] => [{ addressType: 'IPv4', endpoints: [{ addresses: ['127.0.0.1'] }], ports: [{ name: 'http', port: eps[name]?.[0] ?? 1 }] } as EndpointSlice],
    secret: () => undefined,
  };
}

describe('nginx data plane', { skip: nginxMissing(), timeout: 120_000 }, () => {
  let dir = '';
  let port = 0;
  let plane: NginxDataPlane;
  const backends: Server[] = [];
  const ports: Record<string, number> = {};
  const bin = (): string => join(dir, 'nginx-wrapper.sh');
  const reject = (): string => join(dir, 'reject-configs');
  const masterPid = (): number => Number(readFileSync(join(dir, 'plane', 'nginx.pid'), 'utf8').trim());

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tug-nginx-plane-'));
    // As an agent's data dir is (0755): searchable, so the workers can drop root.
    await chmod(dir, 0o755);
    await writeFile(bin(), `#!/bin/sh\nif [ "$1" = "-t" ] && [ -e "${reject()}" ]; then echo "config refused by the test" >&2; exit 1; fi\nexec ${NGINX_BIN} "$@"\n`, { mode: 0o755 });
    for (const name of ['one', 'two', 'b', 'echo']) {
      const s = createServer((req, res) => res.end(name === 'echo' ? `host=${req.headers.host ?? ''}` : name));
      await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
      backends.push(s);
      ports[name] = (s.address() as AddressInfo).port;
    }
    port = await freePort();
    plane = new NginxDataPlane({ dir: join(dir, 'plane'), bin: bin(), http: { host: '127.0.0.1', port }, log: (m) => logs.push(m) });
    plane.apply(source(['one.test'], { one: [ports.one as number] }));
    await plane.start();
  });

  after(async () => {
    await plane?.stop();
    for (const s of backends) await new Promise<void>((resolve) => s.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  it('applies endpoint changes to the running workers, without a reload', async () => {
    assert.deepEqual(await get(port, 'one.test'), { status: 200, body: 'one' });
    const workers = children(masterPid()).sort();
    plane.apply(source(['one.test'], { one: [ports.two as number] }));
    await until(async () => ((await get(port, 'one.test')).body === 'two' ? true : undefined), 'the new endpoint', 2_000);
    assert.deepEqual(children(masterPid()).sort(), workers, 'the same workers serve (no reload)');
    assert.equal((await get(port, 'nowhere.test')).status, 404);
  });

  it('runs its workers as an unprivileged user that still reads endpoints and reaches the 503 server', { skip: process.getuid?.() !== 0 && 'needs root' }, async () => {
    const uid = (pid: number): number => Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? -1);
    const workers = children(masterPid());
    assert.ok(workers.length > 0);
    assert.equal(uid(masterPid()), 0, 'the master stays root (ports, keys)');
    for (const w of workers) assert.notEqual(uid(w), 0, `worker ${w} runs as root`);
    assert.ok(!logs.some((l) => l.includes('workers run as root')), logs.join('\n'));
    // A pool without endpoints: the balancer sends it to the 503 server's unix socket.
    const src = source(['one.test', 'gone.test'], { one: [ports.one as number] });
    plane.apply({ ...src, slices: (ns, name) => (name === 'gone' ? [] : src.slices(ns, name)) });
    await until(async () => ((await get(port, 'gone.test')).status === 503 ? true : undefined), 'the 503 page', 3_000);
    assert.deepEqual(await get(port, 'one.test'), { status: 200, body: 'one' });
  });

  it('proxies to an ExternalName backend through the address its name resolves to, keeping the Host header', async () => {
    // `localhost` resolves through the host's resolver (hosts file) to 127.0.0.1: loopback only.
    const src = source(['one.test', 'ext.test'], { one: [ports.one as number] });
    const external: Service = { metadata: { namespace: 'default', name: 'ext' }, spec: { type: 'ExternalName', externalName: 'localhost', ports: [{ name: 'http', port: 80 }] } };
    const ing = src.ingresses[0] as Ingress;
    const rules = (ing.spec?.rules ?? []).map((r) => (r.host === 'ext.test' ? { host: r.host, http: { paths: [{ path: '/', pathType: 'Prefix' as const, backend: { service: { name: 'ext', port: { number: ports.echo as number } } } }] } } : r));
    plane.apply({ ...src, ingresses: [{ ...ing, spec: { rules } }], service: (ns, name) => (name === 'ext' ? external : src.service(ns, name)), slices: (ns, name) => (name === 'ext' ? [] : src.slices(ns, name)) });
    const answer = await until(async () => {
      const r = await get(port, 'ext.test');
      return r.status === 200 ? r : undefined;
    }, 'the ExternalName backend answering', 10_000);
    assert.deepEqual(answer, { status: 200, body: 'host=ext.test' });
  });

  it('keeps serving the previous config when nginx rejects a new one', async () => {
    await writeFile(reject(), '');
    plane.apply(source(['one.test', 'b.test'], { one: [ports.one as number], b: [ports.b as number] }));
    await until(async () => (logs.some((l) => l.includes('rejected the new config') && l.includes('refused by the test')) ? true : undefined), 'the rejection in the log');
    assert.equal((await get(port, 'one.test')).body, 'one', 'old routes, new endpoints');
    assert.equal((await get(port, 'b.test')).status, 404, 'the rejected host is not served');
    await unlink(reject());
    plane.apply(source(['one.test', 'b.test', 'c.test'], { one: [ports.one as number], b: [ports.b as number] }));
    await until(async () => ((await get(port, 'b.test')).body === 'b' ? true : undefined), 'the accepted config');
  });

  it('restarts a master that died, and its orphaned workers do not keep the port', async () => {
    const old = masterPid();
    const workers = children(old);
    assert.ok(workers.length > 0);
    process.kill(old, 'SIGKILL');
    await until(async () => (existsSync(join(dir, 'plane', 'nginx.pid')) && masterPid() !== old && (await get(port, 'one.test')).body === 'one' ? true : undefined), 'a new master serving', 20_000);
    assert.deepEqual(workers.filter(alive), [], 'the old workers are gone');
  });

  it('stops a master an earlier run left behind, and leaves nothing running when stopped', async () => {
    const confDir = join(dir, 'plane');
    await plane.stop();
    assert.equal((await get(port, 'one.test').catch(() => ({ status: -1 }))).status, -1, 'nothing listens after stop');
    // An nginx started from the same directory, as a killed agent would leave it.
    const leftover = spawn(NGINX_BIN, ['-p', confDir, '-c', join(confDir, 'nginx.conf'), '-e', 'stderr'], { stdio: 'ignore' });
    try {
      await until(async () => ((await get(port, 'one.test')).status === 200 ? true : undefined), 'the leftover nginx serving');
      plane = new NginxDataPlane({ dir: confDir, bin: bin(), http: { host: '127.0.0.1', port }, log: (m) => logs.push(m) });
      plane.apply(source(['one.test'], { one: [ports.two as number] }));
      await plane.start();
      assert.ok(!alive(leftover.pid ?? 0), 'the leftover master was stopped');
      assert.equal((await get(port, 'one.test')).body, 'two');
      const master = masterPid();
      const workers = children(master);
      await plane.stop();
      assert.deepEqual([master, ...workers].filter(alive), [], 'master and workers are gone');
    } finally {
      if (leftover.exitCode === null && leftover.signalCode === null) leftover.kill('SIGKILL');
    }
  });
});
