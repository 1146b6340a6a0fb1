// The per-node pieces of `tug up`: where node k keeps its state, which addresses its services
// listen on (the agent endpoint and the ingress bind its own node address unless the user named
// one, so two clusters on one machine do not fight over a port), the `tug agent` command line of nodes 2..N, and waiting until every
// Node reports Ready in a status written since this start.
import { join } from 'node:path';
import { nodeKind, type Node } from '../api/core/v1/index.js';
import type { ApiServerInfo } from '../apiserver/index.js';
import { HttpClient } from '../client/index.js';
import type { NodeServiceOptions } from '../agent/node-services.js';
import type { NodeServiceFlags } from './node-service-flags.js';
import type { NodeSlot } from './node-netns.js';

/** Listen addresses given on the command line; unset ones bind the node's own address. */
export interface ListenOverrides {
  ingressHttp?: string;
  ingressHttps?: string;
}

/** The agent data dir of a node in its own namespace (node 1's is DIR/agent). */
export const nodeDataDir = (upDir: string, nodeName: string): string => join(upDir, 'nodes', nodeName);
export const NODES_DIR = 'nodes';

export const aborted = (signal: AbortSignal): Promise<void> =>
  new Promise((res) => (signal.aborted ? res() : signal.addEventListener('abort', () => res(), { once: true })));

/** The node's services with the agent endpoint and the ingress bound to its own address unless told otherwise. */
export function nodeServicesOn(s: NodeServiceOptions, o: ListenOverrides, nodeIP: string): NodeServiceOptions {
  const withEndpoint = { ...s, kubeletAddress: s.kubeletAddress ?? nodeIP };
  if (s.ingress === false) return withEndpoint;
  return { ...withEndpoint, ingress: { ...s.ingress, http: o.ingressHttp ?? `${nodeIP}:80`, https: o.ingressHttps ?? `${nodeIP}:443` } };
}

export interface ChildAgentArgsInput {
  up: {
    bridgeName: string;
    clusterCIDR: string;
    clusterDNS: string;
    services: NodeServiceOptions;
    listenOverrides: ListenOverrides;
    /** The node service flags a child repeats as given (the others come from `services`). */
    serviceFlags: Pick<NodeServiceFlags, 'clusterDomain' | 'dnsUpstream' | 'proxy' | 'nodeportAddresses' | 'proxyMasqueradeAll'>;
  };
  node: NodeSlot;
  serverUrl: string;
  tokenFile: string;
  dataDir: string;
}

/** `tug agent` flags for node k ≥ 2: its name, address, data dir and the cluster's network settings. */
export function childAgentArgs(i: ChildAgentArgsInput): string[] {
  const s = nodeServicesOn(i.up.services, i.up.listenOverrides, i.node.ip);
  const f = i.up.serviceFlags;
  return [
    '--server', i.serverUrl,
    '--token-file', i.tokenFile,
    '--data-dir', i.dataDir,
    '--node-name', i.node.name,
    '--node-ip', i.node.ip,
    '--bridge-name', i.up.bridgeName,
    // libcni's result cache is shared by every namespace: the network name must be the node's own.
    '--cni-network', `tugboat-${i.node.name}`,
    '--cluster-cidr', i.up.clusterCIDR,
    '--kubelet-port', String(s.kubeletPort),
    '--kubelet-address', s.kubeletAddress ?? i.node.ip,
    '--cluster-dns', i.up.clusterDNS,
    '--cluster-domain', f.clusterDomain,
    ...(f.dnsUpstream ?? []).flatMap((u) => ['--dns-upstream', u]),
    ...(s.dns === false ? ['--no-node-local-dns'] : []),
    ...(s.ingress === false ? ['--no-ingress'] : ['--ingress-http-listen', s.ingress.http, '--ingress-https-listen', s.ingress.https]),
    ...(s.ingress !== false && 'dataPlane' in s.ingress && typeof s.ingress.dataPlane === 'string' ? ['--ingress-data-plane', s.ingress.dataPlane] : []),
    ...(f.proxy === false ? ['--no-proxy'] : []),
    ...(f.nodeportAddresses ? ['--nodeport-addresses', f.nodeportAddresses.join(',')] : []),
    ...(f.proxyMasqueradeAll ? ['--proxy-masquerade-all'] : []),
  ];
}

/**
 * Polls the Nodes until each has its Ready condition True in a status written after `since` — a
 * restarted cluster's Node still says Ready from last time — saying what it waits for now and then.
 */
export async function nodesReady(info: ApiServerInfo, names: string[], o: { since: number; signal: AbortSignal; log(msg: string): void }): Promise<boolean> {
  const client = new HttpClient({ server: info.url, caCertPem: info.caCertPem, token: info.tokens.admin });
  // Condition times have whole seconds.
  const since = Math.floor(o.since / 1000) * 1000;
  let nextReport = Date.now() + 10_000;
  const pending = new Set(names);
  try {
    while (!o.signal.aborted) {
      const why: string[] = [];
      for (const name of [...pending]) {
        const node = await client.get<Node>(nodeKind, undefined, name).catch(() => undefined);
        const ready = node?.status?.conditions?.find((c) => c.type === 'Ready');
        const fresh = ready?.lastHeartbeatTime !== undefined && Date.parse(ready.lastHeartbeatTime) >= since;
        if (fresh && ready?.status === 'True') pending.delete(name);
        else why.push(`${name}: ${fresh && ready ? `${ready.reason ?? ''} ${ready.message ?? ''}`.trim() : 'not registered yet'}`);
      }
      if (pending.size === 0) return true;
      if (Date.now() > nextReport) {
        o.log(`waiting for nodes to be Ready: ${why.join('; ')}`);
        nextReport = Date.now() + 10_000;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return false;
  } finally {
    client.close();
  }
}
