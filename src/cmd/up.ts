// `tug up`: a whole cluster on this machine — the control plane (API server, controllers,
// scheduler) and node 1 (its own containerd, the pod network, the kubelet) in this process, plus,
// with `--nodes N`, nodes 2..N as `tug agent` children each in a network namespace of its own
// (node-netns.ts, child-agents.ts). Every node address is on a host bridge Tugboat creates; node 1
// takes its .1. As root it first installs the Debian packages a node needs. Start-up is ordered by
// readiness: the server and node 1's containerd start side by side, the other nodes' agents start
// once the server is ready, and the command reports success only when every Node is Ready.
// SIGINT/SIGTERM stop the child agents by their PIDs, then node 1's kubelet and containerd, then
// the server; pods keep their state for the next `tug up`, and `tug down` removes everything.
import { Command, InvalidArgumentError } from 'commander';
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { dns1123Subdomain } from '../api/validation/names.js';
import { Agent } from '../agent/index.js';
import { DEFAULT_BRIDGE_NAME, DEFAULT_CLUSTER_CIDR, requireIPv4Cidr, runPeerRouteSync } from '../agent/network/index.js';
import { ApiServer } from '../apiserver/index.js';
import { HttpClient } from '../client/index.js';
import { controlPlaneComponents, runControlPlane } from './control-plane.js';
import { ensureNodePackages } from './host-packages.js';
import { isAlive, readPidFile, removePidFile, writePidFile } from './host-leftovers.js';
import { startRealNode } from './real-node.js';
import { shutdownSignal } from './signals.js';
import { addNodeServiceFlags, nodeServiceOptions, type NodeServiceFlags } from './node-service-flags.js';
import type { NodeServiceOptions } from '../agent/node-services.js';
import { DEFAULT_NODE_BRIDGE, DEFAULT_NODE_CIDR, planNodeNetwork, setUpNodeNetwork, type NodeSlot } from './node-netns.js';
import { startChildAgent, type ChildAgent } from './child-agents.js';
import { aborted, childAgentArgs, nodeDataDir, nodeServicesOn, nodesReady, type ListenOverrides } from './up-nodes.js';

export const DEFAULT_UP_DIR = '/var/lib/tugboat';
/** How long a child agent gets to stop its kubelet and containerd before SIGKILL. */
const CHILD_GRACE_MS = 30_000;

export interface UpOptions {
  dataDir: string;
  nodes: number;
  listen: string;
  nodeName: string;
  bridgeName: string;
  clusterCIDR: string;
  serviceCIDR: string;
  /** The host bridge every node address is on, and its CIDR (node k is its k-th address). */
  nodeBridgeName: string;
  nodeCIDR: string;
  /** The nodes' own services (agent endpoint, DNS, ingress); see node-service-flags.ts. */
  services: NodeServiceOptions;
  /** Listen addresses the user gave; the others bind each node's own address. */
  listenOverrides: ListenOverrides;
  /** What a child agent needs to repeat of the node service flags (DNS domain, upstreams). */
  serviceFlags: NodeServiceFlags;
  /** The API address pods reach through the `kubernetes` Service; default node 1's address. */
  advertiseAddress?: string;
  /** Cluster DNS address given to pods. */
  clusterDNS: string;
  install: boolean;
  log(msg: string): void;
  /** Where the "cluster is up" message goes (stdout). */
  print(text: string): void;
  /** Where child agents' output goes, one line at a time (stderr). */
  childOutput(line: string): void;
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

function checkOptions(o: UpOptions): void {
  if (process.getuid?.() !== 0) throw new Error('tug up runs real containers and must run as root');
  const nameErrors = dns1123Subdomain(o.nodeName);
  if (nameErrors.length > 0) throw new Error(`node name ${JSON.stringify(o.nodeName)}: ${nameErrors.join('; ')} (pass --node-name)`);
  requireIPv4Cidr(o.clusterCIDR, '--cluster-cidr');
}

/** The API address nodes in other namespaces dial: node 1's address, where the server must listen. */
function serverUrlForNodes(listen: string, gateway: string, port: number): string {
  const host = /^\[?([^\]]*)\]?:\d+$/.exec(listen)?.[1] ?? '';
  if (!['', '0.0.0.0', '::', gateway].includes(host)) throw new Error(`--listen ${listen}: the other nodes reach the API at ${gateway}; listen on 0.0.0.0 or ${gateway}`);
  return `https://${gateway}:${port}`;
}

/** Runs the cluster until `signal` aborts; everything it started is stopped before it resolves. */
export async function runUp(o: UpOptions, signal: AbortSignal): Promise<void> {
  const startedAt = Date.now();
  checkOptions(o);
  const plan = planNodeNetwork({ bridge: o.nodeBridgeName, cidr: o.nodeCIDR, baseName: o.nodeName, nodes: o.nodes });
  for (const n of plan.nodes) {
    const errors = dns1123Subdomain(n.name);
    if (errors.length > 0) throw new Error(`node name ${JSON.stringify(n.name)}: ${errors.join('; ')}`);
  }
  const first = plan.nodes[0] as NodeSlot;
  await mkdir(o.dataDir, { recursive: true, mode: 0o755 });
  const running = await readPidFile(o.dataDir);
  if (running !== undefined && running !== process.pid && isAlive(running)) throw new Error(`tug up is already running for ${o.dataDir} (pid ${running}); stop it with tug down --data-dir ${o.dataDir}`);
  await writePidFile(o.dataDir);

  // Stopped in reverse order of starting: child agents, kubelet, containerd, control plane.
  const stops: (() => Promise<void>)[] = [];
  try {
    if (o.install) {
      const installed = await ensureNodePackages({ log: o.log });
      if (installed.length > 0) o.log(`installed ${installed.join(', ')}`);
    }
    // Before the server starts, so its serving certificate names node 1's address.
    await setUpNodeNetwork(o.dataDir, plan, { clusterCIDR: o.clusterCIDR, log: o.log });
    const serverAbort = new AbortController();
    const server = new ApiServer({ dataDir: join(o.dataDir, 'server'), listen: o.listen, datastore: 'sqlite', serviceCIDR: o.serviceCIDR, advertiseAddress: o.advertiseAddress ?? first.ip, log: o.log });
    // A failed start also rejects server.ready, which is awaited below; here it must not count as unhandled.
    const serving = server.start(serverAbort.signal).catch(() => undefined);
    let controlPlane: Promise<void> = Promise.resolve();
    stops.push(async () => {
      serverAbort.abort();
      await Promise.all([serving, controlPlane]);
    });
    // Node 1's containerd and images come up while the server opens its store; whichever
    // fails, the other is still stopped.
    const agentDir = join(o.dataDir, 'agent');
    const starting = startRealNode({ dataDir: agentDir, nodeName: o.nodeName, bridgeName: o.bridgeName, clusterCIDR: o.clusterCIDR, log: o.log });
    stops.push(async () => (await starting.catch(() => undefined))?.stop());
    const [info, node] = await Promise.all([server.ready, starting]);
    controlPlane = runControlPlane(
      info,
      {
        ...controlPlaneComponents({ controllers: '*', scheduler: true, clusterCIDR: o.clusterCIDR, serviceCIDR: o.serviceCIDR, storageRoot: join(o.dataDir, 'storage') }),
        log: o.log,
      },
      serverAbort.signal,
    ).catch((err: unknown) => o.log(`control plane stopped: ${String(err)}`));

    const agentAbort = new AbortController();
    const agent = new Agent({
      server: info.url,
      token: info.tokens.node,
      caCertPem: info.caCertPem,
      runtime: 'containerd',
      makeRuntime: () => node.runtime,
      nodeName: o.nodeName,
      nodeIP: first.ip,
      dataDir: agentDir,
      clusterDNS: [o.clusterDNS],
      services: nodeServicesOn(o.services, o.listenOverrides, first.ip),
      log: o.log,
    });
    const agentRun = agent.start(agentAbort.signal).catch((err: unknown) => o.log(`agent stopped: ${String(err)}`));
    const routesClient = new HttpClient({ server: info.url, caCertPem: info.caCertPem, token: info.tokens.node });
    const routesRun = runPeerRouteSync({ client: routesClient, network: node.network, log: o.log }, agentAbort.signal).catch((err: unknown) => o.log(`peer routes stopped: ${String(err)}`));
    stops.push(async () => {
      agentAbort.abort();
      await Promise.all([agentRun, routesRun]);
      routesClient.close();
    });

    const children: ChildAgent[] = [];
    stops.push(async () => {
      await Promise.all(children.map((c) => c.stop(CHILD_GRACE_MS)));
    });
    if (plan.nodes.length > 1) {
      const url = serverUrlForNodes(o.listen, first.ip, info.port);
      for (const n of plan.nodes.slice(1)) {
        const args = childAgentArgs({ up: o, node: n, serverUrl: url, tokenFile: join(o.dataDir, 'server', 'node-token'), dataDir: nodeDataDir(o.dataDir, n.name) });
        const child = startChildAgent({ nodeName: n.name, netns: n.netns ?? '', args }, { output: o.childOutput, log: o.log });
        children.push(child);
        o.log(`node ${n.name}: agent started (pid ${child.pid}) in network namespace ${n.netns ?? ''} at ${n.ip}`);
      }
    }
    const names = plan.nodes.map((n) => n.name);
    if (!(await nodesReady(info, names, { since: startedAt, signal, log: o.log }))) return;
    // Since the process started, module loading included: what the user waits for.
    const seconds = (performance.now() / 1000).toFixed(1);
    const what = names.length === 1 ? `node ${o.nodeName} is Ready` : `${names.length} nodes are Ready (${names.join(', ')})`;
    o.print(
      [
        `Tugboat is up: ${what} (${seconds} s).`,
        '',
        `  export KUBECONFIG=${info.kubeconfigPath}`,
        '  kubectl get nodes',
        '',
        `Ctrl-C stops the cluster and keeps its state; tug down --data-dir ${o.dataDir} removes it from this machine.`,
        '',
      ].join('\n'),
    );
    await aborted(signal);
  } finally {
    for (const stop of stops.reverse()) {
      await stop().catch((err: unknown) => o.log(`shutdown: ${err instanceof Error ? err.message : String(err)}`));
    }
    await removePidFile(o.dataDir);
  }
}

type UpFlags = NodeServiceFlags & {
  dataDir: string;
  nodes: number;
  listen: string;
  nodeName?: string;
  bridgeName: string;
  clusterCidr: string;
  serviceCidr: string;
  nodeBridgeName: string;
  nodeCidr: string;
  advertiseAddress?: string;
  install: boolean;
};

export function upCommand(): Command {
  const cmd = new Command('up')
    .description('run a cluster on this machine: control plane and node 1 in one process, nodes 2..N in network namespaces (installs missing packages as root)')
    .option('--data-dir <dir>', 'state of the cluster: DIR/server, DIR/agent (node 1), DIR/nodes/NAME (nodes 2..N), DIR/storage', DEFAULT_UP_DIR)
    .option('--nodes <n>', 'number of nodes; node k>1 is named NAME-k and runs in network namespace tug-NAME-k', positiveInt, 1)
    .option('--listen <host:port>', 'address to serve the API on (with several nodes: 0.0.0.0 or the first node address)', '0.0.0.0:6443')
    .option('--node-name <name>', 'name of the first node (default: host name)')
    .option('--bridge-name <name>', "each node's pod bridge (in its own network namespace)", DEFAULT_BRIDGE_NAME)
    .option('--cluster-cidr <cidr>', 'range pod CIDRs are cut from, one /24 per node', DEFAULT_CLUSTER_CIDR)
    .option('--service-cidr <cidr>', 'range Service cluster IPs come from', '10.43.0.0/16')
    .option('--node-bridge-name <name>', 'host bridge Tugboat creates for the node addresses', DEFAULT_NODE_BRIDGE)
    .option('--node-cidr <cidr>', 'node addresses: node k gets the k-th address (the first is on the bridge itself)', DEFAULT_NODE_CIDR)
    .option('--advertise-address <ip>', "the IPv4 address pods reach the API on through the kubernetes Service (default: the first node's address)")
    .option('--no-install', 'do not install missing packages');
  return addNodeServiceFlags(cmd).action(async (f: UpFlags) => {
    const signal = shutdownSignal();
    const given = (key: string): boolean => cmd.getOptionValueSource(key) !== 'default';
    await runUp(
      {
        dataDir: resolve(f.dataDir),
        nodes: f.nodes,
        listen: f.listen,
        nodeName: f.nodeName ?? hostname().toLowerCase(),
        bridgeName: f.bridgeName,
        clusterCIDR: f.clusterCidr,
        serviceCIDR: f.serviceCidr,
        nodeBridgeName: f.nodeBridgeName,
        nodeCIDR: f.nodeCidr,
        ...(f.advertiseAddress ? { advertiseAddress: f.advertiseAddress } : {}),
        install: f.install,
        clusterDNS: f.clusterDns,
        services: nodeServiceOptions(f),
        serviceFlags: f,
        listenOverrides: {
          ...(given('ingressHttpListen') ? { ingressHttp: f.ingressHttpListen } : {}),
          ...(given('ingressHttpsListen') ? { ingressHttps: f.ingressHttpsListen } : {}),
        },
        log: (m) => void process.stderr.write(`${new Date().toISOString()} ${m}\n`),
        print: (t) => void process.stdout.write(t),
        childOutput: (line) => void process.stderr.write(`${line}\n`),
      },
      signal,
    );
  });
}
