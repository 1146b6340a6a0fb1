// Service proxy benchmark (needs root): a node, a backend pod and a client pod in network
// namespaces (src/agent/proxy/test-topology.ts), a real `tug server`, and a ServiceProxy applying
// its nftables table in the node namespace. From the client pod, the same load runs against the
// backend straight at its pod IP and through a ClusterIP Service whose one endpoint is that pod,
// alternating in short slices within one load-generator process so a drifting machine slows both
// alike; the median of the per-pair ratios ClusterIP ÷ direct is what the proxy costs. Shapes: keep-alive HTTP requests/s and p99, new connections/s (each one
// DNATed and tracked anew), and bulk MB/s. Then the rule-sync time for 1,000 Services with
// 10,000 endpoints.
//   node --import tsx bench/proxy/run.ts          # full run (about 2 minutes)
//   node --import tsx bench/proxy/run.ts --quick  # a few seconds; proves the bench works
import { loadavg, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { serviceKind, type Service } from '../../src/api/core/v1/index.js';
import { endpointSliceKind } from '../../src/api/discovery/v1/index.js';
import { HttpClient, InformerFactory } from '../../src/client/index.js';
import { ServiceProxy } from '../../src/agent/proxy/index.js';
import { createTopology, type PodNs, type Topology } from '../../src/agent/proxy/test-topology.js';
import { startTugServer, type TugServer } from '../../test/support/tug-server.js';
import { percentile, runLoad, type LoadMode, type LoadResult } from './load.js';
import { measureSync, type SyncResult } from './sync.js';

const { values: args } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const quick = args.quick === true;
const cfg = quick
  ? { slices: 4, sliceMs: 100, bulkSliceMs: 200, concurrency: [1, 8], bulkBytes: 4 << 20, sync: { services: 50, endpointsPerService: 10, changes: 2 } }
  : { slices: 60, sliceMs: 250, bulkSliceMs: 1000, concurrency: [1, 8, 32], bulkBytes: 16 << 20, sync: { services: 1000, endpointsPerService: 10, changes: 10 } };

interface Cell {
  mode: LoadMode;
  concurrency: number;
  direct: LoadResult;
  service: LoadResult;
  /** ClusterIP ÷ direct of each pair of back-to-back slices; its median resists a drifting machine. */
  pairRatios: number[];
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const rate = (r: LoadResult): number => (r.ok * 1000) / Math.max(1, r.ms);
const mbps = (r: LoadResult): number => r.bytes / 1048576 / (r.ms / 1000);
const median = (xs: readonly number[]): number => percentile([...xs].sort((a, b) => a - b), 50);

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

async function measureCell(o: { clientNs: string; direct: { host: string; port: number }; service: { host: string; port: number }; mode: LoadMode; concurrency: number }): Promise<Cell> {
  const bulk = o.mode === 'bulk';
  const [direct, service] = await runLoad(o.clientNs, {
    targets: [o.direct, o.service],
    mode: o.mode,
    concurrency: o.concurrency,
    slices: cfg.slices,
    sliceMs: bulk ? cfg.bulkSliceMs : cfg.sliceMs,
    ...(bulk ? { bytes: cfg.bulkBytes } : {}),
  });
  const pairRatios = direct.sliceRates.map((d, i) => (service.sliceRates[i] ?? 0) / Math.max(d, 1e-9));
  return { mode: o.mode, concurrency: o.concurrency, direct, service, pairRatios };
}

function printCells(cells: Cell[]): void {
  console.log('### ClusterIP vs direct to the pod IP\n');
  console.log('| shape | clients | direct /s | ClusterIP /s | ratio | median paired ratio | direct p50 ms | ClusterIP p50 ms | direct p99 ms | ClusterIP p99 ms | p99 ratio (direct ÷ ClusterIP) | errors |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const c of cells) {
    const label = c.mode === 'keepalive' ? 'HTTP keep-alive requests' : c.mode === 'connect' ? 'new connections (1 request each)' : `bulk MB/s (${cfg.bulkBytes >> 20} MiB GETs)`;
    const d = c.mode === 'bulk' ? mbps(c.direct) : rate(c.direct);
    const s = c.mode === 'bulk' ? mbps(c.service) : rate(c.service);
    const p = (r: LoadResult, q: number): string => fmt(percentile(r.latencies, q), 2);
    const errors = c.direct.errors + c.service.errors;
    const p99d = percentile(c.direct.latencies, 99);
    const p99s = percentile(c.service.latencies, 99);
    console.log(
      `| ${label} | ${c.concurrency} | ${fmt(d, c.mode === 'bulk' ? 1 : 0)} | ${fmt(s, c.mode === 'bulk' ? 1 : 0)} | ${fmt(s / d, 3)} | ${fmt(median(c.pairRatios), 3)} | ${p(c.direct, 50)} | ${p(c.service, 50)} | ${p(c.direct, 99)} | ${p(c.service, 99)} | ${fmt(p99d / Math.max(p99s, 1e-9), 3)} | ${errors}${errors ? ` (${c.direct.firstError ?? c.service.firstError ?? ''})` : ''} |`,
    );
  }
  console.log('');
}

function printSync(r: SyncResult): void {
  console.log(`### Rule sync: ${fmt(r.services)} Services, ${fmt(r.endpoints)} endpoints\n`);
  console.log(`${fmt(r.chains)} chains, full script ${fmt(r.scriptKiB)} KiB; render = model + ruleset from the objects (median ${fmt(median(r.renderMs), 1)} ms).\n`);
  console.log('| sync | p50 ms (render + nft -f) | max ms |');
  console.log('|---|---|---|');
  const row = (label: string, xs: readonly number[]): void => {
    const sorted = [...xs].sort((a, b) => a - b);
    console.log(`| ${label} | ${fmt(percentile(sorted, 50), 1)} | ${fmt(sorted.at(-1) ?? 0, 1)} |`);
  };
  row('first, into an empty table (full)', [r.first.renderMs + r.first.applyMs]);
  row(`after one endpoint change, partial (${r.changes.length} runs)`, r.changes);
  row(`after one endpoint change, full rewrite (${r.full.length} runs)`, r.full);
  console.log('');
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('bench/proxy needs root (network namespaces, nftables)');
  console.log(`## proxy bench${quick ? ' (quick)' : ''}: ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}, ${cfg.slices} slices of ${cfg.sliceMs} ms (bulk ${cfg.bulkSliceMs} ms) per side\n`);
  const { cells, sync } = await withCluster(async ({ topo, backend, clientPod, serviceIP }) => {
    const cells: Cell[] = [];
    const direct = { host: backend.ip, port: 8080 };
    const service = { host: serviceIP, port: 80 };
    for (const mode of ['keepalive', 'connect'] as const) for (const concurrency of cfg.concurrency) cells.push(await measureCell({ clientNs: clientPod.netns, direct, service, mode, concurrency }));
    cells.push(await measureCell({ clientNs: clientPod.netns, direct, service, mode: 'bulk', concurrency: 1 }));
    const sync = await measureSync({ netns: topo.node, ...cfg.sync });
    return { cells, sync };
  });
  printCells(cells);
  printSync(sync);
  console.log(`Load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}.\n`);
  const keepAlive = cells.filter((c) => c.mode === 'keepalive');
  const worst = Math.min(...keepAlive.map((c) => median(c.pairRatios)));
  const worstP99 = Math.min(...keepAlive.map((c) => percentile(c.direct.latencies, 99) / Math.max(percentile(c.service.latencies, 99), 1e-9)));
  const worstConnect = Math.min(...cells.filter((c) => c.mode === 'connect').map((c) => median(c.pairRatios)));
  const syncP50 = percentile([...sync.changes].sort((a, b) => a - b), 50);
  console.log('### Targets\n');
  console.log('| target | measured | verdict |');
  console.log('|---|---|---|');
  console.log(`| HTTP requests/s through a ClusterIP ≥ 0.95 × direct (keep-alive, worst cell, median paired ratio) | ${fmt(worst, 3)} | ${worst >= 0.95 ? 'PASS' : 'FAIL'} |`);
  console.log(`| HTTP p99 through a ClusterIP: direct ÷ ClusterIP ≥ 0.95 (keep-alive, worst cell) | ${fmt(worstP99, 3)} | ${worstP99 >= 0.95 ? 'PASS' : 'FAIL'} |`);
  console.log(`| new connections/s through a ClusterIP ≥ 0.95 × direct (worst cell; informative: every connection is DNATed) | ${fmt(worstConnect, 3)} | ${worstConnect >= 0.95 ? 'PASS' : 'FAIL'} |`);
  const fullP50 = percentile([...sync.full].sort((a, b) => a - b), 50);
  console.log(`| rule sync for ${fmt(sync.services)} Services / ${fmt(sync.endpoints)} endpoints < 1 s (p50 after a change) | ${fmt(syncP50, 0)} ms | ${syncP50 < 1000 ? 'PASS' : 'FAIL'} |`);
  console.log(`| the same as a full rewrite (start-up, resync) < 1 s (p50) | ${fmt(fullP50, 0)} ms | ${fullP50 < 1000 ? 'PASS' : 'FAIL'} |`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
