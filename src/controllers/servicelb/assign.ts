// Who gets which load-balancer addresses, in the manner of k3s's built-in service load balancer:
// a LoadBalancer Service without a loadBalancerClass is served on every Ready node, so its
// ingress addresses are those nodes' InternalIPs and each node's proxy answers on the service
// port there. Since every such Service shares the same addresses, two of them cannot use the
// same port and protocol: the one that already holds it (then the older one) keeps it, and the
// other stays pending with no address until the port is free. Pure.
import type { Node, Service } from '../../api/core/v1/index.js';

/** Nodes with this label are never load-balancer targets (the Kubernetes well-known label). */
export const EXCLUDE_LABEL = 'node.kubernetes.io/exclude-from-external-load-balancers';

export interface Assignment {
  /** Addresses for status.loadBalancer.ingress; empty while pending. */
  ingress: string[];
  /** Set when a port is taken by another load-balancer Service. */
  conflict?: { port: number; protocol: string; holder: string };
}

const keyOf = (svc: Service): string => `${svc.metadata?.namespace ?? ''}/${svc.metadata?.name ?? ''}`;

/** A Service this controller implements: type LoadBalancer, default class, not being deleted. */
export function servedHere(svc: Service): boolean {
  return svc.spec?.type === 'LoadBalancer' && !svc.spec.loadBalancerClass && !svc.metadata?.deletionTimestamp;
}

/** InternalIPs of the Ready, non-excluded nodes, sorted and without duplicates. */
export function nodeAddresses(nodes: readonly Node[]): string[] {
  const out = new Set<string>();
  for (const n of nodes) {
    if (n.metadata?.deletionTimestamp || n.metadata?.labels?.[EXCLUDE_LABEL] !== undefined) continue;
    if (n.status?.conditions?.find((c) => c.type === 'Ready')?.status !== 'True') continue;
    for (const a of n.status?.addresses ?? []) if (a.type === 'InternalIP' && a.address) out.add(a.address);
  }
  return [...out].sort();
}

export const ingressIPs = (svc: Service): string[] => (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? '').filter(Boolean);

/** The addresses (or the conflict) of every Service this controller serves, by `namespace/name`. */
export function assign(services: readonly Service[], nodes: readonly Node[]): Map<string, Assignment> {
  const addresses = nodeAddresses(nodes);
  // Holders first, so a Service turned into a LoadBalancer late never takes a port that is in use.
  const order = services
    .filter(servedHere)
    .map((svc) => ({ svc, key: keyOf(svc), holds: ingressIPs(svc).length > 0 ? 0 : 1, created: svc.metadata?.creationTimestamp ?? '' }))
    .sort((a, b) => a.holds - b.holds || (a.created < b.created ? -1 : a.created > b.created ? 1 : 0) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const taken = new Map<string, string>();
  const out = new Map<string, Assignment>();
  for (const { svc, key } of order) {
    const ports = (svc.spec?.ports ?? []).map((p) => ({ port: p.port ?? 0, protocol: p.protocol ?? 'TCP' }));
    const clash = ports.find((p) => taken.has(`${p.protocol}/${p.port}`));
    if (clash) {
      out.set(key, { ingress: [], conflict: { ...clash, holder: taken.get(`${clash.protocol}/${clash.port}`) ?? '' } });
      continue;
    }
    for (const p of ports) taken.set(`${p.protocol}/${p.port}`, key);
    out.set(key, { ingress: addresses });
  }
  return out;
}
