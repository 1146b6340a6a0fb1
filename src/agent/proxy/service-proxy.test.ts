// Unit tests of the ServiceProxy sync loop with an in-memory API client and a recording command
// runner instead of nft: the first sync reads the table once and declares it; a burst of events
// coalesces into few applies carrying the latest state; events that change no rule leave the
// kernel alone; a failed transaction falls back to replacing the table; `ready` fails when the
// proxy stops before its first sync.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiObject, KindDef } from '../../api/kind.js';
import type { Client, ObjectList, WatchEvent, WatchOptions } from '../../client/index.js';
import { InformerFactory } from '../../client/index.js';
import { serviceKind } from '../../api/core/v1/index.js';
import { endpointSliceKind } from '../../api/discovery/v1/index.js';
import { ServiceProxy, type CommandResult } from './index.js';

/** Lists what it holds and streams what tests push; everything else is unused by the proxy. */
class MemoryClient {
  private rv = 1;
  private readonly objects = new Map<string, Map<string, ApiObject>>();
  private readonly watchers = new Map<string, (e: WatchEvent) => void>();

  put(kind: KindDef, obj: ApiObject, type: 'ADDED' | 'MODIFIED' | 'DELETED' = 'ADDED'): void {
    const byName = this.objects.get(kind.plural) ?? new Map<string, ApiObject>();
    this.objects.set(kind.plural, byName);
    const o = structuredClone(obj);
    o.metadata = { ...o.metadata, resourceVersion: String(++this.rv) };
    if (type === 'DELETED') byName.delete(o.metadata?.name ?? '');
    else byName.set(o.metadata?.name ?? '', o);
    this.watchers.get(kind.plural)?.({ type, object: o });
  }

  asClient(): Client {
    const unused = (): never => {
      throw new Error('not used by the proxy');
    };
    return {
      list: async <T extends ApiObject>(kind: KindDef): Promise<ObjectList<T>> => ({ metadata: { resourceVersion: String(this.rv) }, items: [...(this.objects.get(kind.plural)?.values() ?? [])] as T[] }),
      watch: <T extends ApiObject>(kind: KindDef, _ns: string | undefined, opts: WatchOptions, onEvent: (e: WatchEvent<T>) => void): Promise<void> => {
        this.watchers.set(kind.plural, onEvent as (e: WatchEvent) => void);
        return new Promise((resolve) => opts.signal.addEventListener('abort', () => resolve(), { once: true }));
      },
      get: unused,
      create: unused,
      update: unused,
      patch: unused,
      delete: unused,
      createSubresource: unused,
    };
  }
}

const svc = (labels: Record<string, string> = {}): ApiObject => ({
  metadata: { name: 'web', namespace: 'ns', labels },
  spec: { type: 'ClusterIP', clusterIP: '10.43.0.10', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
});
const slice = (port: number): ApiObject => ({
  metadata: { name: 'web-1', namespace: 'ns', labels: { 'kubernetes.io/service-name': 'web' } },
  addressType: 'IPv4',
  ports: [{ name: 'http', port, protocol: 'TCP' }],
  endpoints: [{ addresses: ['10.42.0.5'], conditions: { ready: true } }],
});

function setup(o: { failApplies?: number } = {}): { mem: MemoryClient; calls: { args: string[]; input: string }[]; logs: string[]; start(): { proxy: ServiceProxy; stop(): Promise<void> } } {
  const mem = new MemoryClient();
  const calls: { args: string[]; input: string }[] = [];
  const logs: string[] = [];
  let failures = o.failApplies ?? 0;
  const run = async (cmd: string, args: string[], ro: { input?: string } = {}): Promise<CommandResult> => {
    calls.push({ args: [cmd, ...args], input: ro.input ?? '' });
    if (cmd === 'cat') return { code: 0, stdout: '1\n', stderr: '' };
    if (args.includes('list')) return { code: 1, stdout: '', stderr: 'Error: No such file or directory' };
    if (failures > 0 && !ro.input?.startsWith('table inet')) {
      failures -= 1;
      return { code: 1, stdout: '', stderr: 'Error: Could not process rule: Device or resource busy' };
    }
    return { code: 0, stdout: '', stderr: '' };
  };
  return {
    mem,
    calls,
    logs,
    start() {
      const abort = new AbortController();
      const informers = new InformerFactory(mem.asClient());
      const proxy = new ServiceProxy({ client: mem.asClient(), informers, nodeName: 'n1', log: (m) => void logs.push(m), nodeIps: [], run, minSyncIntervalMs: 100 });
      const running = proxy.run(abort.signal);
      informers.start(abort.signal);
      return { proxy, stop: async () => (abort.abort(), await running) };
    },
  };
}

const applies = (calls: { args: string[]; input: string }[]): string[] => calls.filter((c) => c.args.includes('-f')).map((c) => c.input);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('ServiceProxy sync loop', () => {
  it('reads the table once, declares it, and coalesces a burst of changes into the latest state', async () => {
    const t = setup();
    t.mem.put(serviceKind, svc());
    t.mem.put(endpointSliceKind, slice(8000));
    const p = t.start();
    await p.proxy.ready;
    assert.equal(t.calls.filter((c) => c.args.includes('list')).length, 1, 'the existing table is read once');
    const first = applies(t.calls);
    assert.equal(first.length, 1);
    assert.match(first[0] ?? '', /10\.43\.0\.10 \. tcp \. 80 : goto svc-ns\/web\/tcp\/http/);
    assert.match(first[0] ?? '', /dnat ip to 10\.42\.0\.5:8000/);
    for (let i = 1; i <= 20; i++) t.mem.put(endpointSliceKind, slice(8000 + i), 'MODIFIED');
    for (let waited = 0; !/:8020/.test(applies(t.calls).at(-1) ?? '') && waited < 10_000; waited += 50) await sleep(50);
    await sleep(300);
    const after = applies(t.calls).slice(1);
    assert.ok(after.length >= 1 && after.length <= 3, `20 events, ${after.length} applies`);
    assert.match(after.at(-1) ?? '', /dnat ip to 10\.42\.0\.5:8020/);
    assert.match(after.at(-1) ?? '', /^flush chain inet tugboat-proxy_n1 svc-ns\/web\/tcp\/http\n/, 'later syncs change only what differs');
    assert.doesNotMatch(after.at(-1) ?? '', /flush table|service-ips/, 'unchanged objects are not rewritten');
    // A change no rule depends on does not reach the kernel.
    const before = applies(t.calls).length;
    t.mem.put(serviceKind, svc({ team: 'blue' }), 'MODIFIED');
    await sleep(300);
    assert.equal(applies(t.calls).length, before);
    assert.equal(p.proxy.stats.servicePorts, 1);
    await p.stop();
  });

  it('falls back to replacing the table when a transaction fails', async () => {
    const t = setup({ failApplies: 1 });
    t.mem.put(serviceKind, svc());
    const p = t.start();
    await p.proxy.ready;
    const scripts = applies(t.calls);
    assert.equal(scripts.length, 2);
    assert.match(scripts[1] ?? '', /^table inet tugboat-proxy_n1 \{\}\ndelete table inet tugboat-proxy_n1\n/);
    assert.ok(t.logs.some((l) => /replacing it, which resets session affinity/.test(l)));
    await p.stop();
  });

  it('rejects ready when stopped before the first sync', async () => {
    const t = setup();
    const abort = new AbortController();
    abort.abort();
    const proxy = new ServiceProxy({ client: t.mem.asClient(), informers: new InformerFactory(t.mem.asClient()), nodeName: 'n1', log: () => undefined, nodeIps: [] });
    await proxy.run(abort.signal);
    await assert.rejects(proxy.ready, /stopped before table tugboat-proxy_n1 was first synced/);
  });
});
