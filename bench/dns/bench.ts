// The DNS benchmark as a function: Tugboat's cluster DNS (src/agent/dns, fed by a real tug
// server's informers, run in its own process by serve.ts) against Debian's dnsmasq answering the
// same records from a hosts file, both on loopback ports, driven by the same Node load generator
// with N queries in flight, the two taking turns in short rounds. bench/dns/run.ts prints it
// (report.ts); bench/network runs it beside the other network benches.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpClient } from '../../src/client/index.js';
import { query } from '../../src/agent/dns/test-upstream.js';
import { freePort } from '../../test/support/tug-server.js';
import { startTugServerAnyBuild } from '../../test/integration/tug-from-source.js';
import { buildWorkload, createObjects, type Workload } from './workload.js';
import { percentile, runLoad, type LoadResult } from './load.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DNSMASQ = '/usr/sbin/dnsmasq';
const CLK_TCK = 100;

export interface DnsBenchOptions {
  /** A few seconds instead of about 1.5 minutes: proves the bench works. */
  quick: boolean;
  /** Also write our server's .cpuprofile into this directory. */
  cpuProfDir?: string;
}

export interface DnsBenchConfig {
  services: number;
  headless: number;
  concurrency: number[];
  rounds: number;
  roundMs: number;
  warmupMs: number;
}

export interface DnsBenchResult {
  quick: boolean;
  cfg: DnsBenchConfig;
  workload: Workload;
  /** dnsmasq then tugboat, per concurrency; each merges its rounds. */
  cells: DnsCell[];
  loadStart: number[];
  loadEnd: number[];
}

// The servers take turns in short rounds, so a machine whose load drifts (other jobs on the same
// cores) slows both alike; each cell merges its rounds.
const configFor = (quick: boolean): DnsBenchConfig =>
  quick
    ? { services: 20, headless: 4, concurrency: [1, 16], rounds: 2, roundMs: 250, warmupMs: 100 }
    : { services: 200, headless: 40, concurrency: [1, 16, 64], rounds: 10, roundMs: 800, warmupMs: 200 };

async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
}

interface Child {
  proc: ChildProcess;
  port: number;
  stop(): Promise<void>;
}

function stopper(proc: ChildProcess): () => Promise<void> {
  return async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  };
}

async function startOurs(o: { url: string; token: string; caFile: string; cpuProfDir?: string }): Promise<Child> {
  const port = await freePort();
  const prof = o.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${o.cpuProfDir}`] : [];
  const proc = spawn(process.execPath, [...prof, '--import', 'tsx', join(ROOT, 'bench', 'dns', 'serve.ts'), '--server', o.url, '--token', o.token, '--ca-file', o.caFile, '--listen', `127.0.0.1:${port}`, '--upstream', '127.0.0.1:9'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  await new Promise<void>((resolve, reject) => {
    proc.stdout?.on('data', (d: Buffer) => (d.toString().includes('ready') ? resolve() : undefined));
    proc.once('exit', (code) => reject(new Error(`serve.ts exited with ${code}:\n${err}`)));
  });
  return { proc, port, stop: stopper(proc) };
}

async function startDnsmasq(dir: string, w: Workload): Promise<Child> {
  const hosts = join(dir, 'hosts');
  await writeFile(hosts, w.hosts, { mode: 0o644 });
  // dnsmasq reads the hosts file after dropping root for `nobody`.
  await chmod(dir, 0o755);
  const port = await freePort();
  const proc = spawn(
    DNSMASQ,
    [
      '--keep-in-foreground',
      '--conf-file=/dev/null',
      '--no-resolv',
      '--no-hosts',
      `--addn-hosts=${hosts}`,
      '--pid-file=',
      '--listen-address=127.0.0.1',
      '--bind-interfaces',
      `--port=${port}`,
      '--local=/cluster.local/',
      '--local-ttl=5',
      '--cache-size=10000',
      ...w.srvHosts.map((s) => `--srv-host=${s}`),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let err = '';
  proc.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const child = { proc, port, stop: stopper(proc) };
  for (let i = 0; ; i++) {
    if (proc.exitCode !== null) throw new Error(`dnsmasq exited with ${proc.exitCode}:\n${err}`);
    const ok = await query(w.lastName, 'A', { port, timeoutMs: 200 }).then((r) => r.rcode === 0, () => false);
    if (ok) return child;
    if (i > 50) {
      await child.stop();
      throw new Error(`dnsmasq did not answer:\n${err}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface DnsCell {
  server: string;
  concurrency: number;
  r: LoadResult;
  serverCpuMs: number;
}

async function round(cfg: DnsBenchConfig, child: Child, w: Workload, concurrency: number): Promise<{ r: LoadResult; serverCpuMs: number }> {
  const pid = child.proc.pid ?? 0;
  const before = await cpuMs(pid);
  const r = await runLoad({ port: child.port, queries: w.queries, expect: w.expect, concurrency, durationMs: cfg.roundMs, warmupMs: cfg.warmupMs });
  // Warm-up and drain are included; per query it is a close upper bound.
  return { r, serverCpuMs: (await cpuMs(pid)) - before };
}

function merge(server: string, concurrency: number, rounds: { r: LoadResult; serverCpuMs: number }[]): DnsCell {
  const n = rounds.reduce((a, x) => a + x.r.latencies.length, 0);
  const all = new Float64Array(n);
  let at = 0;
  for (const x of rounds) {
    all.set(x.r.latencies, at);
    at += x.r.latencies.length;
  }
  all.sort();
  const sum = (f: (x: { r: LoadResult; serverCpuMs: number }) => number): number => rounds.reduce((a, x) => a + f(x), 0);
  const firstWrong = rounds.find((x) => x.r.firstWrong)?.r.firstWrong;
  const r: LoadResult = {
    queries: n,
    qps: (n / sum((x) => x.r.elapsedMs)) * 1000,
    p50: percentile(all, 50),
    p99: percentile(all, 99),
    wrong: sum((x) => x.r.wrong),
    lost: sum((x) => x.r.lost),
    clientCpuMs: sum((x) => x.r.clientCpuMs),
    latencies: all,
    elapsedMs: sum((x) => x.r.elapsedMs),
    ...(firstWrong ? { firstWrong } : {}),
  };
  return { server, concurrency, r, serverCpuMs: sum((x) => x.serverCpuMs) };
}

export async function runDnsBench(o: DnsBenchOptions): Promise<DnsBenchResult> {
  const cfg = configFor(o.quick);
  const loadStart = loadavg();
  const dir = await mkdtemp(join(tmpdir(), 'tug-dns-bench-'));
  const server = await startTugServerAnyBuild();
  const client = new HttpClient({ server: server.url, caCertPem: server.caCertPem, token: server.token });
  const children: Child[] = [];
  try {
    const clusterIPs = await createObjects(client, cfg);
    const w = buildWorkload({ clusterIPs, headless: cfg.headless });
    const caFile = join(dir, 'ca.crt');
    await writeFile(caFile, server.caCertPem);
    const ours = await startOurs({ url: server.url, token: server.token, caFile, ...(o.cpuProfDir ? { cpuProfDir: o.cpuProfDir } : {}) });
    children.push(ours);
    for (let i = 0; ; i++) {
      const r = await query(w.lastName, 'A', { port: ours.port, timeoutMs: 500 }).catch(() => undefined);
      if (r?.rcode === 0 && (r.answers?.length ?? 0) > 0) break;
      if (i > 100) throw new Error('our server never answered the last name');
      await new Promise((res) => setTimeout(res, 100));
    }
    const dnsmasq = await startDnsmasq(dir, w);
    children.push(dnsmasq);
    const cells: DnsCell[] = [];
    for (const n of cfg.concurrency) {
      const peer: { r: LoadResult; serverCpuMs: number }[] = [];
      const mine: { r: LoadResult; serverCpuMs: number }[] = [];
      for (let i = 0; i < cfg.rounds; i++) {
        // Alternate who goes first, too.
        if (i % 2 === 0) {
          peer.push(await round(cfg, dnsmasq, w, n));
          mine.push(await round(cfg, ours, w, n));
        } else {
          mine.push(await round(cfg, ours, w, n));
          peer.push(await round(cfg, dnsmasq, w, n));
        }
      }
      cells.push(merge('dnsmasq', n, peer), merge('tugboat', n, mine));
    }
    return { quick: o.quick, cfg, workload: w, cells, loadStart, loadEnd: loadavg() };
  } finally {
    for (const c of children) await c.stop();
    client.close();
    await server.cleanup();
    await rm(dir, { recursive: true, force: true });
  }
}

