// Service proxy benchmark CLI (needs root): ClusterIP vs straight to the pod IP in a network
// namespace topology, and rule-sync time for 1,000 Services with 10,000 endpoints. The bench
// itself is bench/proxy/bench.ts (also run by bench/network); this prints its markdown report.
//   node --import tsx bench/proxy/run.ts          # full run (about 10 minutes)
//   node --import tsx bench/proxy/run.ts --quick  # a few seconds; proves the bench works
import { parseArgs } from 'node:util';
import { proxyReport, runProxyBench } from './bench.js';

const { values: args } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });

try {
  const result = await runProxyBench({ quick: args.quick === true });
  process.stdout.write(`${proxyReport(result)}\n`);
} catch (err: unknown) {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
}
