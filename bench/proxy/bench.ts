// The service proxy benchmark as a function (needs root): a node, a backend pod and a client pod in
// network namespaces (src/agent/proxy/test-topology.ts), a real `tug server`, and a ServiceProxy
// applying its nftables table in the node namespace. From the client pod, the same load runs
// against the backend straight at its pod IP and through a ClusterIP Service whose one endpoint is
// that pod, alternating in short slices within one load-generator process so a drifting machine
// slows both alike; the median of the per-pair ratios ClusterIP ÷ direct is what the proxy costs,
// for requests/s and for p99 latency alike (each slice's own p99, compared with its neighbour's).
// Shapes: keep-alive HTTP requests/s and p99, new connections/s (each one DNATed and tracked
// anew), and bulk MB/s. Then the rule-sync time for 1,000 Services with 10,000 endpoints.
// `runProxyBench` returns the measurements, `proxyVerdicts` the numbers the targets judge and
// `proxyReport` the markdown run.ts prints; bench/network runs it beside the other network benches.
import { loadavg, cpus } from 'node:os';
import { serviceKind, type Service } from '../../src/api/core/v1/index.js';
import { endpointSliceKind } from '../../src/api/discovery/v1/index.js';
import { HttpClient, InformerFactory } from '../../src/client/index.js';
import { ServiceProxy } from '../../src/agent/proxy/index.js';
import { createTopology, type PodNs, type Topology } from '../../src/agent/proxy/test-topology.js';
import { startTugServer, type TugServer } from '../../test/support/tug-server.js';
import { percentile, runLoad, type LoadMode, type LoadResult } from './load.js';
import { measureSync, type SyncResult } from './sync.js';

export interface ProxyBenchOptions {
  /** A few seconds instead of about ten minutes: proves the bench works. */
  quick: boolean;
}

export interface ProxyBenchConfig {
  slices: number;
  sliceMs: number;
  /** Unrecorded warm-up on each target before a cell's slices. */
  warmupMs: number;
  bulkSliceMs: number;
  concurrency: number[];
  bulkBytes: number;
  sync: { services: number; endpointsPerService: number; changes: number };
}

export interface ProxyCell {
  mode: LoadMode;
  concurrency: number;
  direct: LoadResult;
  service: LoadResult;
  /** ClusterIP ÷ direct of each pair of back-to-back slices; its median resists a drifting machine. */
  pairRatios: number[];
  /** Direct p99 ÷ ClusterIP p99 of each pair of back-to-back slices (higher is better for the ClusterIP). */
  pairP99Ratios: number[];
}

export interface ProxyBenchResult {
  quick: boolean;
  cfg: ProxyBenchConfig;
  cells: ProxyCell[];
  sync: SyncResult;
  loadStart: number[];
  loadEnd: number[];
}

/** The figures the issue's targets judge, taken from the worst cell of each kind. */
export interface ProxyVerdicts {
  /** The keep-alive cell with the lowest median paired req/s ratio. */
  worstKeepAlive: ProxyCell;
  keepAliveRatio: number;
  /** Lowest median paired p99 ratio (direct ÷ ClusterIP) over the keep-alive cells. */
  keepAliveP99Ratio: number;
  /** The keep-alive cell that gave it. */
  worstKeepAliveP99: ProxyCell;
  /** Lowest pooled p99 ratio (p99 of all of a side's requests, direct ÷ ClusterIP); informative. */
  keepAlivePooledP99Ratio: number;
  connectRatio: number;
  syncP50Ms: number;
  fullSyncP50Ms: number;
}

const configFor = (quick: boolean): ProxyBenchConfig =>
  quick
    ? { slices: 4, sliceMs: 100, warmupMs: 50, bulkSliceMs: 200, concurrency: [1, 8], bulkBytes: 4 << 20, sync: { services: 50, endpointsPerService: 10, changes: 2 } }
    : { slices: 60, sliceMs: 250, warmupMs: 500, bulkSliceMs: 1000, concurrency: [1, 8, 32], bulkBytes: 16 << 20, sync: { services: 1000, endpointsPerService: 10, changes: 10 } };

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const rate = (r: LoadResult): number => (r.ok * 1000) / Math.max(1, r.ms);
const mbps = (r: LoadResult): number => r.bytes / 1048576 / (r.ms / 1000);
const median = (xs: readonly number[]): number => percentile([...xs].sort((a, b) => a - b), 50);
const loads = (l: number[]): string => l.map((x) => x.toFixed(2)).join(' ');
/** p99 of every request of one side over the cell, direct ÷ ClusterIP. */
const pooledP99Ratio = (c: ProxyCell): number => percentile(c.direct.latencies, 99) / Math.max(percentile(c.service.latencies, 99), 1e-9);

async function withCluster<T>(fn: (o: { topo: Topology; backend: PodNs; clientPod: PodNs; serviceIP: string }) => Promise<T>): Promise<T> {
  const topo = await createTopology({ pods: 2 });
  let server: TugServer | undefined;
  let client: HttpClient | undefined;
  const abort = new AbortController();
  let running: Promise<void> | undefined;
  let proxy: ServiceProxy | undefined;
  try {
    const [backend, clientPod] = topo.pods as [PodNs, PodNs];
    await topo.serve(backend);
    // Clients open many short connections; let the client pod reuse ports in TIME_WAIT.
    await topo.sysctl(clientPod.netns, 'net.ipv4.tcp_tw_reuse', '1');
    server = await startTugServer({ extraArgs: ['--controllers=', '--disable-scheduler'] });
    client = new HttpClient({ server: server.url, caCertPem: server.caCertPem, token: server.token });
    const informers = new InformerFactory(client);
    proxy = new ServiceProxy({ client, informers, nodeName: 'bench-node', log: () => undefined, tableName: 'tugboat-proxy-bench', nodeIps: [topo.nodeIp], clusterCIDR: '10.244.0.0/16', netns: topo.node });
    running = proxy.run(abort.signal);
    informers.start(abort.signal);
    const svc = await client.create<Service>(serviceKind, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'bench' }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] } });
    await client.create(endpointSliceKind, 'default', {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'bench-1', labels: { 'kubernetes.io/service-name': 'bench' } },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      endpoints: [{ addresses: [backend.ip], nodeName: 'bench-node', conditions: { ready: true } }],
    });
    await proxy.ready;
    const serviceIP = svc.spec?.clusterIP ?? '';
    // Wait until the Service answers (the endpoint arrives in a sync after the first).
    for (let i = 0; ; i++) {
      const [, r] = await runLoad(clientPod.netns, { targets: [{ host: backend.ip, port: 8080 }, { host: serviceIP, port: 80 }], mode: 'connect', concurrency: 1, slices: 1, sliceMs: 50 });
      if (r.ok > 0 && r.errors === 0) break;
      if (i > 100) throw new Error(`the ClusterIP never answered: ${r.firstError ?? ''}`);
    }
    return await fn({ topo, backend, clientPod, serviceIP });
  } finally {
    abort.abort();
    await running;
    await proxy?.cleanup().catch(() => undefined);
    client?.close();
    await server?.cleanup();
    await topo.destroy();
  }
}

async function measureCell(cfg: ProxyBenchConfig, o: { clientNs: string; direct: { host: string; port: number }; service: { host: string; port: number }; mode: LoadMode; concurrency: number }): Promise<ProxyCell> {
  const bulk = o.mode === 'bulk';
  const [direct, service] = await runLoad(o.clientNs, {
    targets: [o.direct, o.service],
    mode: o.mode,
    concurrency: o.concurrency,
    slices: cfg.slices,
    sliceMs: bulk ? cfg.bulkSliceMs : cfg.sliceMs,
    warmupMs: cfg.warmupMs,
    ...(bulk ? { bytes: cfg.bulkBytes } : {}),
  });
  const pairRatios = direct.sliceRates.map((d, i) => (service.sliceRates[i] ?? 0) / Math.max(d, 1e-9));
  const pairP99Ratios = direct.sliceP99.map((d, i) => d / Math.max(service.sliceP99[i] ?? 0, 1e-9));
  return { mode: o.mode, concurrency: o.concurrency, direct, service, pairRatios, pairP99Ratios };
}

export async function runProxyBench(o: ProxyBenchOptions): Promise<ProxyBenchResult> {
  if (process.getuid?.() !== 0) throw new Error('bench/proxy needs root (network namespaces, nftables)');
  const cfg = configFor(o.quick);
  const loadStart = loadavg();
  const { cells, sync } = await withCluster(async ({ topo, backend, clientPod, serviceIP }) => {
    const cells: ProxyCell[] = [];
    const direct = { host: backend.ip, port: 8080 };
    const service = { host: serviceIP, port: 80 };
    for (const mode of ['keepalive', 'connect'] as const) for (const concurrency of cfg.concurrency) cells.push(await measureCell(cfg, { clientNs: clientPod.netns, direct, service, mode, concurrency }));
    cells.push(await measureCell(cfg, { clientNs: clientPod.netns, direct, service, mode: 'bulk', concurrency: 1 }));
    const sync = await measureSync({ netns: topo.node, ...cfg.sync });
    return { cells, sync };
  });
  return { quick: o.quick, cfg, cells, sync, loadStart, loadEnd: loadavg() };
}

export function proxyVerdicts(r: ProxyBenchResult): ProxyVerdicts {
  const keepAlive = r.cells.filter((c) => c.mode === 'keepalive');
  const worstKeepAlive = keepAlive.reduce((a, c) => (median(c.pairRatios) < median(a.pairRatios) ? c : a));
  const worstKeepAliveP99 = keepAlive.reduce((a, c) => (median(c.pairP99Ratios) < median(a.pairP99Ratios) ? c : a));
  return {
    worstKeepAlive,
    keepAliveRatio: median(worstKeepAlive.pairRatios),
    keepAliveP99Ratio: median(worstKeepAliveP99.pairP99Ratios),
    worstKeepAliveP99,
    keepAlivePooledP99Ratio: Math.min(...keepAlive.map(pooledP99Ratio)),
    connectRatio: Math.min(...r.cells.filter((c) => c.mode === 'connect').map((c) => median(c.pairRatios))),
    syncP50Ms: median(r.sync.changes),
    fullSyncP50Ms: median(r.sync.full),
  };
}

function cellsTable(r: ProxyBenchResult): string[] {
  const out = ['### ClusterIP vs direct to the pod IP', ''];
  out.push('| shape | clients | direct /s | ClusterIP /s | ratio | median paired ratio | direct p50 ms | ClusterIP p50 ms | direct p99 ms | ClusterIP p99 ms | pooled p99 ratio (direct ÷ ClusterIP) | median paired p99 ratio | errors |');
  out.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const c of r.cells) {
    const label = c.mode === 'keepalive' ? 'HTTP keep-alive requests' : c.mode === 'connect' ? 'new connections (1 request each)' : `bulk MB/s (${r.cfg.bulkBytes >> 20} MiB GETs)`;
    const d = c.mode === 'bulk' ? mbps(c.direct) : rate(c.direct);
    const s = c.mode === 'bulk' ? mbps(c.service) : rate(c.service);
    const p = (x: LoadResult, q: number): string => fmt(percentile(x.latencies, q), 2);
    const errors = c.direct.errors + c.service.errors;
    out.push(
      `| ${label} | ${c.concurrency} | ${fmt(d, c.mode === 'bulk' ? 1 : 0)} | ${fmt(s, c.mode === 'bulk' ? 1 : 0)} | ${fmt(s / d, 3)} | ${fmt(median(c.pairRatios), 3)} | ${p(c.direct, 50)} | ${p(c.service, 50)} | ${p(c.direct, 99)} | ${p(c.service, 99)} | ${fmt(pooledP99Ratio(c), 3)} | ${fmt(median(c.pairP99Ratios), 3)} | ${errors}${errors ? ` (${c.direct.firstError ?? c.service.firstError ?? ''})` : ''} |`,
    );
  }
  out.push('');
  return out;
}

function syncTable(s: SyncResult): string[] {
  const out = [`### Rule sync: ${fmt(s.services)} Services, ${fmt(s.endpoints)} endpoints`, ''];
  out.push(`${fmt(s.chains)} chains, full script ${fmt(s.scriptKiB)} KiB; render = model + ruleset from the objects (median ${fmt(median(s.renderMs), 1)} ms).`, '');
  out.push('| sync | p50 ms (render + nft -f) | max ms |', '|---|---|---|');
  const row = (label: string, xs: readonly number[]): void => {
    const sorted = [...xs].sort((a, b) => a - b);
    out.push(`| ${label} | ${fmt(percentile(sorted, 50), 1)} | ${fmt(sorted.at(-1) ?? 0, 1)} |`);
  };
  row('first, into an empty table (full)', [s.first.renderMs + s.first.applyMs]);
  row(`after one endpoint change, partial (${s.changes.length} runs)`, s.changes);
  row(`after one endpoint change, full rewrite (${s.full.length} runs)`, s.full);
  out.push('');
  return out;
}

/** The markdown bench/proxy/run.ts prints: the header, both tables and a verdict per target. */
export function proxyReport(r: ProxyBenchResult): string {
  const { cfg, sync } = r;
  const v = proxyVerdicts(r);
  const out = [`## proxy bench${r.quick ? ' (quick)' : ''}: ${cpus().length} CPUs, load average ${loads(r.loadStart)}, ${cfg.slices} slices of ${cfg.sliceMs} ms (bulk ${cfg.bulkSliceMs} ms) per side`, ''];
  out.push(...cellsTable(r), ...syncTable(sync));
  out.push(`Load average at the end: ${loads(r.loadEnd)}.`, '');
  const verdict = (ok: boolean): string => (ok ? 'PASS' : 'FAIL');
  out.push('### Targets', '', '| target | measured | verdict |', '|---|---|---|');
  out.push(`| HTTP requests/s through a ClusterIP ≥ 0.95 × direct (keep-alive, worst cell, median paired ratio) | ${fmt(v.keepAliveRatio, 3)} | ${verdict(v.keepAliveRatio >= 0.95)} |`);
  out.push(`| HTTP p99 through a ClusterIP: direct ÷ ClusterIP ≥ 0.95 (keep-alive, worst cell, median of per-pair p99 ratios) | ${fmt(v.keepAliveP99Ratio, 3)} | ${verdict(v.keepAliveP99Ratio >= 0.95)} |`);
  out.push(`| the same from pooled p99s (every request of a side in one distribution; informative: decided by where other jobs' bursts land) | ${fmt(v.keepAlivePooledP99Ratio, 3)} | ${verdict(v.keepAlivePooledP99Ratio >= 0.95)} |`);
  out.push(`| new connections/s through a ClusterIP ≥ 0.95 × direct (worst cell; informative: every connection is DNATed) | ${fmt(v.connectRatio, 3)} | ${verdict(v.connectRatio >= 0.95)} |`);
  out.push(`| rule sync for ${fmt(sync.services)} Services / ${fmt(sync.endpoints)} endpoints < 1 s (p50 after a change) | ${fmt(v.syncP50Ms, 0)} ms | ${verdict(v.syncP50Ms < 1000)} |`);
  out.push(`| the same as a full rewrite (start-up, resync) < 1 s (p50) | ${fmt(v.fullSyncP50Ms, 0)} ms | ${verdict(v.fullSyncP50Ms < 1000)} |`);
  return out.join('\n');
}
