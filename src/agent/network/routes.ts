// The seam for routes between nodes (issue #5). A single node needs none: its pods sit on its own
// bridge. With several nodes, each node must route every other node's pod CIDR to that node's
// InternalIP; an implementation of `PeerRoutes` will do so from a Node informer, calling `sync`
// with the current peers whenever a Node's podCIDR or address changes, and `clear` on teardown.
// `PodNetwork` owns one and calls `clear` when the node's network is removed.

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
