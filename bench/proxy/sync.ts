// Rule-sync time of the proxy at scale: N Services with M endpoints each go through the same
// steps a ServiceProxy sync takes (model from the objects, ruleset, transaction script, one
// `nft -f`): a full sync into an absent table, partial syncs after single-endpoint changes (what
// a running proxy does), and full rewrites of the existing table (what it does at start-up, on
// its periodic resync and after a failure). Runs in the bench's node namespace, on a table and
// addresses of its own, and deletes the table afterwards.
import { performance } from 'node:perf_hooks';
import type { Service } from '../../src/api/core/v1/index.js';
import type { EndpointSlice } from '../../src/api/discovery/v1/index.js';
import { buildModel } from '../../src/agent/proxy/model.js';
import { renderRuleset, type NftObject } from '../../src/agent/proxy/ruleset.js';
import { diffScript, syncScript, type ExistingObjects } from '../../src/agent/proxy/script.js';
import { Nft } from '../../src/agent/proxy/nft.js';

const TABLE = 'tugboat-proxy-bench-sync';

export interface SyncResult {
  services: number;
  endpoints: number;
  chains: number;
  scriptKiB: number;
  first: { renderMs: number; applyMs: number };
  /** Total (render + apply) of each partial sync after a one-endpoint change. */
  changes: number[];
  /** Total of each full rewrite of the existing table after a one-endpoint change. */
  full: number[];
  renderMs: number[];
}

const ip = (base: number, i: number): string => `${base}.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

function objects(services: number, perService: number, generation: Map<number, number>): { services: Service[]; slices: EndpointSlice[] } {
  const svcs: Service[] = [];
  const slices: EndpointSlice[] = [];
  for (let s = 0; s < services; s++) {
    const name = `svc-${s}`;
    svcs.push({ metadata: { name, namespace: 'bench' }, spec: { type: 'ClusterIP', clusterIP: ip(10, (96 << 16) + s), ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } });
    const gen = generation.get(s) ?? 0;
    slices.push({
      metadata: { name: `${name}-1`, namespace: 'bench', labels: { 'kubernetes.io/service-name': name } },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080 + gen, protocol: 'TCP' }],
      endpoints: Array.from({ length: perService }, (_, e) => ({ addresses: [ip(10, (200 << 16) + s * perService + e)], nodeName: 'bench-node', conditions: { ready: true } })),
    });
  }
  return { services: svcs, slices };
}

const names = (objs: readonly NftObject[]): ExistingObjects => ({
  chains: new Set(objs.filter((o) => o.kind === 'chain').map((o) => o.name)),
  sets: new Set(objs.filter((o) => o.kind === 'set').map((o) => o.name)),
  maps: new Set(objs.filter((o) => o.kind === 'map').map((o) => o.name)),
});

export async function measureSync(o: { netns: string; services: number; endpointsPerService: number; changes: number }): Promise<SyncResult> {
  const nft = new Nft({ netns: o.netns });
  const generation = new Map<number, number>();
  const render = (): { objs: NftObject[]; ms: number } => {
    // The objects stand for the informer caches: building them is not part of a sync.
    const { services, slices } = objects(o.services, o.endpointsPerService, generation);
    const t0 = performance.now();
    const objs = renderRuleset(buildModel({ services, slices, nodeName: 'bench-node' }), { nodeIps: ['10.250.0.1'], clusterCIDR: '10.200.0.0/16', masqueradeAll: false });
    return { objs, ms: performance.now() - t0 };
  };
  await nft.deleteTable(TABLE);
  try {
    let { objs, ms } = render();
    const script = syncScript({ table: TABLE, objects: objs, existing: undefined });
    const t1 = performance.now();
    await nft.apply(script);
    const first = { renderMs: ms, applyMs: performance.now() - t1 };
    const changes: number[] = [];
    const full: number[] = [];
    const renderMs: number[] = [];
    const change = async (i: number, mode: 'partial' | 'full'): Promise<number> => {
      const t0 = performance.now();
      // One Service's endpoints move to another port, as after a rolling update.
      const s = (i * 7919) % o.services;
      generation.set(s, (generation.get(s) ?? 0) + 1);
      const previous = objs;
      ({ objs, ms } = render());
      renderMs.push(ms);
      const script = mode === 'partial' ? diffScript({ table: TABLE, objects: objs, previous }) : syncScript({ table: TABLE, objects: objs, existing: names(previous) });
      if (!script) throw new Error('a one-endpoint change rendered no partial script');
      await nft.apply(script);
      return performance.now() - t0;
    };
    for (let i = 0; i < o.changes; i++) changes.push(await change(i, 'partial'));
    for (let i = 0; i < Math.max(2, Math.ceil(o.changes / 3)); i++) full.push(await change(o.changes + i, 'full'));
    return {
      services: o.services,
      endpoints: o.services * o.endpointsPerService,
      chains: objs.filter((x) => x.kind === 'chain').length,
      scriptKiB: Math.round(script.length / 1024),
      first,
      changes,
      full,
      renderMs,
    };
  } finally {
    await nft.deleteTable(TABLE);
  }
}
