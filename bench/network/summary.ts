// The one table bench/network prints: each of issue #5's network targets with what was measured
// (rates and, for request paths, p50/p99 of both sides), the ratio, the goal and PASS/FAIL. Every
// ratio comes from the worst cell of its bench (the lowest over client counts or queries in flight),
// so a PASS holds for every shape that bench measured. A bench that did not run gives a row that
// says why instead of a verdict.
import { percentile, type LoadResult } from '../proxy/load.js';
import { proxyVerdicts, type ProxyBenchResult } from '../proxy/bench.js';
import { ingressRatios } from '../ingress/report.js';
import type { IngressBenchResult } from '../ingress/bench.js';
import { dnsRatios } from '../dns/report.js';
import type { DnsBenchResult } from '../dns/bench.js';

/** A bench's result, or why there is none (skipped for a missing prerequisite, or its error). */
export type Outcome<T> = { ok: true; value: T } | { ok: false; skipped: boolean; reason: string };

export interface NetworkResults {
  proxy: Outcome<ProxyBenchResult>;
  ingress: Outcome<IngressBenchResult>;
  dns: Outcome<DnsBenchResult>;
}

export interface SummaryRow {
  target: string;
  measured: string;
  latency: string;
  ratio: number;
  goal: string;
  pass: boolean;
  /** Set when the bench did not give a result: SKIPPED (a prerequisite is missing) or ERROR. */
  notRun?: 'SKIPPED' | 'ERROR';
}

const fmt = (n: number, d = 0): string => (Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }) : '—');
const ms = (n: number): string => fmt(n, n < 1 ? 3 : 2);
const atLeast = (goal: number) => (ratio: number): boolean => Number.isFinite(ratio) && ratio >= goal;

function proxyRows(r: ProxyBenchResult): SummaryRow[] {
  const v = proxyVerdicts(r);
  const c = v.worstKeepAlive;
  const rate = (x: LoadResult): number => (x.ok * 1000) / Math.max(1, x.ms);
  const lat = (x: LoadResult): string => `${ms(percentile(x.latencies, 50))} / ${ms(percentile(x.latencies, 99))}`;
  const cell = `keep-alive, ${c.concurrency} client${c.concurrency === 1 ? '' : 's'}`;
  const sync = `${fmt(r.sync.services)} Services / ${fmt(r.sync.endpoints)} endpoints`;
  return [
    { target: 'HTTP req/s through a ClusterIP ÷ straight to the pod IP (median paired ratio)', measured: `${fmt(rate(c.service))} vs ${fmt(rate(c.direct))} req/s (${cell})`, latency: `ClusterIP ${lat(c.service)}; direct ${lat(c.direct)}`, ratio: v.keepAliveRatio, goal: '≥ 0.95', pass: atLeast(0.95)(v.keepAliveRatio) },
    {
      target: 'HTTP p99 through a ClusterIP: direct p99 ÷ ClusterIP p99 (median over pairs of adjacent slices)',
      measured: `worst of ${r.cells.filter((x) => x.mode === 'keepalive').length} keep-alive cells (${v.worstKeepAliveP99.concurrency} client${v.worstKeepAliveP99.concurrency === 1 ? '' : 's'}); pooled p99s: ${v.keepAlivePooledP99Ratio.toFixed(3)}`,
      latency: '—',
      ratio: v.keepAliveP99Ratio,
      goal: '≥ 0.95',
      pass: atLeast(0.95)(v.keepAliveP99Ratio),
    },
    { target: `proxy rule sync, ${sync}, after one endpoint change (p50)`, measured: `${fmt(v.syncP50Ms)} ms`, latency: '—', ratio: v.syncP50Ms / 1000, goal: '< 1 s', pass: v.syncP50Ms < 1000 },
    { target: `proxy rule sync, ${sync}, full rewrite (start-up, resync; p50)`, measured: `${fmt(v.fullSyncP50Ms)} ms`, latency: '—', ratio: v.fullSyncP50Ms / 1000, goal: '< 1 s', pass: v.fullSyncP50Ms < 1000 },
  ];
}

function ingressRows(r: IngressBenchResult): SummaryRow[] {
  const ratios = ingressRatios(r);
  const worst = ratios.reduce((a, x) => (!(x.ratio >= a.ratio) ? x : a));
  const t = worst.tugboat?.summary;
  const p = worst.peer?.summary;
  if (!t || !p) return [{ target: 'HTTP req/s through the Ingress ÷ nginx by hand', measured: 'nginx not installed: no comparison', latency: '—', ratio: Number.NaN, goal: '≥ 0.9', pass: false }];
  const p99 = Math.min(...ratios.map((x) => (x.peer?.summary.p99 ?? Number.NaN) / (x.tugboat?.summary.p99 ?? Number.NaN)));
  return [
    { target: 'HTTP req/s through the Ingress ÷ nginx configured by hand (same backends)', measured: `${fmt(t.opsPerSec)} vs ${fmt(p.opsPerSec)} req/s (${worst.conns} connection${worst.conns === 1 ? '' : 's'})`, latency: `Ingress ${ms(t.p50)} / ${ms(t.p99)}; by hand ${ms(p.p50)} / ${ms(p.p99)}`, ratio: worst.ratio, goal: '≥ 0.9', pass: atLeast(0.9)(worst.ratio) },
    { target: 'HTTP p99 through the Ingress: by-hand p99 ÷ Ingress p99', measured: `worst of ${ratios.length} connection counts`, latency: '—', ratio: p99, goal: '≥ 0.9', pass: atLeast(0.9)(p99) },
  ];
}

function dnsRows(r: DnsBenchResult): SummaryRow[] {
  const ratios = dnsRatios(r);
  const worst = ratios.reduce((a, x) => (x.qps < a.qps ? x : a));
  const o = worst.ours.r;
  const d = worst.peer.r;
  const p99 = Math.min(...ratios.map((x) => 1 / x.p99));
  const wrong = r.cells.reduce((a, c) => a + c.r.wrong, 0);
  return [
    { target: 'DNS queries/s: cluster DNS ÷ dnsmasq serving the same records', measured: `${fmt(o.qps)} vs ${fmt(d.qps)} q/s (${worst.concurrency} in flight)${wrong ? `; ${wrong} wrong answers` : ''}`, latency: `ours ${ms(o.p50)} / ${ms(o.p99)}; dnsmasq ${ms(d.p50)} / ${ms(d.p99)}`, ratio: worst.qps, goal: '≥ 0.8', pass: atLeast(0.8)(worst.qps) && wrong === 0 },
    { target: 'DNS p99: dnsmasq p99 ÷ cluster DNS p99', measured: `worst of ${ratios.length} queries-in-flight cells`, latency: '—', ratio: p99, goal: '≥ 0.8', pass: atLeast(0.8)(p99) },
  ];
}

function rowsOf<T>(name: string, o: Outcome<T>, rows: (v: T) => SummaryRow[]): SummaryRow[] {
  if (o.ok) return rows(o.value);
  return [{ target: `bench/${name}`, measured: o.reason, latency: '—', ratio: Number.NaN, goal: '—', pass: false, notRun: o.skipped ? 'SKIPPED' : 'ERROR' }];
}

export function summaryRows(r: NetworkResults): SummaryRow[] {
  return [...rowsOf('proxy', r.proxy, proxyRows), ...rowsOf('ingress', r.ingress, ingressRows), ...rowsOf('dns', r.dns, dnsRows)];
}

/** The markdown summary table, with the load average at the start and end of the whole run. */
export function summaryTable(rows: readonly SummaryRow[], load: { start: number[]; end: number[] }): string {
  const loads = (l: number[]): string => l.map((x) => x.toFixed(2)).join(' / ');
  const out = ['### Network targets (issue #5)', ''];
  out.push(`Load average (1 / 5 / 15 min) at the start ${loads(load.start)}, at the end ${loads(load.end)}.`, '');
  out.push('| target | measured | p50 / p99 ms | ratio | goal | verdict |', '|---|---|---|---:|---|---|');
  for (const x of rows) out.push(`| ${x.target} | ${x.measured} | ${x.latency} | ${fmt(x.ratio, 3)} | ${x.goal} | ${x.notRun ?? (x.pass ? 'PASS' : 'FAIL')} |`);
  return out.join('\n');
}
