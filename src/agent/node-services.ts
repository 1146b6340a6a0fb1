// The per-machine services a real node runs next to its kubelet: the agent's HTTPS endpoint
// (logs, exec, attach, port-forward, reached through the API server), the Service proxy
// (nftables), the node-local cluster DNS server, and the ingress controller. Hollow nodes run
// none of them. Each is optional so tests and small setups can turn one off.
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { Node, Pod } from '../api/core/v1/index.js';
import { InformerFactory, type Client, type Informer } from '../client/index.js';
import type { Runtime } from './cri/index.js';
import { ClusterDns } from './dns/index.js';
import { IngressController, type DataPlaneName } from './ingress/index.js';
import { nodePortAddresses, ServiceProxy } from './proxy/index.js';
import { KubeletServer } from './server/index.js';

export interface NodeServiceOptions {
  /** The agent endpoint's port (`--kubelet-port`); 0 picks a free one. */
  kubeletPort: number;
  /**
   * The address it binds (`--kubelet-address`): unset is every address, as the kubelet's
   * `--address` defaults to; `tug up` binds each node's own address, so two clusters on one
   * machine can both use the default port.
   */
  kubeletAddress?: string;
  /** Cluster DNS: where it listens (`ip:port`) and the cluster domain; false turns it off. */
  dns: false | { listen: string; clusterDomain: string; upstreams?: string[]; localLink?: string };
  /** Ingress: HTTP and HTTPS listen addresses and the data plane (default nginx); false turns it off. */
  ingress: false | { http: string; https: string; dataPlane?: DataPlaneName };
  /** The Service proxy; false turns it off (`--no-proxy`). */
  proxy?: false | ProxySettings;
}

export interface ProxySettings {
  /** IPv4 CIDRs whose local addresses serve NodePorts; unset = the node IP. */
  nodePortCIDRs?: string[];
  /** Masquerade every connection to a cluster IP, pods' too. */
  masqueradeAll: boolean;
  /** The cluster's pod CIDR: other sources reaching cluster IPs are masqueraded. */
  clusterCIDR?: string;
}

export interface NodeServiceDeps {
  client: Client;
  nodeName: string;
  nodeIP: string;
  caCertPem: string;
  dataDir: string;
  pods: Informer<Pod>;
  nodes: Informer<Node>;
  runtime: Runtime;
  log(msg: string): void;
}

export class NodeServices {
  readonly server: KubeletServer;
  private readonly informers: InformerFactory;
  private readonly dns: ClusterDns | undefined;
  private readonly ingress: IngressController | undefined;
  private readonly proxy: ServiceProxy | undefined;

  constructor(
    private readonly d: NodeServiceDeps,
    o: NodeServiceOptions,
  ) {
    this.server = new KubeletServer({
      port: o.kubeletPort,
      host: o.kubeletAddress ?? '0.0.0.0',
      clientCaPem: d.caCertPem,
      certDir: join(d.dataDir, 'tls'),
      names: [d.nodeIP],
      getPod: (ns, name) => d.pods.store.get(ns, name),
      runtimeFor: (node) => (node === d.nodeName ? d.runtime : undefined),
      log: d.log,
    });
    this.informers = new InformerFactory(d.client, { onError: (e) => d.log(`informer: ${String(e)}`) });
    const base = { client: d.client, informers: this.informers, nodeName: d.nodeName, log: d.log };
    this.dns = o.dns
      ? new ClusterDns({
          ...base,
          listenAddresses: [o.dns.listen],
          clusterDomain: o.dns.clusterDomain,
          ...(o.dns.upstreams?.length ? { upstreams: o.dns.upstreams } : {}),
          ...(o.dns.localLink ? { localLink: o.dns.localLink } : {}),
        })
      : undefined;
    this.proxy = o.proxy ? this.newProxy(base, o.proxy) : undefined;
    this.ingress = o.ingress
      ? new IngressController({ ...base, httpListen: o.ingress.http, httpsListen: o.ingress.https, nodeIp: d.nodeIP, dataPlane: o.ingress.dataPlane ?? 'nginx', stateDir: join(d.dataDir, 'ingress'), ...(o.dns ? { nameservers: [o.dns.listen] } : {}) })
      : undefined;
  }

  /** Starts the agent endpoint and resolves with its port (the kubelet publishes it in node status). */
  async startServer(signal: AbortSignal): Promise<number> {
    this.server.start(signal).catch((e: unknown) => this.d.log(`agent endpoint stopped: ${String(e)}`));
    return (await this.server.ready).port;
  }

  /** Runs the proxy, DNS and ingress until the signal aborts; a service that fails is logged, not fatal. */
  async run(signal: AbortSignal): Promise<void> {
    const runs: Promise<void>[] = [];
    // The table stays when the agent stops (Services keep working); `tug down` deletes it.
    if (this.proxy) runs.push(this.proxy.run(signal).catch((e: unknown) => this.d.log(`service proxy stopped: ${String(e)}`)));
    if (this.dns) runs.push(this.dns.run(signal).catch((e: unknown) => this.d.log(`cluster DNS stopped: ${String(e)}`)));
    if (this.ingress) runs.push(this.ingress.run(signal).catch((e: unknown) => this.d.log(`ingress stopped: ${String(e)}`)));
    this.informers.start(signal);
    await Promise.all(runs);
  }

  private newProxy(base: { client: Client; informers: InformerFactory; nodeName: string; log(msg: string): void }, p: ProxySettings): ServiceProxy {
    const interfaces = Object.values(networkInterfaces()).flatMap((list) => list ?? []);
    const ports = nodePortAddresses({ ...(p.nodePortCIDRs ? { cidrs: p.nodePortCIDRs } : {}), nodeIPs: [this.d.nodeIP], interfaces });
    if (ports.unmatched) this.d.log(`proxy: no local address lies in --nodeport-addresses ${(p.nodePortCIDRs ?? []).join(',')}; serving NodePorts on ${this.d.nodeIP}`);
    return new ServiceProxy({
      ...base,
      nodeIps: ports.addresses,
      masqueradeAll: p.masqueradeAll,
      ...(p.clusterCIDR ? { clusterCIDR: p.clusterCIDR } : {}),
    });
  }
}
