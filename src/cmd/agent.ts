// `tug agent`: joins this machine (or, with --hollow-nodes, many simulated nodes) to a server as
// kubelets. The node token (DATA_DIR/node-token on the server) authenticates the agent and pins
// the server's CA unless --ca-file names it. With the containerd runtime (real nodes) the agent
// first starts its own containerd and pod network (real-node.ts), keeps routes to the other
// nodes' pod CIDRs via their InternalIPs from a Node informer, and stops containerd after the
// kubelet. Runs until SIGINT/SIGTERM.
import { Command, InvalidArgumentError } from 'commander';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { Agent, DEFAULT_HOLLOW_PREFIX, isRuntimeName, joinCredentials, type RuntimeName } from '../agent/index.js';
import { DEFAULT_BRIDGE_NAME, DEFAULT_CLUSTER_CIDR, runPeerRouteSync } from '../agent/network/index.js';
import { HttpClient } from '../client/index.js';
import { startRealNode, type RealNode } from './real-node.js';
import { shutdownSignal } from './signals.js';
import { addNodeServiceFlags, nodeServiceOptions, type NodeServiceFlags } from './node-service-flags.js';

interface AgentFlags extends NodeServiceFlags {
  server: string;
  tokenFile: string;
  dataDir: string;
  nodeName?: string;
  runtime: string;
  hollowNodes?: number;
  caFile?: string;
  nodeIp?: string;
  capacity?: Record<string, string>;
  events: boolean;
  containerRuntimeEndpoint?: string;
  cniConfDir?: string;
  cniBinDir?: string;
  bridgeName: string;
  cniNetwork?: string;
  clusterCidr: string;
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}


function capacityList(v: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of v.split(',').filter(Boolean)) {
    const [k, q] = part.split('=');
    if (!k || !q) throw new InvalidArgumentError(`expected resource=quantity, got "${part}"`);
    out[k.trim()] = q.trim();
  }
  return out;
}

export function agentCommand(): Command {
  const cmd = new Command('agent')
    .description('run a node agent (kubelet) that joins a tug server')
    .requiredOption('--server <url>', 'URL of the API server, e.g. https://10.0.0.1:6443')
    .requiredOption('--token-file <file>', "file holding the server's node token (DATA_DIR/node-token on the server)")
    .option('--data-dir <dir>', 'where the agent keeps its state', '/var/lib/tugboat/agent')
    .option('--node-name <name>', `node name (default: host name); with --hollow-nodes the name prefix (default: ${DEFAULT_HOLLOW_PREFIX})`)
    .option('--runtime <runtime>', 'container runtime: containerd or fake (in-memory, for hollow nodes)', 'containerd')
    .option('--hollow-nodes <n>', 'run N simulated nodes in this process (needs --runtime fake)', positiveInt)
    .option('--ca-file <file>', "the server's CA certificate (default: pinned from the CA hash in the token)")
    .option('--node-ip <ip>', "InternalIP to report for this node; other nodes route this node's pod CIDR to it (default: this machine's primary address)")
    .option('--capacity <list>', 'capacity of fake nodes, e.g. cpu=4,memory=16Gi,pods=110', capacityList)
    .option('--no-events', 'do not record pod events (lighter scale tests)')
    .option('--container-runtime-endpoint <endpoint>', 'use this containerd (unix:///path/containerd.sock) instead of starting one')
    .option('--cni-conf-dir <dir>', "with --container-runtime-endpoint: the CNI conf dir that containerd reads (default /etc/cni/net.d)")
    .option('--cni-bin-dir <dir>', 'where the CNI plugins are (default /usr/lib/cni)')
    .option('--bridge-name <name>', "the node's pod bridge (one per node on a machine)", DEFAULT_BRIDGE_NAME)
    .option('--cni-network <name>', 'CNI network name, unique on the machine (default: tugboat-<bridge name>)')
    .option('--cluster-cidr <cidr>', 'the range every pod CIDR comes from; traffic leaving it is masqueraded', DEFAULT_CLUSTER_CIDR)
  ;
  return addNodeServiceFlags(cmd).action(async (o: AgentFlags) => {
      if (!isRuntimeName(o.runtime)) throw new InvalidArgumentError(`unknown runtime "${o.runtime}" (containerd or fake)`);
      const runtime: RuntimeName = o.runtime;
      const signal = shutdownSignal();
      const log = (m: string): void => void process.stderr.write(`${new Date().toISOString()} ${m}\n`);
      if (runtime === 'containerd' && o.hollowNodes !== undefined) throw new InvalidArgumentError('--hollow-nodes needs --runtime fake');
      const creds = await joinCredentials({ server: o.server, tokenFile: resolve(o.tokenFile), ...(o.caFile ? { caFile: resolve(o.caFile) } : {}) });
      const nodeName = o.nodeName ?? hostname().toLowerCase();
      const node: RealNode | undefined =
        runtime === 'containerd'
          ? await startRealNode({
              dataDir: resolve(o.dataDir),
              nodeName,
              bridgeName: o.bridgeName,
              ...(o.cniNetwork ? { networkName: o.cniNetwork } : {}),
              clusterCIDR: o.clusterCidr,
              log,
              ...(o.containerRuntimeEndpoint ? { containerRuntimeEndpoint: o.containerRuntimeEndpoint } : {}),
              ...(o.cniConfDir ? { cniConfDir: resolve(o.cniConfDir) } : {}),
              ...(o.cniBinDir ? { cniBinDir: resolve(o.cniBinDir) } : {}),
            })
          : undefined;
      const agent = new Agent({
        server: o.server,
        token: creds.token,
        caCertPem: creds.caCertPem,
        runtime,
        dataDir: resolve(o.dataDir),
        events: o.events,
        log,
        ...(o.nodeName ? { nodeName: o.nodeName } : {}),
        ...(o.hollowNodes !== undefined ? { hollowNodes: o.hollowNodes } : {}),
        ...(o.nodeIp ? { nodeIP: o.nodeIp } : {}),
        ...(o.capacity ? { capacity: o.capacity } : {}),
        ...(node ? { makeRuntime: () => node.runtime, nodeName } : {}),
        clusterDNS: [o.clusterDns],
        ...(runtime === 'containerd' ? { services: nodeServiceOptions(o) } : {}),
      });
    // Timers are unref'd; this keeps the process alive until we are told to stop.
      const keepAlive = setInterval(() => undefined, 1 << 30);
      const done = agent.start(signal);
      // Routes to the other nodes' pod CIDRs, kept up to date from the Node objects.
      const routesClient = node ? new HttpClient({ server: o.server, caCertPem: creds.caCertPem, token: creds.token }) : undefined;
      const routesAbort = new AbortController();
      const routes = node && routesClient ? runPeerRouteSync({ client: routesClient, network: node.network, log }, AbortSignal.any([signal, routesAbort.signal])).catch((e: unknown) => log(`peer routes stopped: ${String(e)}`)) : Promise.resolve();
      agent.ready.then(
        () => log(`agent ready: ${agent.kubelets.length} node(s) registered with ${o.server}`),
        () => undefined,
      );
      try {
        await done;
      } finally {
        routesAbort.abort();
        await routes;
        routesClient?.close();
        clearInterval(keepAlive);
        // containerd goes after the kubelet; the pods keep running under their shims.
        await node?.stop();
      }
    });
}
