// Ingress data-plane benchmark: requests/s and latency through Tugboat's ingress controller
// (configured by a real API server's Ingress, Service and EndpointSlice; its data plane is the
// nginx it renders a config for and runs, with the Lua balancer picking endpoints) against
// Debian's nginx configured by hand as a reverse proxy to the same two backend endpoints, with
// the same worker count (`auto`) and the same closed-loop keep-alive load; plus the backend hit
// directly, the ceiling of what this machine's load generator and backend can do. `--node` adds
// the Node data plane (`--ingress-data-plane node`) for reference. Prints markdown tables and the
// ratio against the target (≥ 0.9× of nginx by hand, issue #5).
// Run: node --import tsx bench/ingress/run.ts [--quick] [--node] [--duration MS] [--connections 1,16,64] [--rounds N]
// (BENCH_PROXY_PROF=DIR also writes the controller process's CPU profile there).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceKind } from '../../src/api/core/v1/index.js';
import { endpointSliceKind } from '../../src/api/discovery/v1/index.js';
import { ingressKind } from '../../src/api/networking/v1/index.js';
import { HttpClient } from '../../src/client/index.js';
import { freePort, startTugServer, type TugServer } from '../../test/support/tug-server.js';
import { cpuMs, rssMb } from '../api/proc.js';
import { fmtMs, fmtOps, fmtRatio, type Summary } from '../api/stats.js';
import { runLoad } from './load.js';
import { nginxAvailable, nginxVersion, startNginx, type RunningNginx } from './nginx.js';

const HERE = import.meta.dirname;
const startLoad = loadavg().map((l) => l.toFixed(1)).join(' / ');
const HOST = 'app.bench';
const ENDPOINT_IPS = ['127.0.0.41', '127.0.0.42'];

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const quick = argv.includes('--quick');
const durationMs = Number(flag('--duration') ?? (quick ? 1000 : 5000));
const warmupMs = quick ? 300 : 1000;
const connections = (flag('--connections') ?? (quick ? '16' : '1,16,64')).split(',').map(Number);
const rounds = Number(flag('--rounds') ?? 1);
const withNode = argv.includes('--node');
const TUGBOAT = 'tugboat (nginx data plane)';
const TUGBOAT_NODE = 'tugboat (Node data plane)';
const PEER = 'nginx by hand';
const TARGET = 0.9;

interface Target {
  name: string;
  host: string;
  port: number;
  pids(): Promise<number[]>;
}

interface Cell {
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

async function measure(t: Target, conns: number): Promise<Cell> {
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

function report(cells: Cell[], o: { nginx: string; rss: Record<string, number> }): string {
  const out: string[] = [];
  out.push('### Ingress data plane — Tugboat vs nginx configured by hand', '');
  out.push(`Command: \`node --import tsx bench/ingress/run.ts${argv.length ? ` ${argv.join(' ')}` : ''}\`  `);
  out.push(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, ${o.nginx}; load average at start ${startLoad}, at end ${loadavg().map((l) => l.toFixed(1)).join(' / ')}.  `);
  out.push(
    `Each cell: ${durationMs} ms after ${warmupMs} ms warm-up${rounds > 1 ? `, the median of ${rounds} interleaved rounds by req/s` : ''}; closed loop, keep-alive connections, \`GET /\` with Host ${HOST}; two endpoints (a raw keep-alive responder, 41-byte body) round-robin; both nginx targets run \`worker_processes auto\`. CPU columns are per request, from /proc (proxy: the data plane's processes — nginx's master and workers, or the controller process for the Node data plane; load gen: this process).`,
    '',
  );
  out.push(`| target | conns | req/s | p50 ms | p99 ms | errors | proxy CPU µs/req | load-gen CPU µs/req | req/s ÷ ${PEER} | p99 ÷ ${PEER} |`);
  out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const c of cells) {
    const peer = cells.find((x) => x.conns === c.conns && x.target === PEER);
    out.push(
      `| ${c.target} | ${c.conns} | ${fmtOps(c.summary.opsPerSec)} | ${fmtMs(c.summary.p50)} | ${fmtMs(c.summary.p99)} | ${c.summary.errors} | ${c.target.startsWith('direct') ? '—' : c.cpuUsPerReq.toFixed(0)} | ${c.loadGenUsPerReq.toFixed(0)} | ${peer ? fmtRatio(c.summary.opsPerSec / peer.summary.opsPerSec) : '—'} | ${peer ? fmtRatio(c.summary.p99 / peer.summary.p99) : '—'} |`,
    );
  }
  out.push('', `Resident memory after the run: ${Object.entries(o.rss).map(([k, v]) => `${k} ${v.toFixed(0)} MB`).join(', ')}.`, '');
  const ratios = connections.map((c) => {
    const t = cells.find((x) => x.conns === c && x.target === TUGBOAT);
    const n = cells.find((x) => x.conns === c && x.target === PEER);
    if (!t || !n) return `${c} conns: no ${t ? PEER : 'tugboat'}`;
    const r = t.summary.opsPerSec / n.summary.opsPerSec;
    return `${c} conns: ${fmtRatio(r)} of nginx by hand (${r >= TARGET ? 'meets' : 'below'} the ${TARGET}× target)`;
  });
  out.push(`**Ratio tugboat ÷ nginx by hand (req/s)** — ${ratios.join('; ')}.`);
  return out.join('\n');
}

async function main(): Promise<void> {
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
    const planes: [string, 'nginx' | 'node'][] = [...(nginxAvailable() ? [[TUGBOAT, 'nginx'] as [string, 'nginx']] : []), ...(withNode || !nginxAvailable() ? [[TUGBOAT_NODE, 'node'] as [string, 'node']] : [])];
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
    for (const t of targets) await runLoad({ port: t.port, host: t.host, hostHeader: HOST, path: '/', connections: 16, warmupMs: 0, durationMs: quick ? 1000 : 3000 });
    const all: Cell[] = [];
    for (let r = 0; r < rounds; r++) for (const c of connections) for (const t of targets) all.push(await measure(t, c));
    const cells: Cell[] = [];
    for (const c of connections) {
      for (const t of targets) {
        const runs = all.filter((x) => x.conns === c && x.target === t.name).sort((a, b) => a.summary.opsPerSec - b.summary.opsPerSec);
        cells.push(runs[Math.floor((runs.length - 1) / 2)] as Cell);
      }
    }
    const rss: Record<string, number> = {};
    for (const t of targets.slice(1)) {
      let sum = 0;
      for (const p of await t.pids()) sum += await rssMb(p).catch(() => 0);
      rss[t.name] = sum;
    }
    process.stdout.write(`${report(cells, { nginx: nginxLabel, rss })}\n`);
  } finally {
    for (const n of nginxes) await n.stop();
    for (const c of controllers) await stopChild(c);
    await stopChild(backend);
    client?.close();
    await server?.cleanup();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
