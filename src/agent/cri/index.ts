// Public face of the CRI package: the Runtime interface the kubelet is written against, and the
// one explicit map of its implementations, chosen by `tug agent --runtime`: containerd (real
// containers over CRI v1) and the fake (hollow nodes). Both run the same conformance suite.
import type { Clock } from '../../lib/workqueue.js';
import type { Runtime } from './runtime.js';
import { FakeRuntime } from './fake/fake-runtime.js';
import { ContainerdRuntime } from './containerd/index.js';

export * from './runtime.js';
export { FakeRuntime, FAKE_RUNTIME_NAME, FAKE_RUNTIME_VERSION, type FakeRuntimeOptions } from './fake/fake-runtime.js';
export { CONTAINER_KIND, fakeNeverReady, type ContainerKind } from './fake/annotations.js';
export { ContainerdRuntime, CriError, nodeEndpoint, type ContainerdRuntimeOptions } from './containerd/index.js';

export interface RuntimeFactoryOptions {
  clock?: Clock;
  /** Pod IP range a runtime without its own IPAM uses until the node's podCIDR is known. */
  fallbackPodCIDR?: string;
  /** Where the runtime keeps its state (containerd root, sockets). */
  dataDir?: string;
  /** containerd: use this running containerd (`unix:///path`) instead of starting one. */
  containerRuntimeEndpoint?: string;
  /** containerd: where the node's CNI conflist is (default `<dataDir>/cni/net.d`). */
  cniConfDir?: string;
  /** containerd: where CNI plugin binaries are (default /usr/lib/cni). */
  cniBinDir?: string;
  log?: (msg: string) => void;
}

export type RuntimeName = 'containerd' | 'fake';

export const runtimes = {
  fake: (o: RuntimeFactoryOptions): Runtime => new FakeRuntime(o),
  containerd: (o: RuntimeFactoryOptions): Runtime =>
    new ContainerdRuntime({
      ...(o.containerRuntimeEndpoint ? { endpoint: o.containerRuntimeEndpoint } : {}),
      ...(o.dataDir ? { dataDir: o.dataDir } : {}),
      ...(o.cniConfDir ? { cniConfDir: o.cniConfDir } : {}),
      ...(o.cniBinDir ? { cniBinDir: o.cniBinDir } : {}),
      ...(o.log ? { log: o.log } : {}),
    }),
} satisfies Record<RuntimeName, (o: RuntimeFactoryOptions) => Runtime>;

export const isRuntimeName = (s: string): s is RuntimeName => Object.hasOwn(runtimes, s);
