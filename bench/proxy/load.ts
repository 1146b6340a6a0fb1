// The load generator of the proxy benchmark: a small Node program run inside the client pod's
// network namespace (so its traffic takes the same path a pod's does), in one of three shapes —
// keep-alive HTTP requests, one new connection per request, or bulk downloads — for a fixed time
// with N workers, reporting completions, errors, bytes and latency percentiles as JSON.
import { runOk } from '../../src/agent/network/index.js';

export type LoadMode = 'keepalive' | 'connect' | 'bulk';

export interface LoadConfig {
  host: string;
  port: number;
  mode: LoadMode;
  concurrency: number;
  durationMs: number;
  /** Bytes per request in bulk mode. */
  bytes?: number;
}

export interface LoadResult {
  ok: number;
  errors: number;
  firstError?: string;
  ms: number;
  bytes: number;
  /** Latencies of every completed request, in milliseconds (sorted). */
  latencies: number[];
}

const LOAD_JS = `
const http = require('node:http');
const cfg = JSON.parse(process.argv[1]);
const latencies = [];
let ok = 0, errors = 0, bytes = 0, firstError;
const agent = cfg.mode === 'connect' ? false : new http.Agent({ keepAlive: true, maxSockets: cfg.concurrency });
const path = cfg.mode === 'bulk' ? '/bytes?n=' + cfg.bytes : '/';
const headers = cfg.mode === 'connect' ? { connection: 'close' } : {};
const one = () => new Promise((resolve) => {
  const t0 = process.hrtime.bigint();
  const req = http.get({ host: cfg.host, port: cfg.port, path, agent, headers }, (res) => {
    res.on('data', (d) => (bytes += d.length));
    res.on('end', () => { latencies.push(Number(process.hrtime.bigint() - t0) / 1e6); ok++; resolve(); });
  });
  req.on('error', (e) => { errors++; firstError ??= e.code || e.message; resolve(); });
});
const started = Date.now();
const end = started + cfg.durationMs;
const worker = async () => { while (Date.now() < end) await one(); };
Promise.all(Array.from({ length: cfg.concurrency }, worker)).then(() => {
  latencies.sort((a, b) => a - b);
  process.stdout.write(JSON.stringify({ ok, errors, firstError, ms: Date.now() - started, bytes, latencies }));
  if (agent) agent.destroy();
});
`;

export async function runLoad(netns: string, cfg: LoadConfig): Promise<LoadResult> {
  const out = await runOk('ip', ['netns', 'exec', netns, process.execPath, '-e', LOAD_JS, JSON.stringify(cfg)]);
  return JSON.parse(out) as LoadResult;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Several rounds of one target merged into one result. */
export function merge(rounds: readonly LoadResult[]): LoadResult {
  const latencies = rounds.flatMap((r) => r.latencies).sort((a, b) => a - b);
  return {
    ok: rounds.reduce((n, r) => n + r.ok, 0),
    errors: rounds.reduce((n, r) => n + r.errors, 0),
    firstError: rounds.find((r) => r.firstError)?.firstError,
    ms: rounds.reduce((n, r) => n + r.ms, 0),
    bytes: rounds.reduce((n, r) => n + r.bytes, 0),
    latencies,
  };
}
