// The node addresses of a `tug up` cluster, kind-style without Docker: one host bridge Tugboat
// creates (`--node-bridge-name`, `--node-cidr`) carries every node address. Node 1 runs in the
// host's network namespace and takes the bridge's own address (.1); node k (k ≥ 2) gets a network
// namespace `tug-<node>` joined to the bridge by a veth pair, with address .k, a default route via
// .1, loopback up and forwarding on. The host forwards for the nodes and masquerades what they
// send beyond the machine (node-masquerade.ts). What is about to be created is recorded in
// DIR/node-network.json first, so `tug down` (or a later `tug up` on the same data dir) finds
// exactly those pieces, and a bridge or namespace this cluster did not create is never adopted or
// removed; the host's IPv4 forwarding goes back to what it was once no Tugboat table is left.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { formatIPv4, ipForwarding, requireIPv4Cidr, setIpForwarding, tablesNamed, validBridgeName, linkNames, netnsNames, run, runOk, TABLE_PREFIX } from '../agent/network/index.js';
import { applyNodeMasquerade, deleteNodeMasquerade, nodeMasqueradeTable } from './node-masquerade.js';

export const DEFAULT_NODE_BRIDGE = 'tugnodes0';
export const DEFAULT_NODE_CIDR = '10.41.0.0/24';
export const NODE_NETWORK_FILE = 'node-network.json';

export interface NodeSlot {
  name: string;
  /** 1-based; the node's address is the k-th of the node CIDR. */
  index: number;
  ip: string;
  /** Nodes 2..N: their network namespace and the host end of their veth pair. */
  netns?: string;
  veth?: string;
}

export interface NodeNetwork {
  bridge: string;
  /** Canonical node CIDR, e.g. 10.41.0.0/24. */
  cidr: string;
  prefix: number;
  nodes: NodeSlot[];
  /** Recorded by setUpNodeNetwork: the pod range the host masquerade leaves alone. */
  clusterCIDR?: string;
  /** Recorded by setUpNodeNetwork: net.ipv4.ip_forward before this cluster's first `tug up`. */
  ipForwardBefore?: boolean;
}

/** Names node k: the first keeps `--node-name`, the others `<name>-2`, `<name>-3`, … */
export const nodeNameOf = (base: string, k: number): string => (k === 1 ? base : `${base}-${k}`);

/** Host end of node k's veth: short (links have at most 15 bytes) and unique per namespace name. */
const vethOf = (netns: string): string => `tv${createHash('sha256').update(netns).digest('hex').slice(0, 10)}`;

/** Where every node of the cluster sits on the node bridge. */
export function planNodeNetwork(o: { bridge: string; cidr: string; baseName: string; nodes: number }): NodeNetwork {
  if (!validBridgeName(o.bridge)) throw new Error(`--node-bridge-name ${JSON.stringify(o.bridge)}: at most 15 letters, digits, '.', '_' or '-'`);
  const c = requireIPv4Cidr(o.cidr, '--node-cidr');
  if (c.prefix > 30 || 2 ** (32 - c.prefix) - 2 < o.nodes) throw new Error(`--node-cidr ${o.cidr} has no room for ${o.nodes} node addresses`);
  const nodes: NodeSlot[] = [];
  for (let k = 1; k <= o.nodes; k++) {
    const name = nodeNameOf(o.baseName, k);
    const ip = formatIPv4((c.base + k) >>> 0);
    const netns = k === 1 ? undefined : `tug-${name}`;
    nodes.push({ name, index: k, ip, ...(netns ? { netns, veth: vethOf(netns) } : {}) });
  }
  return { bridge: o.bridge, cidr: `${formatIPv4(c.base)}/${c.prefix}`, prefix: c.prefix, nodes };
}

export async function readNodeNetwork(dir: string): Promise<NodeNetwork | undefined> {
  const text = await readFile(join(dir, NODE_NETWORK_FILE), 'utf8').catch(() => '');
  if (!text) return undefined;
  const v = JSON.parse(text) as Partial<NodeNetwork>;
  if (typeof v.bridge !== 'string' || typeof v.cidr !== 'string' || !Array.isArray(v.nodes)) throw new Error(`${join(dir, NODE_NETWORK_FILE)} is not a Tugboat node network file`);
  return v as NodeNetwork;
}

async function writeNodeNetwork(dir: string, n: NodeNetwork): Promise<void> {
  const path = join(dir, NODE_NETWORK_FILE);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(`${path}.tmp`, `${JSON.stringify(n, null, 2)}\n`, { mode: 0o644 });
  await rename(`${path}.tmp`, path);
}

/** Runs a command inside a node's network namespace (and only that namespace). */
export const inNetns = (netns: string, cmd: string, args: string[]): string[] => ['nsenter', `--net=/run/netns/${netns}`, '--', cmd, ...args];

const nsRun = (netns: string, cmd: string, args: string[]): Promise<string> => {
  const [c, ...a] = inNetns(netns, cmd, args);
  return runOk(c ?? 'nsenter', a);
};

/** Sets a sysctl inside the namespace if the kernel has it (br_netfilter's exist only when loaded). */
async function nsSysctl(netns: string, key: string, value: string): Promise<void> {
  await run('nsenter', [`--net=/run/netns/${netns}`, '--', 'sysctl', '-q', '-w', `${key}=${value}`]);
}

async function addressesOf(link: string): Promise<string[]> {
  const r = await run('ip', ['-j', 'addr', 'show', 'dev', link]);
  if (r.code !== 0) return [];
  const doc = JSON.parse(r.stdout || '[]') as { addr_info?: { family?: string; local?: string; prefixlen?: number }[] }[];
  return doc.flatMap((l) => (l.addr_info ?? []).filter((a) => a.family === 'inet').map((a) => `${a.local ?? ''}/${a.prefixlen ?? 0}`));
}

/**
 * Creates (or, for this data dir's own earlier run, re-checks) the node bridge and each extra
 * node's namespace. Refuses a bridge or namespace of that name that this cluster did not create.
 */
export async function setUpNodeNetwork(dir: string, plan: NodeNetwork, o: { clusterCIDR: string; log(m: string): void }): Promise<void> {
  const previous = await readNodeNetwork(dir);
  if (previous && (previous.bridge !== plan.bridge || previous.cidr !== plan.cidr)) {
    throw new Error(`this cluster's nodes are on bridge ${previous.bridge} (${previous.cidr}); run tug down --data-dir ${dir} first to change --node-bridge-name or --node-cidr`);
  }
  const links = await linkNames();
  const namespaces = await netnsNames();
  const ours = new Set(previous ? [previous.bridge, ...previous.nodes.flatMap((n) => [n.veth ?? '', n.netns ?? ''])] : []);
  if (links.includes(plan.bridge) && !ours.has(plan.bridge)) throw new Error(`a link named ${plan.bridge} already exists (another cluster?); pass --node-bridge-name`);
  for (const n of plan.nodes) {
    if (n.netns && namespaces.includes(n.netns) && !ours.has(n.netns)) throw new Error(`network namespace ${n.netns} already exists (another cluster?); pass another --node-name`);
    if (n.veth && links.includes(n.veth) && !ours.has(n.veth)) throw new Error(`a link named ${n.veth} already exists`);
  }
  // Everything from earlier runs stays on record, so growing or shrinking --nodes leaves nothing behind.
  const recorded = [...plan.nodes, ...(previous?.nodes ?? []).filter((p) => !plan.nodes.some((n) => n.name === p.name))];
  const ipForwardBefore = previous?.ipForwardBefore ?? (await ipForwarding());
  await writeNodeNetwork(dir, { ...plan, nodes: recorded, clusterCIDR: o.clusterCIDR, ipForwardBefore });

  const gateway = plan.nodes[0]?.ip ?? '';
  if (!links.includes(plan.bridge)) await runOk('ip', ['link', 'add', plan.bridge, 'type', 'bridge']);
  if (!(await addressesOf(plan.bridge)).includes(`${gateway}/${plan.prefix}`)) await runOk('ip', ['addr', 'add', `${gateway}/${plan.prefix}`, 'dev', plan.bridge]);
  await runOk('ip', ['link', 'set', plan.bridge, 'up']);
  // Nodes 2..N reach beyond the machine through the host: forwarded, then masqueraded.
  if (!(await ipForwarding())) await setIpForwarding(true);
  await applyNodeMasquerade({ bridge: plan.bridge, nodeCIDR: plan.cidr, clusterCIDR: o.clusterCIDR });
  for (const n of plan.nodes) {
    if (!n.netns || !n.veth) continue;
    if (!(await netnsNames()).includes(n.netns)) await runOk('ip', ['netns', 'add', n.netns]);
    if (!(await linkNames()).includes(n.veth)) await runOk('ip', ['link', 'add', n.veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', n.netns]);
    await runOk('ip', ['link', 'set', n.veth, 'master', plan.bridge, 'up']);
    await nsRun(n.netns, 'ip', ['link', 'set', 'lo', 'up']);
    await nsRun(n.netns, 'ip', ['addr', 'replace', `${n.ip}/${plan.prefix}`, 'dev', 'eth0']);
    await nsRun(n.netns, 'ip', ['link', 'set', 'eth0', 'up']);
    await nsRun(n.netns, 'ip', ['route', 'replace', 'default', 'via', gateway]);
    await nsSysctl(n.netns, 'net.ipv4.ip_forward', '1');
    // Pods on the node's own bridge must pass nftables (Service VIPs) like on the host.
    await nsSysctl(n.netns, 'net.bridge.bridge-nf-call-iptables', '1');
    await nsSysctl(n.netns, 'net.bridge.bridge-nf-call-ip6tables', '1');
  }
  o.log(`node network: bridge ${plan.bridge} ${plan.cidr}; ${plan.nodes.map((n) => `${n.name} ${n.ip}${n.netns ? ` (netns ${n.netns})` : ''}`).join(', ')}`);
}

export interface NodeNetworkRemoval {
  netns: string[];
  links: string[];
  tables: string[];
  restoredIpForward: boolean;
}

/** Removes the namespaces, veths and bridge on record; the processes in them must be gone first. */
export async function tearDownNodeNetwork(dir: string, log: (m: string) => void): Promise<NodeNetworkRemoval | undefined> {
  const n = await readNodeNetwork(dir);
  if (!n) return undefined;
  const out: NodeNetworkRemoval = { netns: [], links: [], tables: [], restoredIpForward: false };
  for (const node of n.nodes) {
    if (node.netns && (await netnsNames()).includes(node.netns)) {
      const r = await run('ip', ['netns', 'delete', node.netns]);
      if (r.code === 0) out.netns.push(node.netns);
      else log(`could not delete network namespace ${node.netns}: ${r.stderr.trim()}`);
    }
    // Gone with its namespace unless something still holds that namespace.
    if (node.veth && (await linkNames()).includes(node.veth)) {
      await run('ip', ['link', 'delete', node.veth]);
      out.links.push(node.veth);
    }
  }
  if ((await linkNames()).includes(n.bridge)) {
    await runOk('ip', ['link', 'delete', n.bridge]);
    out.links.push(n.bridge);
  }
  if (await deleteNodeMasquerade(n.bridge)) out.tables.push(nodeMasqueradeTable(n.bridge));
  // Another cluster's (or a `tug agent`'s) table means someone on this machine still forwards.
  if (n.ipForwardBefore === false && (await tablesNamed(TABLE_PREFIX)).length === 0 && (await ipForwarding())) {
    await setIpForwarding(false);
    out.restoredIpForward = true;
  }
  await rm(join(dir, NODE_NETWORK_FILE), { force: true });
  return out;
}
