// Scheduler benchmark: starts a real `tug server` (which runs the scheduler and controllers) and
// one `tug agent --runtime fake --hollow-nodes N --no-events`, then measures over raw HTTPS:
//   1. the time for an R-replica Deployment to be all Running, on the fresh cluster;
//   2. floors — the API's raw pod create rate (pods no scheduler serves) and raw bind rate
//      (pods/binding sent by this process, round-robin): no scheduler can bind faster;
//   3. pods/s scheduled and bound while creating P pods with many requests in flight, counting
//      spec.nodeName assignments on a watch, and when all of them are Running on hollow nodes.
// Prints markdown tables with PASS/FAIL against issue #3's targets.
//   node --import tsx bench/scheduler/run.ts [--nodes 1000] [--pods 10000] [--replicas 1000]
//        [--concurrency 64] [--datastore sqlite|etcd] [--quick] [--cpu-prof DIR] [--logs DIR]
import { parseArgs } from 'node:util';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpsClient } from '../api/http-client.js';
import { rssMb } from '../api/proc.js';
import { startEtcd, type RunningEtcd } from '../../test/support/etcd.js';
import { startHollowAgent, type HollowAgent } from '../../test/support/hollow-cluster.js';
import { startTugServer, type TugServer } from '../../test/support/tug-server.js';
import { parseNodeToken } from '../../src/agent/join.js';
import { NodeHealth } from './node-health.js';
import { WriteProbe } from './write-probe.js';
import { deploymentTable, throughputTable, verdicts, verdictTable } from './report.js';
import { deployment, floor, schedule, type Pids } from './workload.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Each hollow node's capacity; bench pods request 100m CPU and 128Mi, so 80 fit by CPU. */
const NODE_CAPACITY = { cpu: '8', memory: '32Gi', pods: '110' };
const PODS_PER_NODE_MAX = 80;
/** Room for 16,384 node pod CIDRs of /24. */
const CLUSTER_CIDR = '10.64.0.0/10';
const log = (m: string): void => void process.stderr.write(`[bench] ${m}\n`);

interface Settings {
  nodes: number;
  pods: number;
  replicas: number;
  concurrency: number;
  datastore: 'sqlite' | 'etcd';
  quick: boolean;
  cpuProf: string | undefined;
  /** Directory to write the server's and the agent's logs to at the end. */
  logs: string | undefined;
}

function settings(): Settings {
  const { values } = parseArgs({
    options: {
      nodes: { type: 'string' },
      pods: { type: 'string' },
      replicas: { type: 'string' },
      concurrency: { type: 'string', default: '64' },
      datastore: { type: 'string', default: 'sqlite' },
      quick: { type: 'boolean', default: false },
      'cpu-prof': { type: 'string' },
      logs: { type: 'string' },
    },
  });
  const quick = values.quick === true;
  const num = (v: string | undefined, full: number, small: number): number => {
    const n = v === undefined ? (quick ? small : full) : Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`expected a positive integer, got ${String(v)}`);
    return n;
  };
  const datastore = values.datastore;
  const nodes = num(values.nodes, 1000, 20);
  const pods = num(values.pods, 10_000, 300);
  const replicas = num(values.replicas, 1000, 100);
  // Every pod must fit, or the run would measure waiting for room rather than scheduling.
  const perNode = Math.ceil((2 * pods + replicas) / nodes);
  if (perNode > PODS_PER_NODE_MAX) throw new Error(`${2 * pods + replicas} pods on ${nodes} nodes is ${perNode} per node; at most ${PODS_PER_NODE_MAX} fit`);
  if (datastore !== 'sqlite' && datastore !== 'etcd') throw new Error(`--datastore must be sqlite or etcd, got ${String(datastore)}`);
  return {
    nodes,
    pods,
    replicas,
    concurrency: num(values.concurrency, 64, 64),
    datastore,
    quick,
    cpuProf: values['cpu-prof'],
    logs: values.logs,
  };
}

/** Which server code runs: bin/tug.js prefers dist/, which may lag the sources. */
function serverBuild(): string {
  const built = join(ROOT, 'dist', 'cmd', 'main.js');
  if (!existsSync(built)) return 'sources via tsx (no dist/)';
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
      const p = join(dir, e.name);
      return Math.max(m, e.isDirectory() ? newest(p) : p.endsWith('.ts') && !p.endsWith('.test.ts') ? statSync(p).mtimeMs : 0);
    }, 0);
  return newest(join(ROOT, 'src')) > statSync(built).mtimeMs ? 'dist/ — WARNING: older than src/, rebuild with `npm run build`' : 'dist/ (compiled)';
}

/** Runs `start` with the CPU-profile preload in NODE_OPTIONS when profiling, so only that child is profiled. */
async function profiled<T>(dir: string | undefined, start: () => Promise<T>): Promise<T> {
  if (!dir) return start();
  const saved = { opts: process.env.NODE_OPTIONS, dir: process.env.TUG_BENCH_CPU_PROF_DIR };
  process.env.NODE_OPTIONS = `${saved.opts ?? ''} --import tsx --import ${join(ROOT, 'bench', 'api', 'cpu-profile.ts')}`.trim();
  process.env.TUG_BENCH_CPU_PROF_DIR = resolve(dir);
  try {
    return await start();
  } finally {
    for (const [name, value] of [['NODE_OPTIONS', saved.opts], ['TUG_BENCH_CPU_PROF_DIR', saved.dir]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

async function main(): Promise<void> {
  const s = settings();
  const loadBefore = loadavg()[0] ?? 0;
  // Other work on the machine moves every rate here; the load seen during the run says how much.
  const loads: number[] = [];
  const loadTimer = setInterval(() => loads.push(loadavg()[0] ?? 0), 5000);
  let etcd: RunningEtcd | undefined;
  let server: TugServer | undefined;
  let agent: HollowAgent | undefined;
  let api: HttpsClient | undefined;
  let health: NodeHealth | undefined;
  let probe: WriteProbe | undefined;
  let nodeProbe: WriteProbe | undefined;
  try {
    if (s.datastore === 'etcd') etcd = await startEtcd();
    const dsn = etcd ? etcd.endpoint.replace(/^http:/, 'etcd:') : 'sqlite';
    // The default cluster CIDR (a /16 cut into /24s) has room for 256 nodes only.
    const srv = await profiled(s.cpuProf, () => startTugServer({ datastore: dsn, extraArgs: ['--cluster-cidr', CLUSTER_CIDR] }));
    server = srv;
    log(`server pid ${srv.pid} at ${srv.url} (${dsn}); starting ${s.nodes} hollow nodes`);
    const t0 = Date.now();
    agent = await profiled(s.cpuProf, () => startHollowAgent(srv, { nodes: s.nodes, prefix: 'hollow', capacity: NODE_CAPACITY, extraArgs: ['--no-events'], readyTimeoutMs: 300_000 }));
    const registerS = (Date.now() - t0) / 1000;
    log(`${s.nodes} nodes Ready after ${registerS.toFixed(1)} s (agent pid ${agent.pid})`);
    api = new HttpsClient(srv, { maxSockets: s.concurrency });
    const pids: Pids = { server: srv.pid, agent: agent.pid };
    health = await NodeHealth.start(api);
    probe = await WriteProbe.start(srv, log);
    const nodeSecret = parseNodeToken(readFileSync(join(srv.dataDir, 'node-token'), 'utf8')).secret;
    nodeProbe = await WriteProbe.start({ ...srv, token: nodeSecret }, log, { name: 'hollow-write-probe', label: 'the bench with the node token' });
    const timeoutMs = Math.max(120_000, s.pods * 30);

    // The Deployment first, on the fresh cluster, as a user would meet it.
    const d = await deployment(api, { namespace: 'bench-deploy', replicas: s.replicas, pids, timeoutMs });
    log(`deployment of ${s.replicas}: Running after ${(d.runningMs / 1000).toFixed(2)} s`);
    const f = await floor(api, { namespace: 'bench-floor', count: s.pods, concurrency: s.concurrency, nodes: agent.nodeNames, pids });
    log(`floor: create ${Math.round(f.create.perSec)}/s, bind ${Math.round(f.bind.perSec)}/s`);
    const sch = await schedule(api, { namespace: 'bench-schedule', count: s.pods, concurrency: s.concurrency, pids, timeoutMs });
    log(`scheduled ${Math.round(sch.bound.perSec)}/s (create ${Math.round(sch.create.perSec)}/s); all Running after ${(sch.running.ms / 1000).toFixed(1)} s`);
    const [serverRss, agentRss] = [await rssMb(srv.pid), await rssMb(agent.pid)];

    const flags = [`--nodes ${s.nodes}`, `--pods ${s.pods}`, `--replicas ${s.replicas}`, ...(s.datastore === 'etcd' ? ['--datastore etcd'] : []), ...(s.quick ? ['--quick'] : [])];
    const out = [
      `## Scheduler benchmark — ${s.nodes.toLocaleString('en-US')} hollow nodes, ${s.pods.toLocaleString('en-US')} pods, datastore ${s.datastore}${s.quick ? ' (quick)' : ''}`,
      '',
      `Command: \`node --import tsx bench/scheduler/run.ts ${flags.join(' ')}\`  `,
      `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}; 1-min load average ${loadBefore.toFixed(2)} before, ${(loadavg()[0] ?? 0).toFixed(2)} after, ` +
        `mean ${(loads.reduce((a, b) => a + b, 0) / Math.max(1, loads.length)).toFixed(1)} and max ${Math.max(0, ...loads).toFixed(1)} sampled every 5 s during the run ` +
        `(server, agent and bench share these cores); server: ${serverBuild()}.  `,
      `${s.concurrency} requests in flight; ${s.nodes} nodes registered and Ready in ${registerS.toFixed(1)} s; RSS at the end: server ${serverRss.toFixed(0)} MB, agent ${agentRss.toFixed(0)} MB ` +
        `(${(s.pods * 2 + s.replicas).toLocaleString('en-US')} pods in the cluster); during the measurements ${health.summary()}; ${probe.summary()}; ${nodeProbe.summary()}.`,
      '',
      '### Pods scheduled and bound',
      '',
      throughputTable(f, sch),
      '',
      '### Deployment',
      '',
      deploymentTable(d),
      '',
      '### Targets',
      '',
      verdictTable(verdicts(sch, d, { nodes: s.nodes, pods: s.pods })),
      '',
    ];
    process.stdout.write(`${out.join('\n')}\n`);
  } catch (err) {
    if (server) process.stderr.write(`server log:\n${server.logs().slice(-4000)}\n`);
    if (agent) process.stderr.write(`agent log:\n${agent.logs().slice(-2000)}\n`);
    throw err;
  } finally {
    clearInterval(loadTimer);
    if (s.logs) {
      mkdirSync(s.logs, { recursive: true });
      if (server) writeFileSync(join(s.logs, 'server.log'), server.logs());
      if (agent) writeFileSync(join(s.logs, 'agent.log'), agent.logs());
    }
    health?.close();
    probe?.close();
    nodeProbe?.close();
    api?.close();
    await agent?.stop();
    await server?.cleanup();
    await etcd?.stop();
  }
}

await main();
