import * as dnsPacket from 'dns-packet';
import { readQuery } from '../src/agent/dns/wire-read.js';
const qs = Array.from({ length: 200 }, (_, i) => dnsPacket.encode({ type: 'query', id: i, flags: 256, questions: [{ name: `svc-${i}.bench.svc.cluster.local`, type: 'A', class: 'IN' }] }));
// Baseline: the per-label string version.
function perLabel(buf: Buffer): string { let name = ''; for (let off = 12; buf[off]; off += buf[off]! + 1) { const l = buf.toString('latin1', off + 1, off + 1 + buf[off]!).toLowerCase(); name = name ? `${name}.${l}` : l; } return name; }
let sink = 0;
for (let round = 0; round < 3; round++) {
  let t0 = process.hrtime.bigint(); const N = 1_000_000;
  for (let i = 0; i < N; i++) { const q = readQuery(qs[i % 200]!); sink += q ? 1 : 0; }
  const a = Number(process.hrtime.bigint() - t0) / N;
  t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) sink += perLabel(qs[i % 200]!).length;
  const b = Number(process.hrtime.bigint() - t0) / N;
  console.log('readQuery', a.toFixed(0), 'ns; per-label name only', b.toFixed(0), 'ns');
}
console.log(sink > 0);
