// Ingress data-plane benchmark CLI: Tugboat's ingress controller (its nginx data plane) against
// nginx configured by hand as a reverse proxy to the same endpoints, plus the backend direct; the
// bench itself is bench/ingress/bench.ts (also run by bench/network). Prints markdown tables and
// the ratio against the target (≥ 0.9× of nginx by hand, issue #5).
// Run: node --import tsx bench/ingress/run.ts [--quick] [--node] [--duration MS] [--connections 1,16,64] [--rounds N]
// (BENCH_PROXY_PROF=DIR also writes the controller process's CPU profile there).
import { runIngressBench } from './bench.js';
import { ingressReport } from './report.js';

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const duration = flag('--duration');
const connections = flag('--connections');
const rounds = flag('--rounds');

const result = await runIngressBench({
  quick: argv.includes('--quick'),
  node: argv.includes('--node'),
  ...(duration ? { durationMs: Number(duration) } : {}),
  ...(connections ? { connections: connections.split(',').map(Number) } : {}),
  ...(rounds ? { rounds: Number(rounds) } : {}),
});
process.stdout.write(`${ingressReport(result, argv)}\n`);
