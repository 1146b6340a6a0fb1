// The one-off measurements behind the size targets: filling the server with many
// ConfigMaps, one unpaged list of them all (beside the same range read on raw etcd), and many
// watchers all waiting for one write — how long until the last of them has the event.
import { performance } from 'node:perf_hooks';
import type { Etcd3 } from 'etcd3';
import type { HttpsClient, WatchStream } from './http-client.js';
import { fill } from './load.js';
import { summarize, type Summary } from './stats.js';
import { configMap, ensureNamespace, resourceVersionOf } from './targets.js';

const PAYLOAD = 'y'.repeat(200);

export async function loadConfigMaps(api: HttpsClient, o: { namespace: string; count: number }): Promise<{ perSec: number }> {
  await ensureNamespace(api, o.namespace);
  const t0 = performance.now();
  await fill(o.count, 32, async (i) => {
    await api.expect(201, { method: 'POST', path: `/api/v1/namespaces/${o.namespace}/configmaps`, body: configMap(`big-${i}`, { payload: PAYLOAD }) });
  });
  return { perSec: (o.count * 1000) / (performance.now() - t0) };
}

/** Sequential unpaged lists of the namespace; the body must hold every object. */
export async function listLatency(api: HttpsClient, o: { namespace: string; count: number; repeats: number }): Promise<Summary & { bytes: number }> {
  const latencies: number[] = [];
  let bytes = 0;
  const t0 = performance.now();
  for (let i = 0; i < o.repeats; i++) {
    const t = performance.now();
    const r = await api.expect(200, { method: 'GET', path: `/api/v1/namespaces/${o.namespace}/configmaps` });
    latencies.push(performance.now() - t);
    bytes = r.body.length;
    if (i === 0) {
      // The namespace also holds what the control plane puts in every namespace (kube-root-ca.crt).
      const items = (JSON.parse(r.body) as { items?: { metadata?: { name?: string } }[] }).items ?? [];
      const ours = items.filter((i) => i.metadata?.name?.startsWith('big-')).length;
      if (ours !== o.count) throw new Error(`list returned ${ours} of the benchmark's ConfigMaps, expected ${o.count}`);
    }
  }
  return { ...summarize(latencies, { elapsedMs: performance.now() - t0 }), bytes };
}

/** The floor for the big list: one range read of as many keys of the same size on raw etcd. */
export async function etcdRangeLatency(etcd: Etcd3, o: { count: number; repeats: number }): Promise<Summary> {
  const prefix = '/bench-floor/big/';
  const value = JSON.stringify({
    ...configMap('big-0000', { payload: PAYLOAD }),
    metadata: { name: 'big-0000', namespace: 'bench-big', uid: '3f1c2b1e-6a55-4c3e-9d0e-4a8f3f1b2c3d', resourceVersion: '12345', creationTimestamp: '2026-01-01T00:00:00Z', labels: { app: 'bench' } },
  });
  await fill(o.count, 32, async (i) => void (await etcd.put(`${prefix}${i}`).value(value)));
  const latencies: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < o.repeats; i++) {
    const t = performance.now();
    const kvs = await etcd.getAll().prefix(prefix).buffers();
    latencies.push(performance.now() - t);
    if (Object.keys(kvs).length !== o.count) throw new Error('floor range short');
  }
  return summarize(latencies, { elapsedMs: performance.now() - t0 });
}

export interface FanoutResult {
  /** Per round: from the write's response to the last watcher's receipt. */
  last: Summary;
  /** Every watcher's receipt in every round, from the same write response. */
  each: Summary;
  watchers: number;
}

/**
 * Opens `watchers` watches on one namespace, then in each round patches one ConfigMap and waits
 * until every watcher has the event. Receipts before the write's response count as zero.
 */
export async function fanout(api: HttpsClient, o: { watchers: number; rounds: number; namespace: string }): Promise<FanoutResult> {
  await ensureNamespace(api, o.namespace);
  const created = await api.expect(201, { method: 'POST', path: `/api/v1/namespaces/${o.namespace}/configmaps`, body: configMap('fan', { round: '-1' }) });
  const rv = resourceVersionOf(created.body);
  let round = -1;
  let receipts: number[] = [];
  let allIn: () => void = () => undefined;
  const onLine = (line: string): void => {
    const m = /"round":"(-?\d+)"/.exec(line);
    if (m && Number(m[1]) === round) {
      receipts.push(performance.now());
      if (receipts.length === o.watchers) allIn();
    }
  };
  const streams: WatchStream[] = [];
  for (let i = 0; i < o.watchers; i += 100) {
    const batch = Math.min(100, o.watchers - i);
    streams.push(...(await Promise.all(Array.from({ length: batch }, () => api.watch(`/api/v1/namespaces/${o.namespace}/configmaps?watch=1&resourceVersion=${rv}`, onLine)))));
  }
  const last: number[] = [];
  const each: number[] = [];
  try {
    // Round 0 is a warm-up that also proves every watch is registered before timing starts.
    for (let r = 0; r <= o.rounds; r++) {
      round = r;
      receipts = [];
      const everyone = new Promise<void>((res) => (allIn = res));
      await api.expect(200, {
        method: 'PATCH',
        path: `/api/v1/namespaces/${o.namespace}/configmaps/fan`,
        body: { data: { round: String(r) } },
        contentType: 'application/merge-patch+json',
      });
      const responded = performance.now();
      const timer = new Promise<void>((res) => setTimeout(res, 10_000).unref());
      await Promise.race([everyone, timer]);
      if (receipts.length < o.watchers) throw new Error(`round ${r}: only ${receipts.length} of ${o.watchers} watchers got the event within 10 s`);
      if (r === 0) continue;
      const lat = receipts.map((t) => Math.max(0, t - responded));
      last.push(Math.max(...lat));
      each.push(...lat);
      await new Promise((res) => setTimeout(res, 20));
    }
  } finally {
    for (const s of streams) s.close();
  }
  return { last: summarize(last, { elapsedMs: 0 }), each: summarize(each, { elapsedMs: 0 }), watchers: o.watchers };
}
