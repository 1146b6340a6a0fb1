// Which containerds `tug image` talks to. A `--data-dir` is either one node's agent data dir (its
// socket is DIR/containerd/containerd.sock) or a `tug up` data dir, which stands for every node of
// that cluster: node 1 in DIR/agent and nodes 2..N in DIR/nodes/<node>. The extra nodes run in
// network namespaces of their own, but a containerd socket is a file, so the host reaches all of
// them through the filesystem. `--address` names one socket directly.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { nodeEndpoint } from '../agent/cri/index.js';
import { readNodeNetwork } from './node-netns.js';
import { NODES_DIR } from './up-nodes.js';

export interface ImageTarget {
  /** Node name when known (a `tug up` cluster), else the socket path. */
  name: string;
  /** `unix:///…/containerd.sock` */
  endpoint: string;
}

export interface TargetFlags {
  address: string[];
  dataDir: string[];
}

const socketOf = (endpoint: string): string => endpoint.replace(/^unix:\/\//, '');
const isDir = (p: string): boolean => statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;

/** One agent data dir as a target, named by its socket. */
function agentTarget(dir: string, name?: string): ImageTarget {
  const endpoint = nodeEndpoint({ dataDir: dir });
  return { name: name ?? socketOf(endpoint), endpoint };
}

/** A `tug up` data dir has node 1 under agent/ and the others under nodes/; an agent dir has neither. */
function isClusterDir(dir: string): boolean {
  if (existsSync(socketOf(nodeEndpoint({ dataDir: dir })))) return false;
  return isDir(join(dir, 'agent')) || isDir(join(dir, NODES_DIR));
}

/** Every node of a `tug up` cluster, node 1 first, then the others in the order `tug up` made them. */
async function clusterTargets(dir: string): Promise<ImageTarget[]> {
  const recorded = (await readNodeNetwork(dir).catch(() => undefined))?.nodes ?? [];
  const order = (name: string): number => {
    const i = recorded.findIndex((n) => n.name === name);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  const out: ImageTarget[] = [];
  if (isDir(join(dir, 'agent'))) out.push(agentTarget(join(dir, 'agent'), recorded[0]?.name ?? 'node 1'));
  const others = isDir(join(dir, NODES_DIR)) ? readdirSync(join(dir, NODES_DIR)).filter((n) => isDir(join(dir, NODES_DIR, n))) : [];
  others.sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  for (const name of others) out.push(agentTarget(join(dir, NODES_DIR, name), name));
  return out;
}

/** The targets the flags name; `defaultDir` when they name none. */
export async function imageTargets(o: TargetFlags, defaultDir: string): Promise<ImageTarget[]> {
  const out: ImageTarget[] = o.address.map((a) => {
    const endpoint = a.startsWith('unix://') ? a : `unix://${resolve(a)}`;
    return { name: socketOf(endpoint), endpoint };
  });
  const dirs = o.dataDir.length > 0 || out.length > 0 ? o.dataDir.map((d) => resolve(d)) : [defaultDir];
  for (const dir of dirs) out.push(...(isClusterDir(dir) ? await clusterTargets(dir) : [agentTarget(dir)]));
  return out;
}

/** Whether the node's containerd socket exists (a node whose agent is not running has none). */
export const hasSocket = (t: ImageTarget): boolean => existsSync(socketOf(t.endpoint));
