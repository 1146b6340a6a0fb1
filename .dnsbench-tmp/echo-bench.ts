import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { runLoad } from '../bench/dns/load.js';
import * as dnsPacket from 'dns-packet';
const cpu = (pid: number): number => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8'); const x = f.slice(f.lastIndexOf(')') + 2).split(' '); return (Number(x[11]) + Number(x[12])) * 10; };
for (const mode of ['plain', 'lookup']) {
  const port = 40000 + Math.floor(Math.random() * 1000);
  const p = spawn(process.execPath, ['--import', 'tsx', '.dnsbench-tmp/echo.ts', String(port), mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((r) => p.stdout!.once('data', r));
  const q = dnsPacket.encode({ type: 'query', id: 0, questions: [{ name: 'svc-1.bench.svc.cluster.local', type: 'A', class: 'IN' }] });
  for (const c of [1, 16]) {
    const c0 = cpu(p.pid!);
    const r = await runLoad({ port, queries: [q], expect: [{ rcode: 0, answers: 0 }], concurrency: c, durationMs: 2000, warmupMs: 500 });
    console.log(mode, c, Math.round(r.qps), 'server µs/q', ((cpu(p.pid!) - c0) * 1000 / r.queries).toFixed(1), 'p99', r.p99.toFixed(3));
  }
  p.kill();
}
