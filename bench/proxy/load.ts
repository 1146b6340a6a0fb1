// The load generator of the proxy benchmark: one Node process run inside the client pod's network
// namespace (so its traffic takes the path a pod's does) that alternates between two targets in
// short time slices — A B, B A, A B, … — so that a machine whose load drifts (other jobs on the
// same cores) slows both alike, and each adjacent pair gives one ratio. Shapes: keep-alive HTTP
// requests, one new connection per request, or bulk downloads, with N workers, after an unrecorded
// warm-up slice on each target. It reports, per target, completions, errors, bytes and every
// latency, and per slice the rate and the p99 latency (so a pair of adjacent slices gives a p99
// ratio measured under the same machine conditions).
import { runOk } from '../../src/agent/network/index.js';

export type LoadMode = 'keepalive' | 'connect' | 'bulk';

export interface LoadConfig {
  targets: [{ host: string; port: number }, { host: string; port: number }];
  mode: LoadMode;
  concurrency: number;
  slices: number;
  sliceMs: number;
  /** Bytes per request in bulk mode. */
  bytes?: number;
  /** An unrecorded slice of this length on each target first (connections opened, code warm). */
  warmupMs?: number;
}

export interface LoadResult {
  ok: number;
  errors: number;
  firstError?: string;
  ms: number;
  bytes: number;
  /** Latencies of every completed request, in milliseconds (sorted). */
  latencies: number[];
  /** Requests/s (bulk: MiB/s) of each slice, in order. */
  sliceRates: number[];
  /** The 99th-percentile latency (ms) of each slice, in order (0 for a slice with no completions). */
  sliceP99: number[];
}

const LOAD_JS = `
const http = require('node:http');
const cfg = JSON.parse(process.argv[1]);
const path = cfg.mode === 'bulk' ? '/bytes?n=' + cfg.bytes : '/';
const headers = cfg.mode === 'connect' ? { connection: 'close' } : {};
const state = cfg.targets.map((t) => ({ ...t, agent: cfg.mode === 'connect' ? false : new http.Agent({ keepAlive: true, maxSockets: cfg.concurrency }), ok: 0, errors: 0, firstError: undefined, ms: 0, bytes: 0, latencies: [], sliceRates: [], sliceP99: [] }));
const one = (s, slice) => new Promise((resolve) => {
  const t0 = process.hrtime.bigint();
  const req = http.get({ host: s.host, port: s.port, path, agent: s.agent, headers }, (res) => {
    res.on('data', (d) => { s.bytes += d.length; slice.bytes += d.length; });
    res.on('end', () => { const ms = Number(process.hrtime.bigint() - t0) / 1e6; s.latencies.push(ms); slice.latencies.push(ms); s.ok++; slice.ok++; resolve(); });
  });
  req.on('error', (e) => { s.errors++; s.firstError ??= e.code || e.message; resolve(); });
});
const runSlice = async (s, o = {}) => {
  const slice = { ok: 0, bytes: 0, latencies: [] };
  const started = Date.now();
  const end = started + (o.ms ?? cfg.sliceMs);
  const worker = async () => { while (Date.now() < end) await one(o.warmup ? { ...s, latencies: [], ok: 0, bytes: 0 } : s, slice); };
  await Promise.all(Array.from({ length: cfg.concurrency }, worker));
  if (o.warmup) return;
  const ms = Date.now() - started;
  s.ms += ms;
  s.sliceRates.push(cfg.mode === 'bulk' ? slice.bytes / 1048576 / (ms / 1000) : (slice.ok * 1000) / ms);
  slice.latencies.sort((a, b) => a - b);
  s.sliceP99.push(slice.latencies.length ? slice.latencies[Math.min(slice.latencies.length - 1, Math.floor(0.99 * slice.latencies.length))] : 0);
};
(async () => {
  // Warm-up (connections open, code hot) on both targets, not recorded.
  for (const k of [0, 1]) await runSlice(state[k], { warmup: true, ms: cfg.warmupMs ?? 0 });
  for (let i = 0; i < cfg.slices; i++) for (const k of i % 2 === 0 ? [0, 1] : [1, 0]) await runSlice(state[k]);
  for (const s of state) { s.latencies.sort((a, b) => a - b); if (s.agent) s.agent.destroy(); delete s.agent; }
  process.stdout.write(JSON.stringify(state));
})();
`;

/** Runs the two targets in alternating slices from inside `netns`; results in target order. */
export async function runLoad(netns: string, cfg: LoadConfig, o: { cpus?: string } = {}): Promise<[LoadResult, LoadResult]> {
  const cmd = ['ip', 'netns', 'exec', netns, process.execPath, '-e', LOAD_JS, JSON.stringify(cfg)];
  const [bin = '', ...args] = o.cpus ? ['taskset', '-c', o.cpus, ...cmd] : cmd;
  const out = await runOk(bin, args);
  return JSON.parse(out) as [LoadResult, LoadResult];
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
