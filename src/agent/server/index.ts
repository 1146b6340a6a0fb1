// Public face of the agent's HTTPS endpoint (the kubelet's :10250): the server the API server
// proxies logs, exec, attach and port-forward to, and what it needs to find pods and runtimes.
export { KubeletServer, APISERVER_CLIENT_CN, DEFAULT_KUBELET_PORT, type KubeletServerOptions } from './server.js';
export type { TargetSource } from './targets.js';
