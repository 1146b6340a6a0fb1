// Host-gateway routes between nodes: every other node's pod CIDR is routed via that node's
// InternalIP, in the routing table of the network namespace the agent runs in (the host for a
// machine of its own, the node's namespace under `tug up --nodes N`). Routes are replaced one by
// one with `ip route replace`, so an unchanged peer is never touched, and the set installed is
// recorded in the agent's data dir before any change, so `tug down` — in another process, maybe
// after a crash — removes exactly the routes this node added and no others.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { cidrContains, formatCidr, parseIPv4, parseIPv4Cidr, type Ipv4Cidr } from './cidr.js';
import { run } from './host.js';
import type { Peer, PeerRoutes } from './routes.js';
import { networkDir } from './state.js';

/** One installed route: destination pod CIDR via a node address. */
export interface InstalledRoute {
  dst: string;
  via: string;
}

export const peerRoutesFile = (agentDataDir: string): string => join(networkDir(agentDataDir), 'peer-routes.json');

export async function readPeerRoutes(file: string): Promise<InstalledRoute[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  if (!text) return [];
  const v = JSON.parse(text) as unknown;
  if (!Array.isArray(v)) throw new Error(`${file} is not a list of routes`);
  return (v as Partial<InstalledRoute>[]).filter((r): r is InstalledRoute => typeof r.dst === 'string' && typeof r.via === 'string');
}

async function writePeerRoutes(file: string, routes: InstalledRoute[]): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(routes, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, file);
}

const key = (r: InstalledRoute): string => `${r.dst} via ${r.via}`;

/**
 * The routes `peers` call for, seen from `self`: valid IPv4 pod CIDRs inside the cluster CIDR
 * (when given), valid non-loopback node addresses, never this node's own CIDR, one route per CIDR.
 */
export function desiredRoutes(peers: Peer[], o: { self: string; clusterCIDR?: Ipv4Cidr }): InstalledRoute[] {
  const out = new Map<string, InstalledRoute>();
  for (const p of [...peers].sort((a, b) => a.nodeName.localeCompare(b.nodeName))) {
    if (p.nodeName === o.self) continue;
    const cidr = parseIPv4Cidr(p.podCIDR);
    if (!cidr || parseIPv4(p.nodeIP) === undefined) continue;
    // A node at a loopback address (a hollow node) is no gateway: the kernel refuses such a route.
    if (p.nodeIP.startsWith('127.')) continue;
    if (o.clusterCIDR && !cidrContains(o.clusterCIDR, cidr)) continue;
    const dst = formatCidr(cidr);
    if (!out.has(dst)) out.set(dst, { dst, via: p.nodeIP });
  }
  return [...out.values()];
}

/** Removes recorded routes; a route already gone counts as removed. Resolves with those removed. */
export async function removeRoutes(routes: InstalledRoute[]): Promise<InstalledRoute[]> {
  const removed: InstalledRoute[] = [];
  for (const r of routes) {
    const res = await run('ip', ['route', 'del', r.dst, 'via', r.via]);
    if (res.code === 0) removed.push(r);
  }
  return removed;
}

export interface HostPeerRoutesOptions {
  /** Agent data dir: the record of installed routes lives under its network/ folder. */
  dataDir: string;
  nodeName: string;
  /** Only pod CIDRs inside it are routed. */
  clusterCIDR?: Ipv4Cidr;
  log?(msg: string): void;
}

export class HostPeerRoutes implements PeerRoutes {
  private readonly file: string;
  private installed: InstalledRoute[] | undefined;

  constructor(private readonly o: HostPeerRoutesOptions) {
    this.file = peerRoutesFile(o.dataDir);
  }

  async sync(peers: Peer[]): Promise<void> {
    const current = (this.installed ??= await readPeerRoutes(this.file));
    const want = desiredRoutes(peers, { self: this.o.nodeName, ...(this.o.clusterCIDR ? { clusterCIDR: this.o.clusterCIDR } : {}) });
    const wanted = new Set(want.map(key));
    const stale = current.filter((r) => !wanted.has(key(r)));
    // Record the union first: a crash part-way leaves every route we may have added on file.
    const union = [...current, ...want.filter((r) => !current.some((c) => key(c) === key(r)))];
    await writePeerRoutes(this.file, union);
    await removeRoutes(stale);
    const failures: string[] = [];
    const installed: InstalledRoute[] = [];
    for (const r of want) {
      const res = await run('ip', ['route', 'replace', r.dst, 'via', r.via]);
      if (res.code === 0) installed.push(r);
      else failures.push(`${key(r)}: ${res.stderr.trim()}`);
    }
    const added = installed.filter((r) => !current.some((c) => key(c) === key(r)));
    for (const r of added) this.o.log?.(`route to pod CIDR ${r.dst} via node ${r.via}`);
    for (const r of stale) this.o.log?.(`removed route to ${r.dst} via ${r.via}`);
    this.installed = installed;
    await writePeerRoutes(this.file, installed);
    if (failures.length > 0) throw new Error(`could not route to peer pod CIDRs: ${failures.join('; ')}`);
  }

  async clear(): Promise<void> {
    const current = this.installed ?? (await readPeerRoutes(this.file));
    await removeRoutes(current);
    this.installed = [];
    await rm(this.file, { force: true });
  }
}
