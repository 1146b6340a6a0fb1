// One node's pod network. It waits for the pod CIDR node IPAM assigns (the kubelet hands it over
// through the runtime's UpdateRuntimeConfig, as Kubernetes does), then turns on IPv4 forwarding,
// installs the masquerade table and writes the CNI conflist into the node's own CNI conf dir,
// where containerd picks it up for the next sandbox. The network counts as ready from the moment
// the conflist exists. Routes to other nodes' pod CIDRs come in through `syncPeers` (fed by
// peer-route-sync.ts) and go to its PeerRoutes. Shutting the agent down removes the masquerade
// table and those routes; the bridge stays while pods may still run on it, and
// `teardownNodeNetwork` (tug down) removes the rest.
import { join } from 'node:path';
import { cidrContains, formatCidr, requireIPv4Cidr, type Ipv4Cidr } from './cidr.js';
import { buildConflist, conflistExists, validBridgeName, writeConflist } from './cni-config.js';
import { deleteLink, enableBridgeNetfilter, ipForwarding, setIpForwarding } from './host.js';
import { applyMasquerade, deleteTable, masqueradeTableName } from './masquerade.js';
import { existingNatTables } from './portmap-cleanup.js';
import { HostPeerRoutes } from './peer-routes.js';
import type { Peer, PeerRoutes } from './routes.js';
import { networkDir, readNetworkState, writeNetworkState, type NetworkState } from './state.js';

export const DEFAULT_BRIDGE_NAME = 'tug0';
export const DEFAULT_CLUSTER_CIDR = '10.42.0.0/16';
/** What libcni accepts as a network name. */
const CNI_NETWORK_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export interface PodNetworkOptions {
  nodeName: string;
  /** Agent data dir: the network's state file and host-local leases live under it. */
  dataDir: string;
  /** Directory containerd loads CNI configs from (this node's own). */
  cniConfDir: string;
  /** Default tug0; several nodes on one machine need one each. */
  bridgeName?: string;
  /** Every node's pod CIDR lies in it; traffic leaving it is masqueraded. Default 10.42.0.0/16. */
  clusterCIDR?: string;
  /**
   * CNI network name, also the prefix of libcni's cached results in /var/lib/cni/results, which
   * every network namespace on the machine shares; default `tugboat-<bridge>`. Nodes in their own
   * namespaces may reuse a bridge name, so they need a name of their own here.
   */
  networkName?: string;
  /** Routes to other nodes' pod CIDRs; by default `ip route` in this namespace (HostPeerRoutes). */
  peerRoutes?: PeerRoutes;
  log?(msg: string): void;
}

export class PodNetwork {
  readonly bridgeName: string;
  readonly table: string;
  readonly networkName: string;
  readonly clusterCIDR: Ipv4Cidr;
  readonly peerRoutes: PeerRoutes;
  private podCIDR: Ipv4Cidr | undefined;
  private configured = false;
  private stopped = false;
  /** Serialises configure/stop so a late podCIDR never races a shutdown. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly o: PodNetworkOptions) {
    this.bridgeName = o.bridgeName ?? DEFAULT_BRIDGE_NAME;
    if (!validBridgeName(this.bridgeName)) throw new Error(`invalid bridge name ${JSON.stringify(this.bridgeName)}: at most 15 letters, digits, '.', '_' or '-'`);
    this.table = masqueradeTableName(o.nodeName);
    this.networkName = o.networkName ?? `tugboat-${this.bridgeName}`;
    if (!CNI_NETWORK_NAME.test(this.networkName)) throw new Error(`invalid CNI network name ${JSON.stringify(this.networkName)}`);
    this.clusterCIDR = requireIPv4Cidr(o.clusterCIDR ?? DEFAULT_CLUSTER_CIDR, 'the cluster CIDR');
    this.peerRoutes = o.peerRoutes ?? new HostPeerRoutes({ dataDir: o.dataDir, nodeName: o.nodeName, clusterCIDR: this.clusterCIDR, ...(o.log ? { log: o.log } : {}) });
  }

  get ipamDataDir(): string {
    return join(networkDir(this.o.dataDir), 'ipam');
  }

  /** The pod CIDR in use, once configured. */
  get cidr(): string | undefined {
    return this.podCIDR && formatCidr(this.podCIDR);
  }

  /** True once the conflist for the node's pod CIDR is written. */
  get ready(): boolean {
    return this.configured;
  }

  /** Whether a conflist from an earlier run is already in place (a restarted agent). */
  conflistPresent(): Promise<boolean> {
    return conflistExists(this.o.cniConfDir);
  }

  /** Sets the network up for `podCIDR`; repeating it with the same CIDR re-applies everything. */
  configure(podCIDR: string): Promise<void> {
    return this.serialised(() => this.doConfigure(podCIDR));
  }

  /**
   * Makes the routes to other nodes' pod CIDRs exactly those of `peers` (from the Node informer,
   * see peer-route-sync.ts); ignored once the network has stopped, so a late sync cannot put
   * routes back after shutdown removed them.
   */
  syncPeers(peers: Peer[]): Promise<void> {
    return this.serialised(async () => {
      if (this.stopped) return;
      await this.peerRoutes.sync(peers);
    });
  }

  /** Agent shutdown: pods may outlive the agent on their bridge, but the masquerade and peer routes go. */
  stop(): Promise<void> {
    return this.serialised(async () => {
      this.configured = false;
      this.stopped = true;
      try {
        await this.peerRoutes.clear();
      } finally {
        await deleteTable(this.table);
      }
    });
  }

  private serialised(fn: () => Promise<void>): Promise<void> {
    const next = this.queue.then(fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async doConfigure(podCIDRText: string): Promise<void> {
    this.stopped = false;
    const podCIDR = requireIPv4Cidr(podCIDRText, "the node's pod CIDR");
    if (!cidrContains(this.clusterCIDR, podCIDR)) {
      throw new Error(`the node's pod CIDR ${formatCidr(podCIDR)} is outside the cluster CIDR ${formatCidr(this.clusterCIDR)} (check --cluster-cidr)`);
    }
    const previous = await readNetworkState(this.o.dataDir);
    if (previous?.podCIDR && previous.podCIDR !== formatCidr(podCIDR) && previous.bridgeName === this.bridgeName) {
      // The bridge still carries the old gateway address, which the bridge plugin refuses to replace.
      this.o.log?.(`pod CIDR changed from ${previous.podCIDR} to ${formatCidr(podCIDR)}: recreating bridge ${this.bridgeName}`);
      await deleteLink(this.bridgeName);
    }
    const state: NetworkState = {
      nodeName: this.o.nodeName,
      bridgeName: this.bridgeName,
      networkName: this.networkName,
      table: this.table,
      clusterCIDR: formatCidr(this.clusterCIDR),
      podCIDR: formatCidr(podCIDR),
      cniConfDir: this.o.cniConfDir,
      ipamDataDir: this.ipamDataDir,
      ipForwardBefore: previous?.ipForwardBefore ?? (await ipForwarding()),
      natTablesBefore: previous?.natTablesBefore ?? (await existingNatTables()),
    };
    // Recorded before anything changes on the host, so a crash part-way still leaves a trail for tug down.
    await writeNetworkState(this.o.dataDir, state);
    if (!(await ipForwarding())) await setIpForwarding(true);
    if (!(await enableBridgeNetfilter())) this.o.log?.('br_netfilter is not available: pods on this node will not reach Services backed by pods on the same bridge');
    await applyMasquerade({ table: this.table, podCIDR, clusterCIDR: this.clusterCIDR });
    await writeConflist(this.o.cniConfDir, buildConflist({ networkName: this.networkName, bridgeName: this.bridgeName, podCIDR, ipamDataDir: this.ipamDataDir }));
    this.podCIDR = podCIDR;
    this.configured = true;
    this.o.log?.(`pod network ready: ${formatCidr(podCIDR)} on bridge ${this.bridgeName}`);
  }
}
