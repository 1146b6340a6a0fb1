// The two things the matrix measures, behind one small interface: the Tugboat API over raw HTTPS,
// and the floor, raw etcd through the `etcd3` client. Each maps the same five workloads (create,
// get, list of 100, update, watch) to its own primitives — POST/GET/LIST/PUT/watch for the API,
// put/get/range/put/watch for etcd — so their numbers can be divided.
import { performance } from 'node:perf_hooks';
import type { Etcd3 } from 'etcd3';
import type { HttpsClient } from './http-client.js';
import type { Op } from './load.js';
import { closedLoop } from './load.js';
import { summarize, type Summary } from './stats.js';

export type OpName = 'create' | 'get' | 'list' | 'update';

export interface WatchLoad {
  watchers: number;
  writers: number;
  durationMs: number;
  warmupMs: number;
}

export interface Target {
  prepare(o: { maxConcurrency: number }): Promise<void>;
  op(name: OpName): Op;
  /** Event delivery: throughput summed over watchers; latency from a write's send to receipt. */
  watch(o: WatchLoad): Promise<Summary>;
}

export const READ_SET = 100;
const PAYLOAD = 'x'.repeat(200);
const SEQ = /"seq":"(\d+)"/;

export const configMap = (name: string, data: Record<string, string>): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels: { app: 'bench' } },
  data,
});

/**
 * Shared driver for the watch workload: writers stamp a sequence number into each write and
 * remember when they sent it; every receipt of that number by a watcher is one sample.
 */
async function measureWatch(
  o: WatchLoad,
  openWatchers: (onLine: (line: string) => void) => Promise<() => void>,
  write: (writer: number, seq: number) => Promise<void>,
): Promise<Summary> {
  const sent = new Map<number, number>();
  const latencies: number[] = [];
  let window = { from: Number.POSITIVE_INFINITY, to: Number.POSITIVE_INFINITY };
  let expected = 0;
  const onLine = (line: string): void => {
    const now = performance.now();
    const m = SEQ.exec(line);
    const t = m ? sent.get(Number(m[1])) : undefined;
    if (t !== undefined && t >= window.from && t < window.to) latencies.push(now - t);
  };
  const closeAll = await openWatchers(onLine);
  let seq = 0;
  try {
    const start = performance.now();
    window = { from: start + o.warmupMs, to: start + o.warmupMs + o.durationMs };
    const writes = await closedLoop(
      async (w) => {
        const s = seq++;
        const t = performance.now();
        sent.set(s, t);
        if (t >= window.from && t < window.to) expected += o.watchers;
        await write(w, s);
      },
      { concurrency: o.writers, durationMs: o.durationMs, warmupMs: o.warmupMs },
    );
    const deadline = performance.now() + 5000;
    while (latencies.length < expected && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const missing = expected - latencies.length;
    const firstError = writes.firstError ?? (missing > 0 ? `${missing} of ${expected} events not delivered within 5 s` : undefined);
    return summarize(latencies, { elapsedMs: o.durationMs, errors: writes.errors + Math.max(0, missing), ...(firstError ? { firstError } : {}) });
  } finally {
    closeAll();
  }
}

export class ApiTarget implements Target {
  private created = 0;
  private readonly rvs: string[] = [];

  constructor(private readonly api: HttpsClient) {}

  async prepare(o: { maxConcurrency: number }): Promise<void> {
    for (const ns of ['bench-create', 'bench-read', 'bench-update', 'bench-watch']) await ensureNamespace(this.api, ns);
    for (let i = 0; i < READ_SET; i++) await this.create('bench-read', `r-${i}`);
    for (let w = 0; w < o.maxConcurrency; w++) this.rvs.push(await this.create('bench-update', `u-${w}`));
    for (let w = 0; w < o.maxConcurrency; w++) await this.create('bench-watch', `w-${w}`);
  }

  private async create(ns: string, name: string): Promise<string> {
    const r = await this.api.expect(201, { method: 'POST', path: `/api/v1/namespaces/${ns}/configmaps`, body: configMap(name, { payload: PAYLOAD }) });
    return resourceVersionOf(r.body);
  }

  op(name: OpName): Op {
    switch (name) {
      case 'create':
        return async () => void (await this.create('bench-create', `c-${this.created++}`));
      case 'get':
        return async (w, seq) => void (await this.api.expect(200, { method: 'GET', path: `/api/v1/namespaces/bench-read/configmaps/r-${(w * 7 + seq) % READ_SET}` }));
      case 'list':
        return async () => void (await this.api.expect(200, { method: 'GET', path: '/api/v1/namespaces/bench-read/configmaps' }));
      case 'update':
        return async (w, seq) => {
          const body = configMap(`u-${w}`, { payload: PAYLOAD, seq: String(seq) });
          (body.metadata as Record<string, unknown>).resourceVersion = this.rvs[w];
          const r = await this.api.expect(200, { method: 'PUT', path: `/api/v1/namespaces/bench-update/configmaps/u-${w}`, body });
          this.rvs[w] = resourceVersionOf(r.body);
        };
    }
  }

  async watch(o: WatchLoad): Promise<Summary> {
    const list = await this.api.expect(200, { method: 'GET', path: '/api/v1/namespaces/bench-watch/configmaps?limit=1' });
    const rv = resourceVersionOf(list.body);
    return measureWatch(
      o,
      async (onLine) => {
        const streams = await Promise.all(
          Array.from({ length: o.watchers }, () => this.api.watch(`/api/v1/namespaces/bench-watch/configmaps?watch=1&resourceVersion=${rv}`, onLine)),
        );
        return () => streams.forEach((s) => s.close());
      },
      async (w, seq) =>
        void (await this.api.expect(200, {
          method: 'PATCH',
          path: `/api/v1/namespaces/bench-watch/configmaps/w-${w}`,
          body: { data: { seq: String(seq) } },
          contentType: 'application/merge-patch+json',
        })),
    );
  }
}

export class EtcdFloor implements Target {
  private created = 0;
  /** A stored ConfigMap as the API server would write it, so values are the same size. */
  private readonly value = JSON.stringify({
    ...configMap('floor-object-name', { payload: PAYLOAD }),
    metadata: { name: 'floor-object-name', namespace: 'bench-create', uid: '3f1c2b1e-6a55-4c3e-9d0e-4a8f3f1b2c3d', creationTimestamp: '2026-01-01T00:00:00Z', labels: { app: 'bench' } },
  });

  constructor(
    private readonly etcd: Etcd3,
    private readonly prefix = '/bench-floor/',
  ) {}

  async prepare(o: { maxConcurrency: number }): Promise<void> {
    for (let i = 0; i < READ_SET; i++) await this.etcd.put(`${this.prefix}read/${i}`).value(this.value);
    for (let w = 0; w < o.maxConcurrency; w++) await this.etcd.put(`${this.prefix}update/${w}`).value(this.value);
  }

  op(name: OpName): Op {
    const p = this.prefix;
    switch (name) {
      case 'create':
        return async () => void (await this.etcd.put(`${p}create/${this.created++}`).value(this.value));
      case 'get':
        return async (w, seq) => {
          if ((await this.etcd.get(`${p}read/${(w * 7 + seq) % READ_SET}`).buffer()) === null) throw new Error('floor key missing');
        };
      case 'list':
        return async () => {
          const all = await this.etcd.getAll().prefix(`${p}read/`).buffers();
          if (Object.keys(all).length !== READ_SET) throw new Error('floor range short');
        };
      case 'update':
        return async (w, seq) => void (await this.etcd.put(`${p}update/${w}`).value(`${this.value.slice(0, -1)},"seq":"${seq}"}`));
    }
  }

  async watch(o: WatchLoad): Promise<Summary> {
    const p = `${this.prefix}watch/`;
    return measureWatch(
      o,
      async (onLine) => {
        const watchers = await Promise.all(Array.from({ length: o.watchers }, () => this.etcd.watch().prefix(p).create()));
        for (const w of watchers) w.on('put', (kv) => onLine(kv.value.toString()));
        return () => watchers.forEach((w) => void w.cancel().catch(() => undefined));
      },
      async (w, seq) => void (await this.etcd.put(`${p}${w}`).value(`{"seq":"${seq}"}`)),
    );
  }
}

export function resourceVersionOf(body: string): string {
  const parsed = JSON.parse(body) as { metadata?: { resourceVersion?: string } };
  const rv = parsed.metadata?.resourceVersion;
  if (!rv) throw new Error(`no resourceVersion in ${body.slice(0, 200)}`);
  return rv;
}

export async function ensureNamespace(api: HttpsClient, name: string): Promise<void> {
  const r = await api.request({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
  if (r.status !== 201 && r.status !== 409) throw new Error(`creating namespace ${name}: ${r.status} ${r.body.slice(0, 200)}`);
}
