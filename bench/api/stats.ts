// Latency samples and their summary: the percentiles and throughput every benchmark cell reports.
// Kept separate so the API runs, the etcd floor and the one-off measurements summarise the same
// way and their ratios compare like with like.

export interface Summary {
  /** Completed operations (or delivered events) per second. */
  opsPerSec: number;
  count: number;
  errors: number;
  /** First error seen, so a failing cell says why. */
  firstError?: string;
  p50: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of an ascending array; NaN when there are no samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? Number.NaN;
}

export function summarize(latenciesMs: number[], o: { elapsedMs: number; errors?: number; firstError?: string }): Summary {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return {
    opsPerSec: o.elapsedMs > 0 ? (sorted.length * 1000) / o.elapsedMs : 0,
    count: sorted.length,
    errors: o.errors ?? 0,
    ...(o.firstError === undefined ? {} : { firstError: o.firstError }),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.length ? (sorted[sorted.length - 1] ?? Number.NaN) : Number.NaN,
  };
}

export const fmtMs = (ms: number): string => (Number.isFinite(ms) ? (ms < 10 ? ms.toFixed(2) : ms.toFixed(1)) : '—');
export const fmtOps = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—');
export const fmtRatio = (n: number): string => (Number.isFinite(n) && n > 0 ? `${n < 10 ? n.toFixed(2) : n.toFixed(1)}×` : '—');
