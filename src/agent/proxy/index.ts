// Public face of the service proxy: the ServiceProxy the agent runs (one per node), the table
// name it uses, which addresses serve NodePorts, and a way to remove a node's table without a
// running proxy (`tug down`).
import { Nft, type NftOptions } from './nft.js';
import { proxyTableName } from './service-proxy.js';

export { ServiceProxy, proxyTableName, TABLE_PREFIX, DEFAULT_CLUSTER_CIDR, type ServiceProxyOptions, type SyncStats } from './service-proxy.js';
export { nodePortAddresses, parseNodePortCidrs, type LocalAddress } from './nodeport-addresses.js';
export type { CommandRunner, CommandResult } from './nft.js';

/** Deletes a node's proxy table if it exists (`tug down` after the agent is gone). */
export async function deleteProxyTable(o: { nodeName?: string; tableName?: string } & NftOptions): Promise<void> {
  const table = o.tableName ?? proxyTableName(o.nodeName ?? '');
  await new Nft(o).deleteTable(table);
}
