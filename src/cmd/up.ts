// `tug up`: a whole cluster on this machine in one process — the control plane (API server,
// controllers, scheduler) and one node (its own containerd, the pod network, the kubelet) — ready
// for kubectl when it prints the kubeconfig. As root it first installs the Debian packages a node
// needs. Start-up is ordered by readiness: the server and the node's containerd start side by
// side, the kubelet joins once the server is ready, and the command reports success only when the
// Node is Ready. SIGINT/SIGTERM stop the kubelet, then containerd, then the server; pods keep
// their state for the next `tug up`, and `tug down` removes everything.
import { Command, InvalidArgumentError } from 'commander';
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { nodeKind, type Node } from '../api/core/v1/index.js';
import { dns1123Subdomain } from '../api/validation/names.js';
import { Agent } from '../agent/index.js';
import { DEFAULT_BRIDGE_NAME, DEFAULT_CLUSTER_CIDR, requireIPv4Cidr } from '../agent/network/index.js';
import { ApiServer, type ApiServerInfo } from '../apiserver/index.js';
import { HttpClient } from '../client/index.js';
import { controlPlaneComponents, runControlPlane } from './control-plane.js';
import { ensureNodePackages } from './host-packages.js';
import { isAlive, readPidFile, removePidFile, writePidFile } from './host-leftovers.js';
import { startRealNode } from './real-node.js';
import { shutdownSignal } from './signals.js';
import { addNodeServiceFlags, nodeServiceOptions, type NodeServiceFlags } from './node-service-flags.js';
import type { NodeServiceOptions } from '../agent/node-services.js';

export const DEFAULT_UP_DIR = '/var/lib/tugboat';

export interface UpOptions {
  dataDir: string;
  nodes: number;
  listen: string;
  nodeName: string;
  bridgeName: string;
  clusterCIDR: string;
  serviceCIDR: string;
  /** The node's own services (agent endpoint, DNS, ingress); see node-service-flags.ts. */
  services: NodeServiceOptions;
  /** Cluster DNS address given to pods. */
  clusterDNS: string;
  install: boolean;
  log(msg: string): void;
  /** Where the "cluster is up" message goes (stdout). */
  print(text: string): void;
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}


const aborted = (signal: AbortSignal): Promise<void> =>
  new Promise((res) => (signal.aborted ? res() : signal.addEventListener('abort', () => res(), { once: true })));

/**
 * Polls the Node until its Ready condition is True in a status written after `since` — a restarted
 * cluster's Node still says Ready from last time — saying why it waits now and then.
 */
async function nodeReady(info: ApiServerInfo, name: string, o: { since: number; signal: AbortSignal; log(msg: string): void }): Promise<boolean> {
  const client = new HttpClient({ server: info.url, caCertPem: info.caCertPem, token: info.tokens.admin });
  // Condition times have whole seconds.
  const since = Math.floor(o.since / 1000) * 1000;
  let nextReport = Date.now() + 10_000;
  try {
    while (!o.signal.aborted) {
      const node = await client.get<Node>(nodeKind, undefined, name).catch(() => undefined);
      const ready = node?.status?.conditions?.find((c) => c.type === 'Ready');
      const fresh = ready?.lastHeartbeatTime !== undefined && Date.parse(ready.lastHeartbeatTime) >= since;
      if (fresh && ready?.status === 'True') return true;
      if (Date.now() > nextReport) {
        o.log(`waiting for node ${name} to be Ready: ${fresh && ready ? `${ready.reason ?? ''} ${ready.message ?? ''}`.trim() : 'not registered yet'}`);
        nextReport = Date.now() + 10_000;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  } finally {
    client.close();
  }
}

/**
 * The controllers, with node IPAM cutting pod CIDRs from this cluster's CIDR instead of the
 * default one, and the scheduler.
 */
/** Runs the cluster until `signal` aborts; everything it started is stopped before it resolves. */
export async function runUp(o: UpOptions, signal: AbortSignal): Promise<void> {
  const startedAt = Date.now();
  if (o.nodes !== 1) throw new Error(`--nodes ${o.nodes}: several nodes on one machine (each in its own network namespace) are not supported yet; use --nodes 1`);
  if (process.getuid?.() !== 0) throw new Error('tug up runs real containers and must run as root');
  const nameErrors = dns1123Subdomain(o.nodeName);
  if (nameErrors.length > 0) throw new Error(`node name ${JSON.stringify(o.nodeName)}: ${nameErrors.join('; ')} (pass --node-name)`);
  requireIPv4Cidr(o.clusterCIDR, '--cluster-cidr');
  await mkdir(o.dataDir, { recursive: true, mode: 0o755 });
  const running = await readPidFile(o.dataDir);
  if (running !== undefined && running !== process.pid && isAlive(running)) throw new Error(`tug up is already running for ${o.dataDir} (pid ${running}); stop it with tug down --data-dir ${o.dataDir}`);
  await writePidFile(o.dataDir);

  // Stopped in reverse order of starting: kubelet, containerd, control plane.
  const stops: (() => Promise<void>)[] = [];
  try {
    if (o.install) {
      const installed = await ensureNodePackages({ log: o.log });
      if (installed.length > 0) o.log(`installed ${installed.join(', ')}`);
    }
    const serverAbort = new AbortController();
    const server = new ApiServer({ dataDir: join(o.dataDir, 'server'), listen: o.listen, datastore: 'sqlite', serviceCIDR: o.serviceCIDR, log: o.log });
    // A failed start also rejects server.ready, which is awaited below; here it must not count as unhandled.
    const serving = server.start(serverAbort.signal).catch(() => undefined);
    let controlPlane: Promise<void> = Promise.resolve();
    stops.push(async () => {
      serverAbort.abort();
      await Promise.all([serving, controlPlane]);
    });
    // The node's containerd and images come up while the server opens its store; whichever
    // fails, the other is still stopped.
    const starting = startRealNode({ dataDir: join(o.dataDir, 'agent'), nodeName: o.nodeName, bridgeName: o.bridgeName, clusterCIDR: o.clusterCIDR, log: o.log });
    stops.push(async () => (await starting.catch(() => undefined))?.stop());
    const [info, node] = await Promise.all([server.ready, starting]);
    controlPlane = runControlPlane(
      info,
      { ...controlPlaneComponents({ controllers: '*', scheduler: true, clusterCIDR: o.clusterCIDR, serviceCIDR: o.serviceCIDR }), log: o.log },
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
      dataDir: join(o.dataDir, 'agent'),
      clusterDNS: [o.clusterDNS],
      services: o.services,
      log: o.log,
    });
    const agentRun = agent.start(agentAbort.signal).catch((err: unknown) => o.log(`agent stopped: ${String(err)}`));
    stops.push(async () => {
      agentAbort.abort();
      await agentRun;
    });
    if (!(await nodeReady(info, o.nodeName, { since: startedAt, signal, log: o.log }))) return;
    // Since the process started, module loading included: what the user waits for.
    const seconds = (performance.now() / 1000).toFixed(1);
    o.print(
      [
        `Tugboat is up: node ${o.nodeName} is Ready (${seconds} s).`,
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

export function upCommand(): Command {
  const cmd = new Command('up')
    .description('run a cluster on this machine: control plane and a node in one process (installs missing packages as root)')
    .option('--data-dir <dir>', 'state of the cluster: DIR/server and DIR/agent', DEFAULT_UP_DIR)
    .option('--nodes <n>', 'number of nodes (only 1 for now)', positiveInt, 1)
    .option('--listen <host:port>', 'address to serve the API on', '0.0.0.0:6443')
    .option('--node-name <name>', 'name of the node (default: host name)')
    .option('--bridge-name <name>', "the node's pod bridge (one per node on a machine)", DEFAULT_BRIDGE_NAME)
    .option('--cluster-cidr <cidr>', 'range pod CIDRs are cut from, one /24 per node', DEFAULT_CLUSTER_CIDR)
    .option('--service-cidr <cidr>', 'range Service cluster IPs come from', '10.43.0.0/16')
    .option('--no-install', 'do not install missing packages');
  return addNodeServiceFlags(cmd).action(
    async (f: NodeServiceFlags & { dataDir: string; nodes: number; listen: string; nodeName?: string; bridgeName: string; clusterCidr: string; serviceCidr: string; install: boolean }) => {
      const signal = shutdownSignal();
      await runUp(
        {
          dataDir: resolve(f.dataDir),
          nodes: f.nodes,
          listen: f.listen,
          nodeName: f.nodeName ?? hostname().toLowerCase(),
          bridgeName: f.bridgeName,
          clusterCIDR: f.clusterCidr,
          serviceCIDR: f.serviceCidr,
          install: f.install,
          clusterDNS: f.clusterDns,
          services: nodeServiceOptions(f),
          log: (m) => void process.stderr.write(`${new Date().toISOString()} ${m}\n`),
          print: (t) => void process.stdout.write(t),
        },
        signal,
      );
    },
  );
}
