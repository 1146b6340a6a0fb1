// The node's masquerade rule: traffic from this node's pods to anything outside the cluster CIDR
// leaves with the node's address, while pod-to-pod traffic (on this node or, via routes, on
// others) keeps the pod's source address, as Kubernetes networking requires. It lives in an
// nftables table of its own, `inet tugboat-<node>`, replaced as a whole in one `nft -f`
// transaction (declare, delete, re-create) so there is never a moment without the rule or with
// two copies; removing the node's network deletes just that table.
import { formatCidr, type Ipv4Cidr } from './cidr.js';
import { run, runOk } from './host.js';

export const TABLE_PREFIX = 'tugboat-';

/** nft identifiers: a letter first, then letters, digits, '-', '_', '.', '/'. */
const NFT_NAME = /^[A-Za-z][A-Za-z0-9_.\-/]{0,250}$/;

export function masqueradeTableName(nodeName: string): string {
  const name = `${TABLE_PREFIX}${nodeName}`;
  if (!NFT_NAME.test(name)) throw new Error(`node name ${JSON.stringify(nodeName)} cannot name an nftables table`);
  return name;
}

export interface MasqueradeOptions {
  table: string;
  podCIDR: Ipv4Cidr;
  clusterCIDR: Ipv4Cidr;
}

/** The whole table as one atomic nft script. */
export function masqueradeScript(o: MasqueradeOptions): string {
  if (!NFT_NAME.test(o.table)) throw new Error(`invalid nftables table name ${JSON.stringify(o.table)}`);
  return [
    `table inet ${o.table} {}`,
    `delete table inet ${o.table}`,
    `table inet ${o.table} {`,
    `  chain postrouting {`,
    `    type nat hook postrouting priority srcnat; policy accept;`,
    `    ip saddr ${formatCidr(o.podCIDR)} ip daddr != ${formatCidr(o.clusterCIDR)} masquerade`,
    `  }`,
    `}`,
    '',
  ].join('\n');
}

export async function applyMasquerade(o: MasqueradeOptions): Promise<void> {
  await runOk('nft', ['-f', '-'], { input: masqueradeScript(o) });
}

/** Deletes an inet table if it exists; true when it was there. */
export async function deleteTable(table: string): Promise<boolean> {
  if (!NFT_NAME.test(table)) throw new Error(`invalid nftables table name ${JSON.stringify(table)}`);
  if (!(await tablesNamed(TABLE_PREFIX)).includes(table)) return false;
  await runOk('nft', ['delete', 'table', 'inet', table]);
  return true;
}

/** inet tables whose name starts with `prefix`. */
export async function tablesNamed(prefix: string): Promise<string[]> {
  const r = await run('nft', ['-j', 'list', 'tables', 'inet']);
  if (r.code !== 0) return [];
  const doc = JSON.parse(r.stdout || '{}') as { nftables?: { table?: { name?: string } }[] };
  return (doc.nftables ?? []).map((e) => e.table?.name ?? '').filter((n) => n.startsWith(prefix));
}
