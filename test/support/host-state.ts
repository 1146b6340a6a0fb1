// What a `tug up` cluster puts on the host, read before it starts and after `tug down`, so an
// end-to-end test can show that nothing of this cluster is left: network namespaces (`ip netns`),
// links (`ip -o link`), routes (`ip route`), nftables tables (`nft list tables`) and libcni's
// result cache. Other clusters may run on the machine at the same time, so `leftovers` reports
// only what names this cluster (its bridges, veths, node and pod namespaces, CIDRs, node names).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from '../../src/agent/network/index.js';
import type { TugUp } from './tug-up.js';

const CNI_CACHE = '/var/lib/cni/results';

export interface HostState {
  netns: string[];
  links: string[];
  routes: string[];
  tables: string[];
}

const lines = (s: string): string[] => s.split('\n').map((l) => l.trim()).filter(Boolean);
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export async function hostState(): Promise<HostState> {
  const netns = lines((await run('ip', ['netns', 'list'])).stdout).map((l) => l.split(/\s+/)[0] ?? '');
  const links = lines((await run('ip', ['-o', 'link'])).stdout).map((l) => (l.split(':')[1] ?? '').trim().split('@')[0] ?? '');
  const routes = lines((await run('ip', ['route'])).stdout);
  const tables = lines((await run('nft', ['list', 'tables'])).stdout);
  return { netns, links, routes, tables };
}

/** Pod network namespaces named in libcni's cache entries of the given CNI networks. */
export async function podNetnsOf(networks: string[]): Promise<{ files: string[]; netns: string[] }> {
  const files = (await readdir(CNI_CACHE).catch(() => [] as string[])).filter((f) => networks.some((n) => new RegExp(`^${escape(n)}-[0-9a-f]{64}-`).test(f)));
  const netns = new Set<string>();
  for (const f of files) {
    const text = await readFile(join(CNI_CACHE, f), 'utf8').catch(() => '{}');
    const doc = JSON.parse(text) as { result?: { interfaces?: { sandbox?: string }[] } };
    for (const i of doc.result?.interfaces ?? []) if (i.sandbox) netns.add(i.sandbox.split('/').pop() ?? '');
  }
  return { files, netns: [...netns] };
}

/** What a running cluster owns that `tug down` must remove, read while it still runs. */
export interface ClusterTraces {
  /** CNI network names of every node (libcni cache entries are prefixed with them). */
  networks: string[];
  /** The pods' network namespaces found in the CNI cache. */
  podNetns: string[];
  /** Host ends of the node veths, from DIR/node-network.json. */
  veths: string[];
}

export async function clusterTraces(c: TugUp): Promise<ClusterTraces> {
  const networks = [`tugboat-${c.bridge}`, ...c.nodes.slice(1).map((n) => `tugboat-${n}`)];
  const pods = await podNetnsOf(networks);
  const nodeNet = JSON.parse(await readFile(join(c.dir, 'node-network.json'), 'utf8')) as { nodes: { veth?: string }[] };
  return { networks, podNetns: pods.netns, veths: nodeNet.nodes.flatMap((n) => (n.veth ? [n.veth] : [])) };
}

/** Everything in `now` that belongs to the cluster, by kind; all empty when `tug down` left no trace. */
export async function leftovers(c: TugUp, t: ClusterTraces, now: HostState): Promise<HostState & { cniCache: string[] }> {
  const ourNetns = [...c.nodes.slice(1).map((n) => `tug-${n}`), ...t.podNetns];
  const ourLinks = [c.nodeBridge, c.bridge, ...t.veths];
  const nodePrefix = c.nodeCidr.split('.').slice(0, 3).join('.') + '.';
  const podPrefix = c.cidr.split('.').slice(0, 2).join('.') + '.';
  return {
    netns: now.netns.filter((n) => ourNetns.includes(n)),
    links: now.links.filter((l) => ourLinks.includes(l)),
    routes: now.routes.filter((r) => r.includes(nodePrefix) || r.startsWith(podPrefix)),
    // Masquerade `tugboat-<node>`, Service proxy `tugboat-proxy_<node>`: every table naming a node of
    // this cluster; the host's masquerade for the node addresses, `tugboat-nodes-<node bridge>`.
    tables: now.tables.filter((x) => c.nodes.some((n) => new RegExp(`[-_]${escape(n)}$`).test(x)) || x.endsWith(` tugboat-nodes-${c.nodeBridge}`)),
    cniCache: (await podNetnsOf(t.networks)).files,
  };
}
