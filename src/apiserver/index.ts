// Public face of the API server package.
export { ApiServer, KUBERNETES_VERSION, type ApiServerOptions, type ApiServerInfo } from './server.js';
export { Registry, type Resource } from './registry/registry.js';
export { bindPod } from './registry/bind.js';
export type { WriteContext } from './registry/strategy.js';
export type { ResourceCache } from './cache/resource-cache.js';
