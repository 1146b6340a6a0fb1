// What the proxy needs to know about one Service port, distilled from the Service and its
// EndpointSlices: the addresses it is reached on (cluster IP, node port, external and
// load-balancer IPs), its policies, and its endpoints with their readiness and whether they run
// on this node. Everything after this (endpoint choice, nftables text) works on this model only,
// so the Kubernetes objects are read in exactly one place. Pure; IPv4 only, as the cluster is.
import { isIPv4 } from 'node:net';
import type { Service } from '../../api/core/v1/index.js';
import type { EndpointSlice } from '../../api/discovery/v1/index.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
/** Services carrying this label are meant for another proxy implementation, as in kube-proxy. */
export const SERVICE_PROXY_NAME_LABEL = 'service.kubernetes.io/service-proxy-name';
/** ClientIP stickiness when the Service does not say (three hours). */
export const DEFAULT_AFFINITY_SECONDS = 10800;

export type L4Protocol = 'tcp' | 'udp' | 'sctp';

export interface ProxyEndpoint {
  ip: string;
  port: number;
  /** Runs on this node (the slice's nodeName is ours). */
  local: boolean;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

export interface ServicePortModel {
  /** `namespace/name/protocol/port-name` (the port number when the port has no name). */
  id: string;
  namespace: string;
  name: string;
  protocol: L4Protocol;
  /** Empty for a Service that has no IPv4 cluster IP. */
  clusterIP: string;
  port: number;
  /** 0 when the Service has no node port for this port. */
  nodePort: number;
  externalIPs: string[];
  loadBalancerIPs: string[];
  /** ClientIP stickiness in seconds; 0 means no session affinity. */
  affinitySeconds: number;
  /** externalTrafficPolicy Local: outside traffic only to this node's endpoints, source kept. */
  externalLocal: boolean;
  /** internalTrafficPolicy Local: traffic from this node only to this node's endpoints. */
  internalLocal: boolean;
  /** Sorted by address then port, so an unchanged set renders unchanged rules. */
  endpoints: ProxyEndpoint[];
}

const PROTOCOLS: Record<string, L4Protocol> = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp' };

/** Groups slices by `namespace/service` (the service-name label), keeping only IPv4 ones. */
export function slicesByService(slices: readonly EndpointSlice[]): Map<string, EndpointSlice[]> {
  const out = new Map<string, EndpointSlice[]>();
  for (const s of slices) {
    const svc = s.metadata?.labels?.[SERVICE_NAME_LABEL];
    if (!svc || s.addressType !== 'IPv4') continue;
    const key = `${s.metadata?.namespace ?? ''}/${svc}`;
    const list = out.get(key);
    if (list) list.push(s);
    else out.set(key, [s]);
  }
  return out;
}

/** Whether this proxy handles the Service at all: not ExternalName, not headless, not another proxy's. */
export function proxied(svc: Service): boolean {
  const spec = svc.spec ?? {};
  if (spec.type === 'ExternalName') return false;
  if (svc.metadata?.labels?.[SERVICE_PROXY_NAME_LABEL] !== undefined) return false;
  return ipv4ClusterIP(svc) !== '';
}

function ipv4ClusterIP(svc: Service): string {
  const spec = svc.spec ?? {};
  const ips = spec.clusterIPs?.length ? spec.clusterIPs : [spec.clusterIP ?? ''];
  return ips.find((ip) => isIPv4(ip)) ?? '';
}

function endpointsFor(slices: readonly EndpointSlice[], o: { portName: string; protocol: string; nodeName: string }): ProxyEndpoint[] {
  const seen = new Map<string, ProxyEndpoint>();
  for (const slice of slices) {
    const port = (slice.ports ?? []).find((p) => (p.name ?? '') === o.portName && (p.protocol ?? 'TCP') === o.protocol)?.port;
    if (port === undefined) continue;
    for (const ep of slice.endpoints ?? []) {
      // Like kube-proxy, only the first address counts: the others are the same endpoint.
      const ip = ep.addresses?.[0];
      if (!ip || !isIPv4(ip)) continue;
      const key = `${ip}:${port}`;
      // An endpoint moving between slices may briefly be in two; the first one wins.
      if (seen.has(key)) continue;
      const ready = ep.conditions?.ready ?? true;
      seen.set(key, {
        ip,
        port,
        local: ep.nodeName === o.nodeName,
        ready,
        serving: ep.conditions?.serving ?? ready,
        terminating: ep.conditions?.terminating ?? false,
      });
    }
  }
  return [...seen.values()]
    .map((e) => ({ e, n: ipv4Number(e.ip) }))
    .sort((a, b) => a.n - b.n || a.e.port - b.e.port)
    .map((x) => x.e);
}

/** An IPv4 address as a number, for sorting. */
export function ipv4Number(ip: string): number {
  let n = 0;
  for (const part of ip.split('.')) n = n * 256 + Number(part);
  return n;
}


/** Sorts addresses numerically, converting each once (large sets are sorted on every sync). */
export function sortIPv4(ips: Iterable<string>): string[] {
  return [...ips]
    .map((ip) => ({ ip, n: ipv4Number(ip) }))
    .sort((a, b) => a.n - b.n)
    .map((x) => x.ip);
}

/** The model of every proxied port of `svc`, given all slices of that Service. */
export function servicePorts(svc: Service, slices: readonly EndpointSlice[], nodeName: string): ServicePortModel[] {
  if (!proxied(svc)) return [];
  const spec = svc.spec ?? {};
  const namespace = svc.metadata?.namespace ?? '';
  const name = svc.metadata?.name ?? '';
  const external = spec.type === 'NodePort' || spec.type === 'LoadBalancer';
  const externalIPs = (spec.externalIPs ?? []).filter((ip) => isIPv4(ip));
  const loadBalancerIPs =
    spec.type === 'LoadBalancer'
      ? (svc.status?.loadBalancer?.ingress ?? []).filter((i) => i.ip && isIPv4(i.ip) && i.ipMode !== 'Proxy').map((i) => i.ip ?? '')
      : [];
  const affinitySeconds = spec.sessionAffinity === 'ClientIP' ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_SECONDS) : 0;
  const out: ServicePortModel[] = [];
  for (const p of spec.ports ?? []) {
    const protocol = PROTOCOLS[p.protocol ?? 'TCP'];
    if (!protocol || p.port === undefined) continue;
    const portName = p.name ?? '';
    out.push({
      id: `${namespace}/${name}/${protocol}/${portName || String(p.port)}`,
      namespace,
      name,
      protocol,
      clusterIP: ipv4ClusterIP(svc),
      port: p.port,
      nodePort: external ? (p.nodePort ?? 0) : 0,
      externalIPs,
      loadBalancerIPs,
      affinitySeconds,
      externalLocal: (external || externalIPs.length > 0 || loadBalancerIPs.length > 0) && spec.externalTrafficPolicy === 'Local',
      internalLocal: spec.internalTrafficPolicy === 'Local',
      endpoints: endpointsFor(slices, { portName, protocol: p.protocol ?? 'TCP', nodeName }),
    });
  }
  return out;
}

/** Every proxied Service port in the cluster, in a stable order. */
export function buildModel(o: { services: readonly Service[]; slices: readonly EndpointSlice[]; nodeName: string }): ServicePortModel[] {
  const byService = slicesByService(o.slices);
  const out: ServicePortModel[] = [];
  for (const svc of o.services) {
    const key = `${svc.metadata?.namespace ?? ''}/${svc.metadata?.name ?? ''}`;
    out.push(...servicePorts(svc, byService.get(key) ?? [], o.nodeName));
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
