// Follows the pods of one namespace through a watch and notes, per pod, when this process first
// saw it bound (spec.nodeName set) and Running with Ready=True. Times are performance.now() of
// the event's arrival, so they include the watch's delivery delay — the same for every phase
// measured, and what a user watching `kubectl get pods -w` would see.
import { performance } from 'node:perf_hooks';
import type { HttpsClient, WatchStream } from '../api/http-client.js';

interface PodLine {
  type?: string;
  object?: {
    metadata?: { name?: string };
    spec?: { nodeName?: string };
    status?: { phase?: string; conditions?: { type?: string; status?: string }[] };
  };
}

export class PodTracker {
  readonly boundAt = new Map<string, number>();
  readonly runningAt = new Map<string, number>();
  readonly nodes = new Set<string>();
  private stream: WatchStream | undefined;
  private waiters: (() => void)[] = [];

  private constructor(private readonly namespace: string) {}

  /** Starts watching from "now" (the namespace's current resourceVersion). */
  static async start(api: HttpsClient, namespace: string): Promise<PodTracker> {
    const t = new PodTracker(namespace);
    const list = await api.expect(200, { method: 'GET', path: `/api/v1/namespaces/${namespace}/pods?limit=1` });
    const rv = (JSON.parse(list.body) as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion ?? '0';
    t.stream = await api.watch(`/api/v1/namespaces/${namespace}/pods?watch=true&resourceVersion=${rv}`, (line) => t.onLine(line));
    return t;
  }

  private onLine(line: string): void {
    if (!line.trim()) return;
    const now = performance.now();
    const e = JSON.parse(line) as PodLine;
    const name = e.object?.metadata?.name;
    if (!name || e.type === 'DELETED' || e.type === 'BOOKMARK') return;
    const node = e.object?.spec?.nodeName;
    if (node && !this.boundAt.has(name)) {
      this.boundAt.set(name, now);
      this.nodes.add(node);
    }
    const st = e.object?.status;
    if (st?.phase === 'Running' && !this.runningAt.has(name) && st.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) this.runningAt.set(name, now);
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves when `pred` holds (checked after every event), or rejects after `timeoutMs`. */
  async until(pred: () => boolean, o: { timeoutMs: number; what: string }): Promise<void> {
    const deadline = performance.now() + o.timeoutMs;
    while (!pred()) {
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`timed out after ${o.timeoutMs} ms waiting for ${o.what} in ${this.namespace}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 1000));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.stream?.close();
  }
}
