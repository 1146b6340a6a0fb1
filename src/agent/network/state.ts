// What a node's network put on the host, recorded in the agent's data dir as it is created, so
// that `tug down` (possibly after a crash, in another process) removes exactly that: the bridge,
// the nftables table, the CNI network's cached results, and the IPv4 forwarding setting and nat
// tables as they were before the first agent changed them.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface NetworkState {
  nodeName: string;
  bridgeName: string;
  networkName: string;
  table: string;
  clusterCIDR: string;
  podCIDR?: string;
  cniConfDir: string;
  ipamDataDir: string;
  /** net.ipv4.ip_forward before this node first configured its network. */
  ipForwardBefore?: boolean;
  /** nft nat tables (`ip nat`, `ip6 nat`) that existed before then; portmap creates them otherwise. */
  natTablesBefore?: string[];
}

/** Where the node network keeps its files inside an agent data dir. */
export const networkDir = (agentDataDir: string): string => join(agentDataDir, 'network');
export const stateFile = (agentDataDir: string): string => join(networkDir(agentDataDir), 'state.json');

export async function readNetworkState(agentDataDir: string): Promise<NetworkState | undefined> {
  let text: string;
  try {
    text = await readFile(stateFile(agentDataDir), 'utf8');
  } catch {
    return undefined;
  }
  const v = JSON.parse(text) as Partial<NetworkState>;
  if (typeof v.bridgeName !== 'string' || typeof v.table !== 'string' || typeof v.networkName !== 'string') {
    throw new Error(`${stateFile(agentDataDir)} is not a Tugboat network state file`);
  }
  return v as NetworkState;
}

export async function writeNetworkState(agentDataDir: string, s: NetworkState): Promise<void> {
  const path = stateFile(agentDataDir);
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(s, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, path);
}
