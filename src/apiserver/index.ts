// Public face of the API server package.
export { ApiServer, KUBERNETES_VERSION, type ApiServerOptions, type ApiServerInfo } from './server.js';
