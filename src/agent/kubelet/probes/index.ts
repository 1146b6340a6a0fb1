// Public face of the probes folder: the Prober that runs real liveness, readiness and startup
// probes, and the exec/HTTP/TCP actions lifecycle hooks reuse.
export { ProbeManager } from './manager.js';
export { execAction, httpGetAction, tcpAction, resolvePort, type ActionResult, type HttpGetSpec } from './actions.js';
