// What a real node needs before its kubelet starts, shared by `tug agent --runtime containerd`
// and `tug up`: the containerd runtime (which starts the node's own containerd and imports the
// pause and test images, unless given an endpoint) and the pod network in front of it, so the pod
// CIDR the kubelet receives configures the node's CNI bridge. The layout under the agent data dir
// is fixed here and in the containerd runtime, so `tug down` can find each piece again:
// containerd/ (root, state, socket, runc state), cni/net.d (the conflist), network/ (state and
// host-local leases), images/ (image tars).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Runtime } from '../agent/cri/index.js';
import { ContainerdRuntime, containerdPaths } from '../agent/cri/containerd/index.js';
import { PodNetwork, withPodNetwork } from '../agent/network/index.js';

export interface RealNodeOptions {
  /** The agent's data dir. */
  dataDir: string;
  nodeName: string;
  /** Use this containerd (`unix:///path`) instead of starting one. */
  containerRuntimeEndpoint?: string;
  /** The CNI conf dir containerd reads: needed with an endpoint (our own containerd uses DATA/cni/net.d). */
  cniConfDir?: string;
  cniBinDir?: string;
  bridgeName?: string;
  /** CNI network name (default `tugboat-<bridge>`); nodes sharing a bridge name in separate namespaces need their own. */
  networkName?: string;
  clusterCIDR?: string;
  log(msg: string): void;
}

export interface RealNode {
  /** The containerd runtime behind the pod network; closing it stops our containerd (pods keep running). */
  runtime: Runtime;
  network: PodNetwork;
  /** Closes the runtime if the agent never did (start-up failed half-way); safe to repeat. */
  stop(): Promise<void>;
}

export const nodeContainerdDir = (agentDataDir: string): string => join(agentDataDir, 'containerd');
export const nodeCniConfDir = (agentDataDir: string): string => join(agentDataDir, 'cni', 'net.d');
export const runcRootOf = (agentDataDir: string): string => containerdPaths(nodeContainerdDir(agentDataDir)).runcRoot;

/** Starts the node's containerd (or connects to the given one) and resolves once images are in place. */
export async function startRealNode(o: RealNodeOptions): Promise<RealNode> {
  const cniConfDir = o.containerRuntimeEndpoint ? (o.cniConfDir ?? '/etc/cni/net.d') : nodeCniConfDir(o.dataDir);
  const network = new PodNetwork({
    nodeName: o.nodeName,
    dataDir: o.dataDir,
    cniConfDir,
    ...(o.bridgeName ? { bridgeName: o.bridgeName } : {}),
    ...(o.networkName ? { networkName: o.networkName } : {}),
    ...(o.clusterCIDR ? { clusterCIDR: o.clusterCIDR } : {}),
    log: o.log,
  });
  const cri = new ContainerdRuntime({
    dataDir: o.dataDir,
    cniConfDir,
    log: o.log,
    ...(o.containerRuntimeEndpoint ? { endpoint: o.containerRuntimeEndpoint } : {}),
    ...(o.cniBinDir ? { cniBinDir: o.cniBinDir } : {}),
  });
  const runtime = withPodNetwork(cri, network);
  try {
    await cri.ready;
  } catch (err) {
    await runtime.close();
    throw err;
  }
  return { runtime, network, stop: () => runtime.close() };
}

/**
 * Removes every pod sandbox of a node through its own containerd (started for the purpose, or
 * restarted if a killed agent left it running), so CNI releases each pod's network; resolves
 * with how many there were.
 */
export async function removeNodePods(o: { dataDir: string; log(msg: string): void }): Promise<number> {
  if (!existsSync(containerdPaths(nodeContainerdDir(o.dataDir)).root)) return 0;
  const cri = new ContainerdRuntime({ dataDir: o.dataDir, cniConfDir: nodeCniConfDir(o.dataDir), projectImages: false, log: o.log });
  try {
    const sandboxes = await cri.listPodSandbox();
    for (const s of sandboxes) {
      await cri.stopPodSandbox(s.id);
      await cri.removePodSandbox(s.id);
    }
    return sandboxes.length;
  } finally {
    await cri.close();
  }
}
