// Puts a node's pod network in front of its container runtime, at the point where Kubernetes
// joins the two: the kubelet passes the node's pod CIDR to the runtime with UpdateRuntimeConfig,
// and the runtime's NetworkReady condition says whether pods can get addresses. Here the CIDR
// first configures the PodNetwork (bridge conflist, masquerade, forwarding) and is then passed
// on; NetworkReady is false until that conflist exists, whatever the runtime says, so a node never
// turns Ready on a CNI config left by an earlier run with another CIDR. Every other call goes
// straight to the runtime.
import type { Runtime, RuntimeCondition } from '../cri/index.js';
import type { PodNetwork } from './pod-network.js';

export const NETWORK_NOT_READY_REASON = 'NetworkPluginNotReady';

/** The runtime's conditions with NetworkReady reflecting the pod network. */
export function withNetworkCondition(conditions: RuntimeCondition[], network: PodNetwork): RuntimeCondition[] {
  if (network.ready) return conditions;
  const notReady: RuntimeCondition = {
    type: 'NetworkReady',
    status: false,
    reason: NETWORK_NOT_READY_REASON,
    message: 'Network plugin returns error: the node has no pod CIDR yet (waiting for node IPAM)',
  };
  return [...conditions.filter((c) => c.type !== 'NetworkReady'), notReady];
}

/**
 * `runtime`, with its pod CIDR and network readiness routed through `network`. A proxy rather than
 * a hand-written delegate: the Runtime interface grows as more CRI calls are used, and only these
 * three calls differ, so every other property reads through to the runtime itself.
 */
export function withPodNetwork(runtime: Runtime, network: PodNetwork): Runtime {
  const overrides: Pick<Runtime, 'status' | 'updateRuntimeConfig' | 'close'> = {
    status: async () => withNetworkCondition(await runtime.status(), network),
    updateRuntimeConfig: async (cfg) => {
      await network.configure(cfg.podCIDR);
      await runtime.updateRuntimeConfig(cfg);
    },
    close: async () => {
      try {
        await network.stop();
      } finally {
        await runtime.close();
      }
    },
  };
  return new Proxy(runtime, {
    get(target, prop) {
      if (typeof prop === 'string' && Object.hasOwn(overrides, prop)) return overrides[prop as keyof typeof overrides];
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
