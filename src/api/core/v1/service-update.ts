// What the registry does to a Service update before validating it, as Kubernetes does: values
// the server allocated (cluster IPs, node ports, health-check node port) are carried over when
// the new object leaves them empty, so `kubectl replace` with the original manifest still works;
// and when the type changes, fields the new type cannot have are dropped if the user left them
// as they were.
import type { Service, ServiceSpec } from './service-schema.js';
import { externallyAccessible } from './service-schema.js';
import { sameJson } from '../../../lib/json.js';

const needsClusterIP = (s: ServiceSpec): boolean => s.type !== 'ExternalName';
const needsNodePorts = (s: ServiceSpec): boolean =>
  s.type === 'NodePort' || (s.type === 'LoadBalancer' && s.allocateLoadBalancerNodePorts !== false);
const needsHealthCheckPort = (s: ServiceSpec): boolean => s.type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local';
const same = (a: unknown, b: unknown): boolean => sameJson(a ?? null, b ?? null);

function carryOverAllocated(spec: ServiceSpec, was: ServiceSpec): void {
  if (needsClusterIP(was) && needsClusterIP(spec)) {
    spec.clusterIP ||= was.clusterIP;
    if (!spec.clusterIPs?.length && was.clusterIPs?.length) spec.clusterIPs = [...was.clusterIPs];
  }
  if (needsNodePorts(was) && needsNodePorts(spec)) {
    const taken = new Set((spec.ports ?? []).map((p) => p.nodePort).filter((n) => !!n));
    const byName = new Map((was.ports ?? []).map((p) => [p.name ?? '', p.nodePort]));
    for (const p of spec.ports ?? []) {
      const previous = byName.get(p.name ?? '');
      if (!p.nodePort && previous && !taken.has(previous)) {
        p.nodePort = previous;
        taken.add(previous);
      }
    }
  }
  if (needsHealthCheckPort(was) && needsHealthCheckPort(spec)) spec.healthCheckNodePort ||= was.healthCheckNodePort;
}

function dropTypeDependent(spec: ServiceSpec, was: ServiceSpec): void {
  if (needsClusterIP(was) && !needsClusterIP(spec)) {
    if (same(spec.clusterIPs, was.clusterIPs) && spec.clusterIP === was.clusterIP) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (same(spec.ipFamilies, was.ipFamilies)) delete spec.ipFamilies;
    if (spec.ipFamilyPolicy === was.ipFamilyPolicy) delete spec.ipFamilyPolicy;
    if (spec.internalTrafficPolicy === was.internalTrafficPolicy) delete spec.internalTrafficPolicy;
  }
  if (needsNodePorts(was) && !needsNodePorts(spec)) {
    const before = new Map((was.ports ?? []).map((p) => [p.name ?? '', p.nodePort]));
    for (const p of spec.ports ?? []) if (p.nodePort && before.get(p.name ?? '') === p.nodePort) delete p.nodePort;
  }
  if (needsHealthCheckPort(was) && !needsHealthCheckPort(spec) && spec.healthCheckNodePort === was.healthCheckNodePort)
    delete spec.healthCheckNodePort;
  if (was.type === 'LoadBalancer' && spec.type !== 'LoadBalancer') {
    if (spec.allocateLoadBalancerNodePorts === was.allocateLoadBalancerNodePorts) delete spec.allocateLoadBalancerNodePorts;
    if (spec.loadBalancerClass === was.loadBalancerClass) delete spec.loadBalancerClass;
  }
  if (externallyAccessible(was) && !externallyAccessible(spec) && spec.externalTrafficPolicy === was.externalTrafficPolicy)
    delete spec.externalTrafficPolicy;
}

/** Prepares a (defaulted) Service update against the stored object, in place. */
export function prepareServiceUpdate(svc: Service, old: Service): void {
  const spec = (svc.spec ??= {});
  const was = old.spec ?? {};
  carryOverAllocated(spec, was);
  dropTypeDependent(spec, was);
}
