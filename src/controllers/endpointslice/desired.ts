// The endpoints a Service should have, per IP family, grouped by the ports they serve: a named
// target port can resolve to different numbers on different pods, and every endpoint of a slice
// must serve the slice's ports, so pods resolving differently land in different groups (and so
// in different slices). Conditions follow Kubernetes: serving = the pod is Ready, terminating =
// the pod is being deleted, ready = serving and not terminating (or publishNotReadyAddresses).
import type { ApiObject } from '../../api/kind.js';
import type { Endpoint, EndpointPort } from '../../api/discovery/v1/index.js';
import type { Node } from '../../api/core/v1/index.js';
import {
  belongsInEndpoints,
  hostnameFor,
  isReady,
  isTerminating,
  podIPOf,
  resolvePort,
  serviceFamilies,
  type Family,
  type PodObj,
  type ServiceObj,
} from './pods.js';

export const ZONE_LABEL = 'topology.kubernetes.io/zone';

export interface DesiredGroup {
  ports: EndpointPort[];
  endpoints: Endpoint[];
}

export interface Desired {
  /** Family → port key → group. */
  byFamily: Map<Family, Map<string, DesiredGroup>>;
  /** Pods left out because the node they name does not exist (yet). */
  skipped: string[];
}

/** JSON with object keys sorted, so values that differ only in key order compare equal. */
export function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.entries(val as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : val,
  );
}

const normalPort = (p: EndpointPort): EndpointPort => ({
  name: p.name ?? '',
  protocol: p.protocol ?? 'TCP',
  ...(p.port !== undefined ? { port: p.port } : {}),
  ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
});

/** Identifies a set of ports regardless of order. */
export function portKey(ports: readonly EndpointPort[] | undefined): string {
  return canonical((ports ?? []).map(normalPort).sort((a, b) => canonical(a).localeCompare(canonical(b))));
}

/** Identifies an endpoint across updates: its addresses, hostname and the pod behind it. */
export function endpointKey(ep: Endpoint): string {
  return JSON.stringify([[...(ep.addresses ?? [])].sort(), ep.hostname ?? '', ep.targetRef?.namespace ?? '', ep.targetRef?.name ?? '']);
}

function portsFor(svc: ServiceObj, pod: PodObj): EndpointPort[] {
  const out: EndpointPort[] = [];
  for (const sp of svc.spec?.ports ?? []) {
    const port = resolvePort(pod, sp);
    if (port === undefined) continue;
    out.push({ name: sp.name ?? '', protocol: sp.protocol ?? 'TCP', port, ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
  }
  return out;
}

function endpointFor(pod: PodObj, svc: ServiceObj, o: { ip: string; node: (Node & ApiObject) | undefined }): Endpoint {
  const serving = isReady(pod);
  const terminating = isTerminating(pod);
  const ep: Endpoint = {
    addresses: [o.ip],
    conditions: { ready: svc.spec?.publishNotReadyAddresses === true || (serving && !terminating), serving, terminating },
  };
  const hostname = hostnameFor(pod, svc);
  if (hostname) ep.hostname = hostname;
  ep.targetRef = { kind: 'Pod', namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' };
  if (pod.spec?.nodeName) ep.nodeName = pod.spec.nodeName;
  const zone = o.node?.metadata?.labels?.[ZONE_LABEL];
  if (zone) ep.zone = zone;
  return ep;
}

export function desiredEndpoints(svc: ServiceObj, pods: PodObj[], nodeNamed: (name: string) => (Node & ApiObject) | undefined): Desired {
  const byFamily = new Map<Family, Map<string, DesiredGroup>>();
  const skipped: string[] = [];
  const families = serviceFamilies(svc);
  for (const f of families) byFamily.set(f, new Map());
  for (const pod of pods) {
    if (!belongsInEndpoints(pod, { includeTerminating: true })) continue;
    const ports = portsFor(svc, pod);
    const key = portKey(ports);
    const node = pod.spec?.nodeName ? nodeNamed(pod.spec.nodeName) : undefined;
    // As in Kubernetes: a pod on a node that does not exist is left out (and the service retried)
    // unless the service publishes every address regardless.
    const missingNode = !node && svc.spec?.publishNotReadyAddresses !== true;
    if (missingNode) skipped.push(pod.metadata?.name ?? '');
    for (const f of families) {
      const groups = byFamily.get(f) as Map<string, DesiredGroup>;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { ports, endpoints: [] }));
      const ip = podIPOf(pod, f);
      if (ip && !missingNode) g.endpoints.push(endpointFor(pod, svc, { ip, node }));
    }
  }
  for (const groups of byFamily.values()) for (const g of groups.values()) g.endpoints.sort((a, b) => endpointKey(a).localeCompare(endpointKey(b)));
  return { byFamily, skipped };
}
