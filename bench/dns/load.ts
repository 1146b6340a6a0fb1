// The DNS load generator both servers are measured with: one UDP socket keeping N queries in
// flight (closed loop: each reply sends the next query of the mix), timing each query from send
// to reply. Replies are checked from the header alone (ID, rcode, answer count) against what the
// workload expects, so checking costs almost nothing; a query without a reply within a second is
// counted as lost and replaced.
import { createSocket } from 'node:dgram';
import type { Expectation } from './workload.js';

export interface LoadOptions {
  port: number;
  queries: Buffer[];
  expect: Expectation[];
  concurrency: number;
  durationMs: number;
  warmupMs: number;
}

export interface LoadResult {
  queries: number;
  qps: number;
  p50: number;
  p99: number;
  /** Replies whose rcode or answer count differed from the expectation. */
  wrong: number;
  lost: number;
  /** CPU this process used during the measured window, ms. */
  clientCpuMs: number;
  /** Every measured latency (ms), sorted; rounds are merged from these. */
  latencies: Float64Array;
  elapsedMs: number;
  firstWrong?: string;
}

const LOST_AFTER_MS = 1000;

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  try {
    sock.setRecvBufferSize(4 << 20);
  } catch {
    // Capped by net.core.rmem_max; replies beyond it are dropped and counted as lost.
  }
  const pending = new Map<number, { t0: bigint; qi: number }>();
  let latencies = new Float64Array(1 << 20);
  let count = 0;
  let wrong = 0;
  let lost = 0;
  let firstWrong: string | undefined;
  let next = 0;
  let id = 1;
  let measuring = false;
  let stopping = false;

  const send = (): void => {
    if (stopping) return;
    const qi = next++ % o.queries.length;
    const tpl = o.queries[qi] as Buffer;
    const msg = Buffer.allocUnsafe(tpl.length);
    tpl.copy(msg);
    do id = (id + 1) & 0xffff;
    while (id === 0 || pending.has(id));
    msg.writeUInt16BE(id, 0);
    pending.set(id, { t0: process.hrtime.bigint(), qi });
    sock.send(msg, o.port, '127.0.0.1');
  };

  sock.on('message', (msg) => {
    const t1 = process.hrtime.bigint();
    if (msg.length < 12) return;
    const p = pending.get(msg.readUInt16BE(0));
    if (!p) return;
    pending.delete(msg.readUInt16BE(0));
    if (measuring) {
      if (count === latencies.length) {
        const bigger = new Float64Array(latencies.length * 2);
        bigger.set(latencies);
        latencies = bigger;
      }
      latencies[count++] = Number(t1 - p.t0) / 1e6;
      const e = o.expect[p.qi] as Expectation;
      const rcode = msg.readUInt16BE(2) & 0xf;
      const an = msg.readUInt16BE(6);
      const tc = (msg.readUInt16BE(2) & 0x0200) !== 0;
      if (rcode !== e.rcode || an < e.answers || tc) {
        wrong++;
        firstWrong ??= `query #${p.qi}: rcode ${rcode} answers ${an}${tc ? ' TC' : ''}, expected rcode ${e.rcode} answers ≥${e.answers}`;
      }
    }
    send();
  });

  const sweep = setInterval(() => {
    const now = process.hrtime.bigint();
    for (const [k, p] of pending) {
      if (Number(now - p.t0) / 1e6 > LOST_AFTER_MS) {
        pending.delete(k);
        if (measuring) lost++;
        send();
      }
    }
  }, 100);

  for (let i = 0; i < o.concurrency; i++) send();
  await new Promise((r) => setTimeout(r, o.warmupMs));
  measuring = true;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await new Promise((r) => setTimeout(r, o.durationMs));
  const elapsedMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const measured = count;
  const cpu = process.cpuUsage(cpu0);
  measuring = false;
  stopping = true;
  // Let what is in flight land before the socket closes.
  for (let i = 0; i < 20 && pending.size > 0; i++) await new Promise((r) => setTimeout(r, 50));
  clearInterval(sweep);
  await new Promise<void>((r) => sock.close(() => r()));
  const sorted = latencies.slice(0, measured).sort();
  return {
    queries: measured,
    qps: (measured / elapsedMs) * 1000,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    wrong,
    lost,
    clientCpuMs: (cpu.user + cpu.system) / 1000,
    latencies: sorted,
    elapsedMs,
    ...(firstWrong ? { firstWrong } : {}),
  };
}
