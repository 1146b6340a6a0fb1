import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { runLoad } from '../bench/dns/load.js';
import * as dnsPacket from 'dns-packet';
const cpu = (pid: number): number => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8'); const x = f.slice(f.lastIndexOf(')') + 2).split(' '); return (Number(x[11]) + Number(x[12])) * 10; };
const procs: Record<string, { pid: number; port: number }> = {};
for (const [name, script] of [['echo', '.dnsbench-tmp/echo.ts'], ['echo2', '.dnsbench-tmp/echo2.ts'], ['lecho', '.dnsbench-tmp/listener-echo.ts'], ['resp', '.dnsbench-tmp/resp-server.ts']]) {
  const port = 41000 + Math.floor(Math.random() * 1000);
  const p = spawn(process.execPath, ['--import', 'tsx', script, String(port), 'lookup'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((r) => p.stdout!.once('data', r));
  procs[name] = { pid: p.pid!, port };
  process.on('exit', () => p.kill());
}
const qs = Array.from({ length: 200 }, (_, i) => dnsPacket.encode({ type: 'query', id: 0, flags: 256, questions: [{ name: `svc-${i}.bench.svc.cluster.local`, type: 'A', class: 'IN' }] }));
for (let round = 0; round < 3; round++) for (const name of ['echo2', 'lecho', 'resp']) {
  const { pid, port } = procs[name]!;
  const c0 = cpu(pid);
  const r = await runLoad({ port, queries: qs, expect: qs.map(() => ({ rcode: 0, answers: 0 })), concurrency: 16, durationMs: 2000, warmupMs: 300 });
  console.log(name, Math.round(r.qps), 'server µs/q', ((cpu(pid) - c0) * 1000 / r.queries).toFixed(1), 'p99', r.p99.toFixed(3), 'client', (r.clientCpuMs*1000/r.queries).toFixed(1));
}
process.exit(0);
