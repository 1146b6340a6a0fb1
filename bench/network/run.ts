// Issue #5's network benchmarks in one run: the service proxy (ClusterIP vs straight to the pod IP
// in a network-namespace topology, and rule sync for 1,000 Services with 10,000 endpoints), the
// ingress data plane (vs nginx configured by hand as a reverse proxy to the same backends) and the
// cluster DNS (vs dnsmasq serving the same records), each in-process through its bench's exported
// function, one after the other. Prints each bench's detailed report, then one summary table of
// the targets (bench/network/summary.ts) with the load average at the start and end. A bench
// whose prerequisite is missing (root for the proxy, dnsmasq for DNS) is reported as SKIPPED; one
// that fails as ERROR, and the exit code is then 1. Verdicts never change the exit code.
//   node --import tsx bench/network/run.ts          # as root; full run (about 20 minutes)
//   node --import tsx bench/network/run.ts --quick  # about a minute; proves the benches work
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { proxyReport, runProxyBench } from '../proxy/bench.js';
import { runIngressBench } from '../ingress/bench.js';
import { ingressReport } from '../ingress/report.js';
import { DNSMASQ, runDnsBench } from '../dns/bench.js';
import { dnsReport } from '../dns/report.js';
import { summaryRows, summaryTable, type NetworkResults, type Outcome } from './summary.js';

const { values: args } = parseArgs({ options: { quick: { type: 'boolean', default: false }, 'ingress-rounds': { type: 'string' } } });
const quick = args.quick === true;
// The ingress bench's documented full run takes the median of three interleaved rounds.
const ingressRounds = Number(args['ingress-rounds'] ?? (quick ? 1 : 3));

async function attempt<T>(name: string, o: { skip?: string; run: () => Promise<T>; report: (v: T) => string }): Promise<Outcome<T>> {
  if (o.skip) {
    process.stdout.write(`## bench/${name}: skipped (${o.skip})\n\n`);
    return { ok: false, skipped: true, reason: o.skip };
  }
  process.stderr.write(`bench/network: running bench/${name}${quick ? ' --quick' : ''} (load average ${loadavg()[0]?.toFixed(2) ?? '?'})\n`);
  try {
    const value = await o.run();
    process.stdout.write(`${o.report(value)}\n\n`);
    return { ok: true, value };
  } catch (err: unknown) {
    process.stderr.write(`bench/${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return { ok: false, skipped: false, reason: `error: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` };
  }
}

const start = loadavg();
process.stdout.write(`# Network benchmarks${quick ? ' (quick)' : ''}\n\nCommand: \`node --import tsx bench/network/run.ts${process.argv.length > 2 ? ` ${process.argv.slice(2).join(' ')}` : ''}\`\n\n`);
const root = process.getuid?.() === 0;
const results: NetworkResults = {
  proxy: await attempt('proxy', { ...(root ? {} : { skip: 'needs root: network namespaces, nftables' }), run: () => runProxyBench({ quick }), report: proxyReport }),
  ingress: await attempt('ingress', { run: () => runIngressBench({ quick, rounds: ingressRounds }), report: (r) => ingressReport(r, [...(quick ? ['--quick'] : []), ...(ingressRounds > 1 ? ['--rounds', String(ingressRounds)] : [])]) }),
  dns: await attempt('dns', { ...(existsSync(DNSMASQ) ? {} : { skip: 'dnsmasq (dnsmasq-base) not installed; scripts/setup.sh installs it' }), run: () => runDnsBench({ quick }), report: dnsReport }),
};
process.stdout.write(`${summaryTable(summaryRows(results), { start, end: loadavg() })}\n`);
if (Object.values(results).some((o: Outcome<unknown>) => !o.ok && !o.skipped)) process.exitCode = 1;
