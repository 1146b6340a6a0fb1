// Public face of the node network: the PodNetwork (conflist, masquerade, forwarding for the
// node's pod CIDR), the runtime decorator that feeds it the CIDR the kubelet receives, the
// teardown `tug down` uses, and routes between nodes (the PeerRoutes seam, its `ip route`
// implementation and the Node-informer sync that feeds it).
export { PodNetwork, DEFAULT_BRIDGE_NAME, DEFAULT_CLUSTER_CIDR, type PodNetworkOptions } from './pod-network.js';
export { withPodNetwork, withNetworkCondition, NETWORK_NOT_READY_REASON } from './network-runtime.js';
export { teardownNodeNetwork, leftoverNetns, CNI_CACHE_DIR, type TeardownReport, type TeardownOptions } from './teardown.js';
export { readNetworkState, networkDir, type NetworkState } from './state.js';
export { buildConflist, validBridgeName, CONFLIST_FILE, type Conflist } from './cni-config.js';
export { masqueradeScript, masqueradeTableName, deleteTable, tablesNamed, TABLE_PREFIX } from './masquerade.js';
export { parseIPv4, formatIPv4, parseIPv4Cidr, requireIPv4Cidr, formatCidr, cidrContains, type Ipv4Cidr } from './cidr.js';
export { linkNames, netnsNames, ipForwarding, setIpForwarding, deleteLink, run, runOk, type RunResult } from './host.js';
export { noPeerRoutes, type PeerRoutes, type Peer } from './routes.js';
export { HostPeerRoutes, desiredRoutes, readPeerRoutes, peerRoutesFile, type InstalledRoute } from './peer-routes.js';
export { runPeerRouteSync, peersOf, type PeerRouteTarget } from './peer-route-sync.js';
