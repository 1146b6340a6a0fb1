// The DNS benchmark's markdown report and its ratios (ours ÷ dnsmasq per concurrency), shared by
// bench/dns/run.ts and bench/network.
import { cpus } from 'node:os';
import type { DnsBenchResult, DnsCell } from './bench.js';

/** Ours beside dnsmasq at one number of queries in flight. */
export interface DnsRatio {
  concurrency: number;
  ours: DnsCell;
  peer: DnsCell;
  /** queries/s ours ÷ dnsmasq. */
  qps: number;
  /** p99 ours ÷ dnsmasq (lower is better for us). */
  p99: number;
}

export function dnsRatios(res: DnsBenchResult): DnsRatio[] {
  const out: DnsRatio[] = [];
  for (const n of res.cfg.concurrency) {
    const ours = res.cells.find((c) => c.server === 'tugboat' && c.concurrency === n);
    const peer = res.cells.find((c) => c.server === 'dnsmasq' && c.concurrency === n);
    if (ours && peer) out.push({ concurrency: n, ours, peer, qps: ours.r.qps / peer.r.qps, p99: ours.r.p99 / peer.r.p99 });
  }
  return out;
}

const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });

/** The markdown bench/dns/run.ts prints: both servers' rows and the ratio table. */
export function dnsReport(res: DnsBenchResult): string {
  const { cells, cfg, quick, workload: w } = res;
  const lines: string[] = [];
  lines.push(`### DNS benchmark${quick ? ' (quick)' : ''}`, '');
  lines.push(`Command: \`node --import tsx bench/dns/run.ts${quick ? ' --quick' : ''}\`  `);
  lines.push(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, 1-minute load average ${res.loadStart[0]?.toFixed(2) ?? '?'} at the start, ${res.loadEnd[0]?.toFixed(2) ?? '?'} at the end.  `);
  lines.push(`Records: ${cfg.services} ClusterIP Services, ${cfg.headless} headless Services × 3 endpoints; ${w.queries.length} queries in the mix (${Object.entries(w.mix).map(([k, v]) => `${k} ${v}`).join(', ')}).  `);
  lines.push(`Each cell: ${cfg.rounds} rounds of ${cfg.roundMs} ms (after ${cfg.warmupMs} ms warm-up each), the two servers taking turns; closed loop over one UDP socket; latency is client-side, send to reply.`, '');
  lines.push('| server | in flight | queries/s | p50 ms | p99 ms | server CPU µs/query | client CPU µs/query | wrong | lost |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const c of cells) {
    const per = (ms: number): string => (c.r.queries ? fmt((ms * 1000) / c.r.queries, 1) : '—');
    lines.push(`| ${c.server} | ${c.concurrency} | ${fmt(c.r.qps)} | ${fmt(c.r.p50, 3)} | ${fmt(c.r.p99, 3)} | ${per(c.serverCpuMs)} | ${per(c.r.clientCpuMs)} | ${c.r.wrong} | ${c.r.lost} |`);
  }
  lines.push('', '| in flight | queries/s ours ÷ dnsmasq | p99 ours ÷ dnsmasq | server CPU/query ours ÷ dnsmasq |', '|---:|---:|---:|---:|');
  const cpuPer = (c: DnsCell): number => c.serverCpuMs / Math.max(1, c.r.queries);
  for (const x of dnsRatios(res)) lines.push(`| ${x.concurrency} | ${x.qps.toFixed(2)}× | ${x.p99.toFixed(2)}× | ${(cpuPer(x.ours) / cpuPer(x.peer)).toFixed(2)}× |`);
  const wrong = cells.find((c) => c.r.firstWrong);
  if (wrong) lines.push('', `${wrong.server} wrong answers; first: ${wrong.r.firstWrong ?? ''}`);
  return lines.join('\n');
}

