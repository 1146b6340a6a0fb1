// The ingress benchmark's markdown report and the ratio the target judges (req/s through the
// Ingress ÷ nginx configured by hand, per connection count), shared by bench/ingress/run.ts and
// bench/network.
import { cpus } from 'node:os';
import { fmtMs, fmtOps, fmtRatio } from '../api/stats.js';
import { HOST, PEER, TARGET, TUGBOAT, type IngressBenchResult, type IngressCell } from './bench.js';

/** Tugboat's nginx data plane beside nginx by hand at one connection count. */
export interface IngressRatio {
  conns: number;
  tugboat?: IngressCell;
  peer?: IngressCell;
  /** req/s tugboat ÷ nginx by hand; NaN when either is missing (nginx not installed). */
  ratio: number;
}

export function ingressRatios(res: IngressBenchResult): IngressRatio[] {
  return res.settings.connections.map((conns) => {
    const tugboat = res.cells.find((x) => x.conns === conns && x.target === TUGBOAT);
    const peer = res.cells.find((x) => x.conns === conns && x.target === PEER);
    const ratio = tugboat && peer ? tugboat.summary.opsPerSec / peer.summary.opsPerSec : Number.NaN;
    return { conns, ...(tugboat ? { tugboat } : {}), ...(peer ? { peer } : {}), ratio };
  });
}

/** The markdown bench/ingress/run.ts prints; `args` are the CLI arguments the Command line shows. */
export function ingressReport(res: IngressBenchResult, args: readonly string[]): string {
  const { cells, settings: s } = res;
  const loads = (l: number[]): string => l.map((x) => x.toFixed(1)).join(' / ');
  const out: string[] = [];
  out.push('### Ingress data plane — Tugboat vs nginx configured by hand', '');
  out.push(`Command: \`node --import tsx bench/ingress/run.ts${args.length ? ` ${args.join(' ')}` : ''}\`  `);
  out.push(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, ${res.nginx}; load average at start ${loads(res.loadStart)}, at end ${loads(res.loadEnd)}.  `);
  out.push(
    `Each cell: ${s.durationMs} ms after ${s.warmupMs} ms warm-up${s.rounds > 1 ? `, the median of ${s.rounds} interleaved rounds by req/s` : ''}; closed loop, keep-alive connections, \`GET /\` with Host ${HOST}; two endpoints (a raw keep-alive responder, 41-byte body) round-robin; both nginx targets run \`worker_processes auto\`. CPU columns are per request, from /proc (proxy: the data plane's processes — nginx's master and workers, or the controller process for the Node data plane; load gen: this process).`,
    '',
  );
  out.push(`| target | conns | req/s | p50 ms | p99 ms | errors | proxy CPU µs/req | load-gen CPU µs/req | req/s ÷ ${PEER} | p99 ÷ ${PEER} |`);
  out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const c of cells) {
    const peer = cells.find((x) => x.conns === c.conns && x.target === PEER);
    out.push(
      `| ${c.target} | ${c.conns} | ${fmtOps(c.summary.opsPerSec)} | ${fmtMs(c.summary.p50)} | ${fmtMs(c.summary.p99)} | ${c.summary.errors} | ${c.target.startsWith('direct') ? '—' : c.cpuUsPerReq.toFixed(0)} | ${c.loadGenUsPerReq.toFixed(0)} | ${peer ? fmtRatio(c.summary.opsPerSec / peer.summary.opsPerSec) : '—'} | ${peer ? fmtRatio(c.summary.p99 / peer.summary.p99) : '—'} |`,
    );
  }
  out.push('', `Resident memory after the run: ${Object.entries(res.rss).map(([k, v]) => `${k} ${v.toFixed(0)} MB`).join(', ')}.`, '');
  const ratios = ingressRatios(res).map(({ conns: c, tugboat: t, peer: n, ratio: r }) => {
    if (!t || !n) return `${c} conns: no ${t ? PEER : 'tugboat'}`;
    return `${c} conns: ${fmtRatio(r)} of nginx by hand (${r >= TARGET ? 'meets' : 'below'} the ${TARGET}× target)`;
  });
  out.push(`**Ratio tugboat ÷ nginx by hand (req/s)** — ${ratios.join('; ')}.`);
  return out.join('\n');
}

