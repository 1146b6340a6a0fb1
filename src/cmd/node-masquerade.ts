// The host's half of "traffic leaving the cluster is masqueraded" on a `tug up` cluster. Each
// node's own table (agent/network/masquerade.ts) rewrites its pods' outgoing traffic to the node
// address; for nodes 2..N that address is 10.41.0.k on the node bridge, which nothing beyond
// this machine can answer. So the host masquerades what comes from the node CIDR and leaves by
// another interface towards an address outside the node CIDR and the cluster CIDR — traffic
// between nodes and to pods keeps its source, as Kubernetes networking requires. The rule lives
// in `inet tugboat-nodes-<node bridge>`, one table per cluster, replaced in one `nft -f`
// transaction and deleted by `tug down`.
import { deleteTable, formatCidr, requireIPv4Cidr, runOk, validBridgeName } from '../agent/network/index.js';

export interface NodeMasqueradeOptions {
  /** The node bridge; it also names the table, so two clusters never share one. */
  bridge: string;
  nodeCIDR: string;
  clusterCIDR: string;
}

export const nodeMasqueradeTable = (bridge: string): string => `tugboat-nodes-${bridge}`;

/** The whole table as one atomic nft script (declare, delete, re-create). */
export function nodeMasqueradeScript(o: NodeMasqueradeOptions): string {
  // A bridge name that passes this check is also a valid part of an nft identifier and string.
  if (!validBridgeName(o.bridge)) throw new Error(`invalid node bridge name ${JSON.stringify(o.bridge)}`);
  const table = nodeMasqueradeTable(o.bridge);
  const nodes = formatCidr(requireIPv4Cidr(o.nodeCIDR, '--node-cidr'));
  const pods = formatCidr(requireIPv4Cidr(o.clusterCIDR, '--cluster-cidr'));
  return [
    `table inet ${table} {}`,
    `delete table inet ${table}`,
    `table inet ${table} {`,
    `  chain postrouting {`,
    `    type nat hook postrouting priority srcnat; policy accept;`,
    `    ip saddr ${nodes} ip daddr != ${nodes} ip daddr != ${pods} oifname != "${o.bridge}" masquerade`,
    `  }`,
    `}`,
    '',
  ].join('\n');
}

export async function applyNodeMasquerade(o: NodeMasqueradeOptions): Promise<void> {
  await runOk('nft', ['-f', '-'], { input: nodeMasqueradeScript(o) });
}

/** Deletes the cluster's table if it is there; true when it was. */
export const deleteNodeMasquerade = (bridge: string): Promise<boolean> => deleteTable(nodeMasqueradeTable(bridge));
