// Removes what a node's network put on the host, from the state file it recorded (so it works in
// a later process, after a crash): network namespaces of pods still listed in libcni's result
// cache for this node's network, its routes to other nodes' pod CIDRs, the bridge, the masquerade table, portmap's shared nat chains
// once no hostPort is left, the cached CNI results, the conflist and host-local leases, and IPv4
// forwarding as it was before — unless another Tugboat node on this machine still has its table,
// and so may still need forwarding. Stopping the pods' containers first is the caller's job (a
// namespace a process still holds outlives its name).
import { readdir, readFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { removeConflist } from './cni-config.js';
import { deleteLink, netnsNames, run, setIpForwarding } from './host.js';
import { deleteTable, tablesNamed, TABLE_PREFIX } from './masquerade.js';
import { peerRoutesFile, readPeerRoutes, removeRoutes } from './peer-routes.js';
import { removePortmapSkeleton } from './portmap-cleanup.js';
import { networkDir, readNetworkState, type NetworkState } from './state.js';

/** Where libcni (inside containerd) caches each ADD result: `<network>-<container>-<ifname>`. */
export const CNI_CACHE_DIR = '/var/lib/cni/results';
const NETNS_DIR = '/var/run/netns';

export interface TeardownReport {
  netns: string[];
  links: string[];
  tables: string[];
  /** Routes to other nodes' pod CIDRs, `dst via node-ip`. */
  routes: string[];
  /** portmap's shared nat chains and tables, once no hostPort is left on the machine. */
  portmap: string[];
  cacheEntries: number;
  restoredIpForward: boolean;
}

/** Container-side netns paths named in one cached CNI result (`interfaces[].sandbox`). */
export function sandboxesOfCachedResult(text: string): string[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return [];
  }
  const result = (doc as { result?: { interfaces?: { sandbox?: unknown }[] } }).result;
  const out = new Set<string>();
  for (const i of result?.interfaces ?? []) if (typeof i.sandbox === 'string' && i.sandbox) out.add(i.sandbox);
  return [...out];
}

/** containerd's CRI brings each sandbox's loopback up as a network of its own, cached under this name. */
const LOOPBACK_NETWORK = 'cni-loopback';

/**
 * Cached result files of one CNI network, plus the loopback entries of the same containers
 * (`<network>-<container id>-<ifname>`; container ids are 64 hex digits).
 */
export async function cachedResults(networkName: string, cacheDir = CNI_CACHE_DIR): Promise<string[]> {
  const names = await readdir(cacheDir).catch(() => [] as string[]);
  // `tugboat-node-<id>-eth0` must not count as the network `tugboat-node-2`'s, nor the reverse.
  const idOf = (n: string, network: string): string | undefined => (n.startsWith(`${network}-`) ? /^-([0-9a-f]{64})-[^-]+$/.exec(n.slice(network.length))?.[1] : undefined);
  const ours = names.filter((n) => idOf(n, networkName) !== undefined);
  const ids = new Set(ours.map((n) => idOf(n, networkName)).filter((id): id is string => Boolean(id)));
  const loopbacks = names.filter((n) => ids.has(/^-([0-9a-f]{64})-/.exec(n.slice(LOOPBACK_NETWORK.length))?.[1] ?? '') && n.startsWith(`${LOOPBACK_NETWORK}-`));
  return [...ours, ...loopbacks].map((n) => join(cacheDir, n));
}

/** Network namespaces of this node's pods that are still around. */
export async function leftoverNetns(state: NetworkState, cacheDir = CNI_CACHE_DIR): Promise<string[]> {
  const present = new Set(await netnsNames());
  const out = new Set<string>();
  for (const file of await cachedResults(state.networkName, cacheDir)) {
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const path of sandboxesOfCachedResult(text)) {
      const name = basename(path);
      if (path.startsWith(`${NETNS_DIR}/`) || path.startsWith('/run/netns/')) if (present.has(name)) out.add(name);
    }
  }
  return [...out];
}

export interface TeardownOptions {
  log?(msg: string): void;
  cacheDir?: string;
  /**
   * False when the namespace the node ran in is gone and this runs elsewhere: only what every
   * namespace shares (pod namespaces' names, CNI cache, files) is removed, never links, routes,
   * tables or sysctls of the namespace this process is in. Default true.
   */
  ownNamespace?: boolean;
}

export async function teardownNodeNetwork(agentDataDir: string, o: TeardownOptions = {}): Promise<TeardownReport | undefined> {
  const state = await readNetworkState(agentDataDir);
  if (!state) {
    // Peer routes can come before the pod CIDR (and so the state file).
    if (o.ownNamespace !== false) await removeRoutes(await readPeerRoutes(peerRoutesFile(agentDataDir)));
    await rm(networkDir(agentDataDir), { recursive: true, force: true });
    return undefined;
  }
  const log = o.log ?? ((): void => undefined);
  const report: TeardownReport = { netns: [], links: [], tables: [], routes: [], portmap: [], cacheEntries: 0, restoredIpForward: false };
  for (const ns of await leftoverNetns(state, o.cacheDir)) {
    const r = await run('ip', ['netns', 'delete', ns]);
    if (r.code === 0) report.netns.push(ns);
    else log(`could not delete network namespace ${ns}: ${r.stderr.trim()}`);
  }
  if (o.ownNamespace !== false) await teardownOwnNamespace(agentDataDir, state, report);
  const cached = await cachedResults(state.networkName, o.cacheDir);
  await Promise.all(cached.map((f) => rm(f, { force: true })));
  report.cacheEntries = cached.length;
  await removeConflist(state.cniConfDir);
  await rm(state.ipamDataDir, { recursive: true, force: true });
  await rm(networkDir(agentDataDir), { recursive: true, force: true });
  return report;
}

/** The pieces that live in the node's own network namespace: routes, bridge, tables, forwarding. */
async function teardownOwnNamespace(agentDataDir: string, state: NetworkState, report: TeardownReport): Promise<void> {
  const routes = await removeRoutes(await readPeerRoutes(peerRoutesFile(agentDataDir)));
  report.routes = routes.map((r) => `${r.dst} via ${r.via}`);
  if (await deleteLink(state.bridgeName)) report.links.push(state.bridgeName);
  if (await deleteTable(state.table)) report.tables.push(state.table);
  // Unknown (an older state file): treat the nat tables as the host's own and keep them.
  report.portmap = await removePortmapSkeleton({ preexisting: state.natTablesBefore ?? ['ip nat', 'ip6 nat'] });
  if (state.ipForwardBefore === false && (await tablesNamed(TABLE_PREFIX)).length === 0) {
    await setIpForwarding(false);
    report.restoredIpForward = true;
  }
}
