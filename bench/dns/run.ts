// DNS benchmark CLI: Tugboat's cluster DNS against dnsmasq serving the same records, queries/s,
// p50/p99 latency and CPU per query at N queries in flight, and the ratio ours ÷ dnsmasq. The
// bench itself is bench/dns/bench.ts (also run by bench/network).
//   node --import tsx bench/dns/run.ts            # full run (about 1.5 minutes)
//   node --import tsx bench/dns/run.ts --quick    # a few seconds; proves the bench works
//   node --import tsx bench/dns/run.ts --cpu-prof DIR   # also writes our server's .cpuprofile
import { parseArgs } from 'node:util';
import { runDnsBench } from './bench.js';
import { dnsReport } from './report.js';

const { values: args } = parseArgs({ options: { quick: { type: 'boolean', default: false }, 'cpu-prof': { type: 'string' } } });

try {
  const cpuProfDir = args['cpu-prof'];
  const result = await runDnsBench({ quick: args.quick === true, ...(cpuProfDir ? { cpuProfDir } : {}) });
  process.stdout.write(`${dnsReport(result)}\n`);
} catch (err: unknown) {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
}
