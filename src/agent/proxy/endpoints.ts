// Which endpoints of a Service port receive traffic, as Kubernetes specifies: ready endpoints;
// only when none is ready, the ones still serving while terminating (so a rolling update or a
// scale-down does not drop connections while old pods drain). A Local traffic policy applies the
// same rule to this node's endpoints alone. The answer decides between load balancing, dropping
// (endpoints exist, but none the policy allows) and rejecting (no endpoints at all).
import type { ProxyEndpoint, ServicePortModel } from './model.js';

export interface Targets {
  /** Where cluster-IP traffic goes (this node's endpoints only for internalTrafficPolicy Local). */
  internal: ProxyEndpoint[];
  /** Where node-port, load-balancer and external-IP traffic goes (eTP Local: this node's only). */
  external: ProxyEndpoint[];
  /** Endpoints anywhere (with the terminating fallback): when empty, connections are rejected. */
  cluster: ProxyEndpoint[];
  /** This node's endpoints (with the terminating fallback). */
  local: ProxyEndpoint[];
}

/** Ready endpoints, or, when none is ready, those serving while terminating. */
export function usable(eps: readonly ProxyEndpoint[]): ProxyEndpoint[] {
  const ready = eps.filter((e) => e.ready);
  return ready.length > 0 ? ready : eps.filter((e) => e.serving && e.terminating);
}

export function targets(sp: ServicePortModel): Targets {
  const cluster = usable(sp.endpoints);
  const local = usable(sp.endpoints.filter((e) => e.local));
  return {
    internal: sp.internalLocal ? local : cluster,
    external: sp.externalLocal ? local : cluster,
    cluster,
    local,
  };
}
