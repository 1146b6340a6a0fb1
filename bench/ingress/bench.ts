// The ingress data-plane benchmark as a function: requests/s and latency through Tugboat's ingress
// controller (configured by a real API server's Ingress, Service and EndpointSlice; its data plane
// is the nginx it renders a config for and runs, with the Lua balancer picking endpoints) against
// Debian's nginx configured by hand as a reverse proxy to the same two backend endpoints, with the
// same worker count (`auto`) and the same closed-loop keep-alive load; plus the backend hit
// directly, the ceiling of what this machine's load generator and backend can do. `node` adds the
// Node data plane (`--ingress-data-plane node`) for reference. bench/ingress/run.ts prints it
// (report.ts); bench/network runs it beside the other network benches.
// (BENCH_PROXY_PROF=DIR also writes the controller process's CPU profile there.)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceKind } from '../../src/api/core/v1/index.js';
import { endpointSliceKind } from '../../src/api/discovery/v1/index.js';
import { ingressKind } from '../../src/api/networking/v1/index.js';
import { HttpClient } from '../../src/client/index.js';
import { freePort, startTugServer, type TugServer } from '../../test/support/tug-server.js';
import { cpuMs, rssMb } from '../api/proc.js';
import type { Summary } from '../api/stats.js';
import { runLoad } from './load.js';
import { nginxAvailable, nginxVersion, startNginx, type RunningNginx } from './nginx.js';

const HERE = import.meta.dirname;
export const HOST = 'app.bench';
const ENDPOINT_IPS = ['127.0.0.41', '127.0.0.42'];
export const TUGBOAT = 'tugboat (nginx data plane)';
const TUGBOAT_NODE = 'tugboat (Node data plane)';
export const PEER = 'nginx by hand';
export const TARGET = 0.9;

export interface IngressBenchOptions {
  /** Short cells at 16 connections only: proves the bench works. */
  quick: boolean;
  /** Also measure the Node data plane. */
  node?: boolean;
  durationMs?: number;
  connections?: number[];
  rounds?: number;
}

/** What a run measured with, after defaults: the report states it. */
export interface IngressSettings {
  quick: boolean;
  durationMs: number;
  warmupMs: number;
  connections: number[];
  rounds: number;
}

export interface IngressBenchResult {
  settings: IngressSettings;
  /** One per target and connection count (the median round when there are several). */
  cells: IngressCell[];
  nginx: string;
  /** Resident MB of each proxy target's processes after the run. */
  rss: Record<string, number>;
  loadStart: number[];
  loadEnd: number[];
}

function settingsFor(o: IngressBenchOptions): IngressSettings {
  return {
    quick: o.quick,
    durationMs: o.durationMs ?? (o.quick ? 1000 : 5000),
    warmupMs: o.quick ? 300 : 1000,
    connections: o.connections ?? (o.quick ? [16] : [1, 16, 64]),
    rounds: o.rounds ?? 1,
  };
}

interface Target {
  name: string;
  host: string;
  port: number;
  pids(): Promise<number[]>;
}

export interface IngressCell {
  target: string;
  conns: number;
  summary: Summary;
  cpuUsPerReq: number;
  loadGenUsPerReq: number;
}

function spawnReady(args: string[], what: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...(process.env.BENCH_PROXY_PROF && what === 'ingress controller' ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROXY_PROF}`] : []), '--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start:\n${stderr}`)), 60_000);
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code}:\n${stderr}`)));
  });
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(t);
}

async function setUpApi(client: HttpClient, backendPort: number): Promise<void> {
  await client.create(serviceKind, 'default', { metadata: { name: 'app', namespace: 'default' }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] } });
  await client.create(endpointSliceKind, 'default', {
    metadata: { name: 'app-bench', namespace: 'default', labels: { 'kubernetes.io/service-name': 'app', 'endpointslice.kubernetes.io/managed-by': 'bench' } },
    addressType: 'IPv4',
    endpoints: ENDPOINT_IPS.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
    ports: [{ name: 'http', port: backendPort, protocol: 'TCP' }],
  });
  await client.create(ingressKind, 'default', {
    metadata: { name: 'app', namespace: 'default' },
    spec: { ingressClassName: 'tugboat', rules: [{ host: HOST, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'app', port: { name: 'http' } } } }] } }] },
  });
}

/** A process and all its descendants (the controller, its nginx master and workers). */
async function tree(pid: number): Promise<number[]> {
  const kids = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '')).split(/\s+/).filter(Boolean).map(Number);
  const out = [pid];
  for (const k of kids) out.push(...(await tree(k)));
  return out;
}

async function totalCpu(pids: number[]): Promise<number> {
  let sum = 0;
  for (const p of pids) sum += await cpuMs(p).catch(() => 0);
  return sum;
}

async function measure(s: IngressSettings, t: Target, conns: number): Promise<IngressCell> {
  const { warmupMs, durationMs } = s;
  const pids = await t.pids();
  const load = runLoad({ port: t.port, host: t.host, hostHeader: HOST, path: '/', connections: conns, warmupMs, durationMs });
  // CPU is sampled around the measured window: after the warm-up, and as soon as the load ends.
  await new Promise((r) => setTimeout(r, warmupMs));
  const cpuStart = await totalCpu(pids);
  const selfStart = process.cpuUsage();
  const summary = await load;
  const self = process.cpuUsage(selfStart);
  const cpuEnd = await totalCpu(pids);
  const n = Math.max(1, summary.count);
  return { target: t.name, conns, summary, cpuUsPerReq: ((cpuEnd - cpuStart) * 1000) / n, loadGenUsPerReq: (self.user + self.system) / n };
}

export async function runIngressBench(o: IngressBenchOptions): Promise<IngressBenchResult> {
  const s = settingsFor(o);
  const loadStart = loadavg();
  let server: TugServer | undefined;
  let client: HttpClient | undefined;
  let backend: ChildProcess | undefined;
  const controllers: ChildProcess[] = [];
  const nginxes: RunningNginx[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'tug-bench-ingress-'));
  try {
    server = await startTugServer();
    client = new HttpClient({ server: server.url, caCertPem: server.caCertPem, token: server.token });
    const backendPort = await freePort();
    backend = await spawnReady([join(HERE, 'backend.ts'), String(backendPort), ...ENDPOINT_IPS], 'backend');
    await setUpApi(client, backendPort);
    const caFile = join(dir, 'ca.crt');
    await writeFile(caFile, server.caCertPem);
    const nginxLabel = nginxAvailable() ? nginxVersion() : 'nginx not installed (run scripts/setup.sh)';
    const backendPid = backend.pid ?? 0;
    const targets: Target[] = [{ name: 'direct to one endpoint (ceiling)', host: ENDPOINT_IPS[0] as string, port: backendPort, pids: async () => [backendPid] }];
    const planes: [string, 'nginx' | 'node'][] = [...(nginxAvailable() ? [[TUGBOAT, 'nginx'] as [string, 'nginx']] : []), ...(o.node === true || !nginxAvailable() ? [[TUGBOAT_NODE, 'node'] as [string, 'node']] : [])];
    for (const [name, plane] of planes) {
      const port = await freePort();
      const child = await spawnReady([join(HERE, 'proxy-proc.ts'), server.url, server.token, caFile, `127.0.0.1:${port}`, plane, join(dir, `controller-${plane}`)], 'ingress controller');
      controllers.push(child);
      const pid = child.pid ?? 0;
      // The data plane's CPU: nginx's master and workers (the controller process only watches the
      // API, idle under load), or the controller process itself when it is the data plane.
      targets.push({ name, host: '127.0.0.1', port, pids: async () => (plane === 'nginx' ? (await tree(pid)).slice(1) : [pid]) });
    }
    if (nginxAvailable()) {
      const port = await freePort();
      const n = await startNginx({ dir: join(dir, 'nginx-by-hand'), port, serverName: HOST, upstreams: ENDPOINT_IPS.map((host) => ({ host, port: backendPort })), workers: 'auto' });
      nginxes.push(n);
      targets.push({ name: PEER, host: '127.0.0.1', port, pids: () => n.pids() });
    }
    // The controller is ready once its informers synced, which already includes our objects.
    for (const t of targets.filter((x) => x.name.startsWith('tugboat'))) {
      const probe = await runLoad({ port: t.port, hostHeader: HOST, path: '/', connections: 1, warmupMs: 0, durationMs: 200 });
      if (probe.count === 0 || probe.errors > 0) throw new Error(`${t.name} does not route: ${probe.firstError ?? 'no responses'}`);
    }
    // With several rounds, each cell reports its median round (by req/s): the machine is shared,
    // and one unlucky round should not decide a ratio.
    // Warm every target up first (JIT, connection pools), so the first cell is not the coldest.
    for (const t of targets) await runLoad({ port: t.port, host: t.host, hostHeader: HOST, path: '/', connections: 16, warmupMs: 0, durationMs: s.quick ? 1000 : 3000 });
    const all: IngressCell[] = [];
    for (let r = 0; r < s.rounds; r++) for (const c of s.connections) for (const t of targets) all.push(await measure(s, t, c));
    const cells: IngressCell[] = [];
    for (const c of s.connections) {
      for (const t of targets) {
        const runs = all.filter((x) => x.conns === c && x.target === t.name).sort((a, b) => a.summary.opsPerSec - b.summary.opsPerSec);
        cells.push(runs[Math.floor((runs.length - 1) / 2)] as IngressCell);
      }
    }
    const rss: Record<string, number> = {};
    for (const t of targets.slice(1)) {
      let sum = 0;
      for (const p of await t.pids()) sum += await rssMb(p).catch(() => 0);
      rss[t.name] = sum;
    }
    return { settings: s, cells, nginx: nginxLabel, rss, loadStart, loadEnd: loadavg() };
  } finally {
    for (const n of nginxes) await n.stop();
    for (const c of controllers) await stopChild(c);
    await stopChild(backend);
    client?.close();
    await server?.cleanup();
    await rm(dir, { recursive: true, force: true });
  }
}
