// Flags for a real node's own services, shared by `tug agent` and `tug up`: the agent's HTTPS
// endpoint port, the Service proxy, the node-local cluster DNS (address also given to pods), and
// the ingress controller's listen addresses.
import { Command, InvalidArgumentError } from 'commander';
import { isIP } from 'node:net';
import { DEFAULT_CLUSTER_DOMAIN, DEFAULT_LOCAL_LINK, DEFAULT_NODE_LOCAL_DNS } from '../agent/dns/index.js';
import { DATA_PLANES, type DataPlaneName } from '../agent/ingress/index.js';
import { DEFAULT_KUBELET_PORT } from '../agent/server/index.js';
import { parseNodePortCidrs } from '../agent/proxy/index.js';
import type { NodeServiceOptions } from '../agent/node-services.js';

export interface NodeServiceFlags {
  kubeletPort?: number;
  kubeletAddress?: string;
  clusterDns: string;
  clusterDomain: string;
  dnsUpstream?: string[];
  /** false with --no-cluster-dns. */
  nodeLocalDns: boolean;
  ingressHttpListen: string;
  ingressHttpsListen: string;
  /** false with --no-ingress. */
  ingress: boolean;
  ingressDataPlane?: DataPlaneName;
  /** false with --no-proxy. */
  proxy: boolean;
  nodeportAddresses?: string[];
  proxyMasqueradeAll?: boolean;
  /** The command's own `--cluster-cidr` (both `tug agent` and `tug up` have it): the proxy masquerades sources outside it. */
  clusterCidr?: string;
}

function port(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number');
  return n;
}

function cidrList(v: string): string[] {
  try {
    return parseNodePortCidrs(v);
  } catch (err) {
    throw new InvalidArgumentError(err instanceof Error ? err.message : String(err));
  }
}

function ipAddress(v: string): string {
  if (isIP(v) === 0) throw new InvalidArgumentError('must be an IP address');
  return v;
}

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

function dataPlane(v: string): DataPlaneName {
  const plane = DATA_PLANES.find((p) => p === v);
  if (!plane) throw new InvalidArgumentError(`must be one of ${DATA_PLANES.join(', ')}`);
  return plane;
}

export function addNodeServiceFlags(cmd: Command): Command {
  return cmd
    .option('--kubelet-port <port>', "the node agent's HTTPS port for logs and exec (0 picks a free one)", port)
    .option('--kubelet-address <ip>', "address the node agent's HTTPS endpoint binds (tug agent: all addresses; tug up: each node's own)", ipAddress)
    .option('--cluster-dns <ip>', 'node-local cluster DNS address, also given to pods', DEFAULT_NODE_LOCAL_DNS)
    .option('--cluster-domain <domain>', 'the cluster DNS domain', DEFAULT_CLUSTER_DOMAIN)
    .option('--dns-upstream <ip[:port]>', 'resolver for names outside the cluster (repeatable; default: /etc/resolv.conf)', collect)
    .option('--no-node-local-dns', 'do not run the node-local DNS server (pods still get --cluster-dns)')
    .option('--ingress-http-listen <addr>', 'ingress HTTP listen address; empty turns HTTP off', ':80')
    .option('--ingress-https-listen <addr>', 'ingress HTTPS listen address; empty turns HTTPS off', ':443')
    .option('--no-ingress', 'do not run the ingress controller')
    .option('--ingress-data-plane <plane>', "what serves Ingress traffic: nginx (Debian's nginx and libnginx-mod-http-lua, run by the agent) or node (in the agent process)", dataPlane, 'nginx')
    .option('--no-proxy', 'do not run the Service proxy (no nftables rules for ClusterIP, NodePort, LoadBalancer)')
    .option('--nodeport-addresses <cidr,...>', "serve NodePorts on the local addresses in these IPv4 CIDRs (default: the node's IP; 0.0.0.0/0 for all)", cidrList)
    .option('--proxy-masquerade-all', "source-NAT every connection to a Service's cluster IP, pods' too");
}

export function nodeServiceOptions(f: NodeServiceFlags): NodeServiceOptions {
  return {
    kubeletPort: f.kubeletPort ?? DEFAULT_KUBELET_PORT,
    ...(f.kubeletAddress ? { kubeletAddress: f.kubeletAddress } : {}),
    dns: f.nodeLocalDns
      ? { listen: `${f.clusterDns}:53`, clusterDomain: f.clusterDomain, localLink: DEFAULT_LOCAL_LINK, ...(f.dnsUpstream ? { upstreams: f.dnsUpstream } : {}) }
      : false,
    ingress: f.ingress ? { http: f.ingressHttpListen, https: f.ingressHttpsListen, dataPlane: f.ingressDataPlane ?? 'nginx' } : false,
    proxy: f.proxy
      ? { masqueradeAll: f.proxyMasqueradeAll ?? false, ...(f.nodeportAddresses ? { nodePortCIDRs: f.nodeportAddresses } : {}), ...(f.clusterCidr ? { clusterCIDR: f.clusterCidr } : {}) }
      : false,
  };
}
