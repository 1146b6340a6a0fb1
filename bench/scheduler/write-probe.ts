// Measures how long the API server takes to answer a small write while the benchmark loads it:
// once a second, on a connection of its own, the bench renews a Lease of its own in
// kube-node-lease, as a kubelet does. If renewals of the hollow nodes are late, this tells whether
// the server answers every writer late (its own queue) or only the agent's requests wait (the
// agent's connections) — the cause of the NotReady storm of earlier runs (docs/benchmarks.md).
import { performance } from 'node:perf_hooks';
import { HttpsClient, type ServerAccess } from '../api/http-client.js';

const PATH = '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases';
const DEFAULT_NAME = 'bench-write-probe';

interface ProbeLease {
  metadata?: { resourceVersion?: string };
}

export class WriteProbe {
  private readonly client: HttpsClient;
  private readonly latencies: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private failures = 0;
  private label = '';

  private constructor(access: ServerAccess) {
    this.client = new HttpsClient(access, { maxSockets: 1 });
  }

  static async start(access: ServerAccess, log: (m: string) => void, o: { name?: string; label?: string } = {}): Promise<WriteProbe> {
    const p = new WriteProbe(access);
    const NAME = o.name ?? DEFAULT_NAME;
    p.label = o.label ?? 'the bench';
    const body = (rv?: string): unknown => ({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: NAME, namespace: 'kube-node-lease', ...(rv ? { resourceVersion: rv } : {}) },
      spec: { holderIdentity: NAME, leaseDurationSeconds: 40, renewTime: new Date().toISOString().replace(/Z$/, '000Z') },
    });
    const created = await p.client.expect(201, { method: 'POST', path: PATH, body: body() });
    let rv = (JSON.parse(created.body) as ProbeLease).metadata?.resourceVersion;
    const tick = (): void => {
      const t0 = performance.now();
      p.client
        .request({ method: 'PUT', path: `${PATH}/${NAME}`, body: body(rv) })
        .then((r) => {
          const ms = performance.now() - t0;
          if (r.status !== 200) {
            p.failures++;
            rv = undefined;
          } else {
            rv = (JSON.parse(r.body) as ProbeLease).metadata?.resourceVersion;
            p.latencies.push(ms);
            if (ms > 5_000) log(`write probe (${p.label}): a Lease renewal took ${(ms / 1000).toFixed(1)} s`);
          }
        })
        .catch(() => void p.failures++)
        .finally(() => {
          if (!p.stopped) p.timer = setTimeout(tick, 1_000);
        });
    };
    tick();
    return p;
  }

  summary(): string {
    const s = [...this.latencies].sort((a, b) => a - b);
    const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
    const fail = this.failures > 0 ? `, ${this.failures} failed` : '';
    return `a Lease written by ${this.label} once a second on a connection of its own took p50 ${at(0.5).toFixed(0)} ms, p99 ${at(0.99).toFixed(0)} ms, max ${(s[s.length - 1] ?? 0).toFixed(0)} ms (${s.length} writes${fail})`;
  }

  close(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.client.close();
  }
}
