// What a real node needs before its kubelet starts, shared by `tug agent --runtime containerd`
// and `tug up`: its own containerd (or one given by endpoint), the pause and test images built and
// imported, and the pod network in front of the runtime so the pod CIDR the kubelet receives
// configures the node's CNI bridge. The layout under the agent data dir is fixed here, so that
// `tug down` can find each piece again: containerd/ (containerd's root, state, socket, runc
// state), cni/net.d (the conflist), network/ (state and host-local leases), images/ (image tars).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Runtime } from '../agent/cri/index.js';
import { ContainerdRuntime, startContainerd, containerdPaths, DEFAULT_CNI_BIN_DIR, type ContainerdProcess } from '../agent/cri/containerd/index.js';
import { ensureProjectImages, importImage, PAUSE_IMAGE, type ImageFile } from '../agent/images/index.js';
import { PodNetwork, withPodNetwork } from '../agent/network/index.js';

export interface RealNodeOptions {
  /** The agent's data dir. */
  dataDir: string;
  nodeName: string;
  /** Use this containerd (`unix:///path`) instead of starting one. */
  containerRuntimeEndpoint?: string;
  /** The CNI conf dir that containerd reads; only needed with an endpoint (ours uses DATA/cni/net.d). */
  cniConfDir?: string;
  cniBinDir?: string;
  bridgeName?: string;
  clusterCIDR?: string;
  log(msg: string): void;
}

export interface RealNode {
  runtime: Runtime;
  network: PodNetwork;
  endpoint: string;
  /** Stops the containerd this node started (after the kubelet has stopped); pods keep running. */
  stop(): Promise<void>;
}

export const nodeContainerdDir = (agentDataDir: string): string => join(agentDataDir, 'containerd');
export const nodeCniConfDir = (agentDataDir: string): string => join(agentDataDir, 'cni', 'net.d');
export const runcRootOf = (agentDataDir: string): string => containerdPaths(nodeContainerdDir(agentDataDir)).runcRoot;
const imageCacheDir = (agentDataDir: string): string => join(agentDataDir, 'images');

async function startOwnContainerd(o: { dataDir: string; cniBinDir?: string; log(msg: string): void }): Promise<ContainerdProcess> {
  return startContainerd({
    dataDir: nodeContainerdDir(o.dataDir),
    cniConfDir: nodeCniConfDir(o.dataDir),
    cniBinDir: o.cniBinDir ?? DEFAULT_CNI_BIN_DIR,
    sandboxImage: PAUSE_IMAGE,
    log: o.log,
  });
}

export async function startRealNode(o: RealNodeOptions): Promise<RealNode> {
  const cniConfDir = o.containerRuntimeEndpoint ? (o.cniConfDir ?? '/etc/cni/net.d') : nodeCniConfDir(o.dataDir);
  const network = new PodNetwork({
    nodeName: o.nodeName,
    dataDir: o.dataDir,
    cniConfDir,
    ...(o.bridgeName ? { bridgeName: o.bridgeName } : {}),
    ...(o.clusterCIDR ? { clusterCIDR: o.clusterCIDR } : {}),
    log: o.log,
  });
  // The image tars build (gcc, tar) while containerd starts.
  const images = ensureProjectImages({ cacheDir: imageCacheDir(o.dataDir) });
  images.catch(() => undefined);
  const containerd = o.containerRuntimeEndpoint ? undefined : await startOwnContainerd(o);
  const endpoint = o.containerRuntimeEndpoint ?? containerd?.endpoint ?? '';
  const cri = new ContainerdRuntime({ endpoint });
  try {
    const built = await images;
    // Imported when containerd lacks them or the tar was rebuilt (new pause.c or busybox).
    const stale = async (img: ImageFile): Promise<boolean> => img.rebuilt || !(await cri.imageStatus({ image: img.name }));
    const target = { address: endpoint, imageStatus: (img: { image: string }) => cri.imageStatus(img) };
    await Promise.all([built.pause, built.busybox].map(async (img) => ((await stale(img)) ? importImage(target, img.tarPath) : undefined)));
    return { runtime: withPodNetwork(cri, network), network, endpoint, stop: async () => containerd?.stop() };
  } catch (err) {
    await cri.close();
    await containerd?.stop();
    throw err;
  }
}

/**
 * Removes every pod sandbox of a node through its own containerd (started for the purpose if
 * it is not running), so CNI releases each pod's network; resolves with how many there were.
 */
export async function removeNodePods(o: { dataDir: string; log(msg: string): void }): Promise<number> {
  if (!existsSync(containerdPaths(nodeContainerdDir(o.dataDir)).root)) return 0;
  const containerd = await startOwnContainerd({ dataDir: o.dataDir, log: o.log });
  const runtime = new ContainerdRuntime({ endpoint: containerd.endpoint });
  try {
    const sandboxes = await runtime.listPodSandbox();
    for (const s of sandboxes) {
      await runtime.stopPodSandbox(s.id);
      await runtime.removePodSandbox(s.id);
    }
    return sandboxes.length;
  } finally {
    await runtime.close();
    await containerd.stop();
  }
}
