// Watches the nodes while the benchmark runs and remembers every node that stopped being Ready or
// got a NoExecute taint. On an overloaded machine hollow nodes can miss their Lease renewals; the
// node lifecycle controller then marks them NotReady and evicts their pods, and the numbers no
// longer measure scheduling alone — the report says so instead of hiding it.
import { performance } from 'node:perf_hooks';
import type { HttpsClient, WatchStream } from '../api/http-client.js';

interface NodeLine {
  type?: string;
  object?: {
    metadata?: { name?: string };
    spec?: { taints?: { key?: string; effect?: string }[] };
    status?: { conditions?: { type?: string; status?: string }[] };
  };
}

export class NodeHealth {
  readonly notReady = new Set<string>();
  readonly tainted = new Set<string>();
  private readonly startedAt = performance.now();
  private firstNotReadyAt: number | undefined;
  private stream: WatchStream | undefined;

  static async start(api: HttpsClient): Promise<NodeHealth> {
    const h = new NodeHealth();
    const list = await api.expect(200, { method: 'GET', path: '/api/v1/nodes?limit=1' });
    const rv = (JSON.parse(list.body) as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion ?? '0';
    h.stream = await api.watch(`/api/v1/nodes?watch=true&resourceVersion=${rv}`, (line) => h.onLine(line));
    return h;
  }

  private onLine(line: string): void {
    if (!line.trim()) return;
    const e = JSON.parse(line) as NodeLine;
    const name = e.object?.metadata?.name;
    if (!name || e.type === 'BOOKMARK') return;
    const ready = e.object?.status?.conditions?.find((c) => c.type === 'Ready')?.status;
    if (ready !== 'True') {
      this.notReady.add(name);
      this.firstNotReadyAt ??= performance.now();
    }
    if (e.object?.spec?.taints?.some((t) => t.effect === 'NoExecute')) this.tainted.add(name);
  }

  summary(): string {
    if (this.notReady.size === 0 && this.tainted.size === 0) return 'every node stayed Ready, none was tainted NoExecute';
    const first = this.firstNotReadyAt === undefined ? '' : ` (the first ${((this.firstNotReadyAt - this.startedAt) / 1000).toFixed(0)} s into the measurements)`;
    return `WARNING: ${this.notReady.size} node(s) were NotReady/Unknown at some point${first} and ${this.tainted.size} got a NoExecute taint (missed Lease renewals on an overloaded machine); evictions may have added work`;
  }

  close(): void {
    this.stream?.close();
  }
}
