// The seam for routes between nodes. A single node needs none: its pods sit on its own bridge.
// With several nodes, each node routes every other node's pod CIDR to that node's InternalIP
// (host-gateway style): peer-route-sync.ts calls `sync` with the current peers from a Node
// informer whenever a Node's podCIDR or address changes, HostPeerRoutes (peer-routes.ts) is the
// implementation on `ip route`, and `PodNetwork` owns one and calls `clear` when the agent stops.

export interface Peer {
  nodeName: string;
  podCIDR: string;
  nodeIP: string;
}

export interface PeerRoutes {
  /** Makes the host's routes to other nodes' pod CIDRs exactly `peers`. */
  sync(peers: Peer[]): Promise<void>;
  /** Removes every route this node added. */
  clear(): Promise<void>;
}

/** One node on its own: nothing to route. */
export const noPeerRoutes: PeerRoutes = {
  sync: async () => undefined,
  clear: async () => undefined,
};
