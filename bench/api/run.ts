// API benchmark: starts a real `tug server` (sqlite or etcd) and a real etcd, then measures the
// API over raw keep-alive HTTPS — create, get, list, update and watch at 1, 16 and 64 clients —
// beside the same workloads on raw etcd through `etcd3` (the floor, measured in the same run),
// plus an unpaged list of 10,000 ConfigMaps, 1,000 watchers receiving one write, and server RSS.
// Prints markdown tables with PASS/FAIL against the targets.
//   node --import tsx bench/api/run.ts [--datastore sqlite|etcd] [--quick] [--cpu-prof DIR]
import { parseArgs } from 'node:util';
import { existsSync, statSync, readdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Etcd3 } from 'etcd3';
import { startEtcd } from '../../test/support/etcd.js';
import { startTugServer, type TugServer } from '../../test/support/tug-server.js';
import { HttpsClient } from './http-client.js';
import { closedLoop } from './load.js';
import { ApiTarget, EtcdFloor, type OpName, type Target } from './targets.js';
import { etcdRangeLatency, fanout, listLatency, loadConfigMaps } from './scale.js';
import { rssMb, withCpu } from './proc.js';
import { errorNotes, matrixTable, scaleTable, verdicts, verdictTable, type Cell, type ScaleResults } from './report.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const PROFILES = {
  full: { durationMs: 3000, warmupMs: 500, levels: [1, 16, 64], bigCount: 10_000, listRepeats: 10, watchers: 1000, rounds: 30, settleMs: 3000, watchWriters: 4 },
  quick: { durationMs: 150, warmupMs: 50, levels: [1, 16, 64], bigCount: 300, listRepeats: 3, watchers: 50, rounds: 3, settleMs: 200, watchWriters: 2 },
};
type Profile = (typeof PROFILES)['full'];

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Which server code runs: bin/tug.js prefers dist/, which may lag the sources. */
function serverBuild(): string {
  const built = join(ROOT, 'dist', 'cmd', 'main.js');
  if (!existsSync(built)) return 'sources via tsx (no dist/; run `npm run build` to measure the compiled server)';
  const builtAt = statSync(built).mtimeMs;
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
      const p = join(dir, e.name);
      return Math.max(m, e.isDirectory() ? newest(p) : p.endsWith('.ts') ? statSync(p).mtimeMs : 0);
    }, 0);
  return newest(join(ROOT, 'src')) > builtAt ? 'dist/ — WARNING: older than src/, rebuild with `npm run build`' : 'dist/ (compiled)';
}

async function startServer(datastore: string, cpuProfDir: string | undefined): Promise<TugServer> {
  if (!cpuProfDir) return startTugServer({ datastore });
  // Only the server child should be profiled, so its preload is in NODE_OPTIONS just while it spawns.
  const saved = { opts: process.env.NODE_OPTIONS, dir: process.env.TUG_BENCH_CPU_PROF_DIR };
  process.env.NODE_OPTIONS = `${saved.opts ?? ''} --import tsx --import ${join(ROOT, 'bench', 'api', 'cpu-profile.ts')}`.trim();
  process.env.TUG_BENCH_CPU_PROF_DIR = resolve(cpuProfDir);
  try {
    return await startTugServer({ datastore });
  } finally {
    for (const [name, value] of [['NODE_OPTIONS', saved.opts], ['TUG_BENCH_CPU_PROF_DIR', saved.dir]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

async function matrix(t: { api: Target; floor: Target; serverPid: number; etcdPid: number }, p: Profile, log: (m: string) => void): Promise<Cell[]> {
  const { api, floor } = t;
  const max = Math.max(...p.levels);
  await api.prepare({ maxConcurrency: max });
  await floor.prepare({ maxConcurrency: max });
  const cells: Cell[] = [];
  const load = (c: number): { concurrency: number; durationMs: number; warmupMs: number } => ({ concurrency: c, durationMs: p.durationMs, warmupMs: p.warmupMs });
  for (const op of ['create', 'get', 'list', 'update'] as OpName[]) {
    for (const c of p.levels) {
      const a = await withCpu(t.serverPid, () => closedLoop(api.op(op), load(c)));
      const f = await withCpu(t.etcdPid, () => closedLoop(floor.op(op), load(c)));
      const perOp = (cpu: number, ops: number): number => (ops > 0 ? (cpu * 1000) / ops : Number.NaN);
      cells.push({
        op,
        clients: c,
        api: a.result,
        floor: f.result,
        cpu: { serverUs: perOp(a.cpuMs, a.result.totalOps), clientUs: perOp(a.selfCpuMs, a.result.totalOps), etcdUs: perOp(f.cpuMs, f.result.totalOps) },
      });
      log(`${op} @${c}: api ${Math.round(a.result.opsPerSec)}/s p99 ${a.result.p99.toFixed(2)} ms; etcd ${Math.round(f.result.opsPerSec)}/s p99 ${f.result.p99.toFixed(2)} ms`);
    }
  }
  for (const c of p.levels) {
    const w = { watchers: c, writers: p.watchWriters, durationMs: p.durationMs, warmupMs: p.warmupMs };
    const a = await api.watch(w);
    const f = await floor.watch(w);
    cells.push({ op: 'watch', clients: c, api: a, floor: f });
    log(`watch @${c}: api ${Math.round(a.opsPerSec)} ev/s p99 ${a.p99.toFixed(2)} ms; etcd ${Math.round(f.opsPerSec)} ev/s p99 ${f.p99.toFixed(2)} ms`);
  }
  return cells;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { datastore: { type: 'string', default: 'sqlite' }, quick: { type: 'boolean', default: false }, 'cpu-prof': { type: 'string' } } });
  const datastore = values.datastore ?? 'sqlite';
  if (datastore !== 'sqlite' && datastore !== 'etcd') throw new Error(`--datastore must be sqlite or etcd, got ${datastore}`);
  const quick = values.quick === true;
  const p = quick ? PROFILES.quick : PROFILES.full;
  const log = (m: string): void => void process.stderr.write(`[bench] ${m}\n`);
  // Other work on the machine skews every number; the load average says how much there was.
  const loadBefore = loadavg()[0] ?? 0;

  const etcd = await startEtcd();
  let server: TugServer | undefined;
  // The 10,000-key range answer is ~5 MB, above gRPC's default 4 MB receive limit.
  const etcdClient = new Etcd3({ hosts: etcd.endpoint, grpcOptions: { 'grpc.max_receive_message_length': 64 * 1024 * 1024 } });
  let api: HttpsClient | undefined;
  try {
    const dsn = datastore === 'etcd' ? etcd.endpoint.replace(/^http:/, 'etcd:') : 'sqlite';
    server = await startServer(dsn, values['cpu-prof']);
    log(`server pid ${server.pid} at ${server.url} (${dsn}); etcd at ${etcd.endpoint}`);
    api = new HttpsClient(server, { maxSockets: Math.max(...p.levels) });

    await sleep(p.settleMs);
    const rssIdleMb = await rssMb(server.pid);
    log(`idle RSS ${rssIdleMb.toFixed(1)} MB; creating ${p.bigCount} ConfigMaps`);
    const loaded = await loadConfigMaps(api, { namespace: 'bench-big', count: p.bigCount });
    await sleep(p.settleMs);
    const rssLoadedMb = await rssMb(server.pid);
    const list = await listLatency(api, { namespace: 'bench-big', count: p.bigCount, repeats: p.listRepeats });
    const listFloor = await etcdRangeLatency(etcdClient, { count: p.bigCount, repeats: p.listRepeats });
    log(`list ${p.bigCount}: p50 ${list.p50.toFixed(1)} ms (etcd range ${listFloor.p50.toFixed(1)} ms); opening ${p.watchers} watchers`);
    const fan = await fanout(api, { watchers: p.watchers, rounds: p.rounds, namespace: 'bench-fanout' });
    log(`fan-out: last receipt p50 ${fan.last.p50.toFixed(1)} ms, p99 ${fan.last.p99.toFixed(1)} ms`);
    const scale: ScaleResults = { count: p.bigCount, loadPerSec: loaded.perSec, list, listFloor, fanout: fan, rssIdleMb, rssLoadedMb };

    const cells = await matrix({ api: new ApiTarget(api), floor: new EtcdFloor(etcdClient), serverPid: server.pid, etcdPid: etcd.pid }, p, log);
    const cpu = cpus()[0]?.model ?? 'unknown CPU';
    const out = [
      `## API benchmark — datastore: ${datastore}${quick ? ' (quick)' : ''}`,
      '',
      `Command: \`node --import tsx bench/api/run.ts --datastore ${datastore}${quick ? ' --quick' : ''}\`  `,
      `Machine: ${cpus().length} × ${cpu}, Node ${process.version}; 1-min load average ${loadBefore.toFixed(2)} before, ${(loadavg()[0] ?? 0).toFixed(2)} after (client, server and etcd share these cores); server: ${serverBuild()}; etcd ${etcd.endpoint} (local, one member).  `,
      `Each cell: ${p.durationMs} ms after ${p.warmupMs} ms warm-up, closed loop; latency is client-side, request start to full response; watch latency is write sent → event received (${p.watchWriters} writers).`,
      '',
      '### Operations vs raw etcd',
      '',
      matrixTable(cells, datastore),
      '',
      '### Size and fan-out',
      '',
      scaleTable(scale),
      '',
      '### Targets',
      '',
      verdictTable(verdicts(cells, scale, { datastore, quick })),
      '',
      ...errorNotes(cells),
    ];
    process.stdout.write(`${out.join('\n')}\n`);
  } catch (err) {
    if (server) process.stderr.write(`server log:\n${server.logs().slice(-4000)}\n`);
    throw err;
  } finally {
    api?.close();
    etcdClient.close();
    await server?.cleanup();
    await etcd.stop();
  }
}

await main();
