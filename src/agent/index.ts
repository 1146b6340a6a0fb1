// Public face of the node agent: the Agent (one kubelet for this machine, or many hollow ones),
// joining a server (token parsing and CA pinning), and the CRI runtimes.
export { Agent, HOLLOW_NODE_LABEL, DEFAULT_HOLLOW_PREFIX, hollowNodeIP, fallbackPodCIDR, type AgentOptions } from './agent.js';
export { joinCredentials, parseNodeToken, type JoinCredentials, type NodeToken } from './join.js';
export { isRuntimeName, runtimes, type RuntimeName } from './cri/index.js';
export { Kubelet, KUBELET_VERSION, DEFAULT_HOLLOW_CAPACITY, type KubeletTiming } from './kubelet/index.js';
