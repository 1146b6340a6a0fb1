// Public face of the CRI package: the Runtime interface the kubelet is written against, and the
// one explicit map of its implementations, chosen by `tug agent --runtime`. containerd arrives in
// issue #4 behind the same interface and runs the same conformance suite.
import type { Clock } from '../../lib/workqueue.js';
import type { Runtime } from './runtime.js';
import { FakeRuntime } from './fake/fake-runtime.js';

export * from './runtime.js';
export { FakeRuntime, FAKE_RUNTIME_NAME, FAKE_RUNTIME_VERSION, type FakeRuntimeOptions } from './fake/fake-runtime.js';
export { CONTAINER_KIND, fakeNeverReady, type ContainerKind } from './fake/annotations.js';

export interface RuntimeFactoryOptions {
  clock?: Clock;
  /** Pod IP range a runtime without its own IPAM uses until the node's podCIDR is known. */
  fallbackPodCIDR?: string;
  /** Where the runtime keeps its state (containerd root, sockets). */
  dataDir?: string;
}

export type RuntimeName = 'containerd' | 'fake';

export const runtimes = {
  fake: (o: RuntimeFactoryOptions): Runtime => new FakeRuntime(o),
  containerd: (): Runtime => {
    throw new Error('the containerd runtime is not implemented yet; use --runtime fake');
  },
} satisfies Record<RuntimeName, (o: RuntimeFactoryOptions) => Runtime>;

export const isRuntimeName = (s: string): s is RuntimeName => Object.hasOwn(runtimes, s);
