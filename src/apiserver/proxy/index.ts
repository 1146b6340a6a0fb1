// Public face of the streaming proxy: pods/log, exec, attach and portforward relayed to the node
// agent's HTTPS endpoint, and the client certificate the API server presents there.
export { StreamingProxy, STREAMING_SUBRESOURCES, type StreamingProxyOptions, type StreamTarget } from './streaming-proxy.js';
export { issueKubeletClientCert, KUBELET_CLIENT_CN, type ClientCert } from './client-cert.js';
