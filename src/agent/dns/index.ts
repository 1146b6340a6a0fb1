// Public face of the node-local cluster DNS: the ClusterDns component the agent starts, its
// defaults, and the node-local link helpers `tug up` / `tug down` need.
export { ClusterDns, DEFAULT_CLUSTER_DOMAIN, DEFAULT_TTL, type ClusterDnsOptions } from './cluster-dns.js';
export { ensureLocalLink, removeLocalLink, DEFAULT_LOCAL_LINK, DEFAULT_NODE_LOCAL_DNS, type LocalLinkOptions } from './local-link.js';
