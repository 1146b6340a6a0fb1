// The legacy Endpoints `subsets` for a Service: each pod the selector picks becomes an address
// (ready, or not ready), serving each service port that resolves on that pod; addresses serving
// the same set of ports are packed into one subset. Terminating pods are left out unless the
// service publishes not-ready addresses. Output is sorted (addresses by IP, ports by name) so an
// unchanged world produces identical subsets and no write.
import type { EndpointAddress, EndpointPort, EndpointSubset } from '../../api/core/v1/index.js';
import { belongsInEndpoints, hostnameFor, isReady, podIPOf, resolvePort, serviceFamilies, type PodObj, type ServiceObj } from '../endpointslice/index.js';

/** Kubernetes caps an Endpoints object at 1000 addresses and says so in an annotation. */
export const MAX_ADDRESSES = 1000;

interface Member {
  address: EndpointAddress;
  ready: boolean;
  ports: EndpointPort[];
}

const byIP = (a: EndpointAddress, b: EndpointAddress): number =>
  a.ip === b.ip ? (a.targetRef?.uid ?? '').localeCompare(b.targetRef?.uid ?? '') : (a.ip ?? '') < (b.ip ?? '') ? -1 : 1;

const portId = (p: EndpointPort): string => JSON.stringify([p.name ?? '', p.port ?? 0, p.protocol ?? 'TCP', p.appProtocol ?? '']);

function memberFor(svc: ServiceObj, pod: PodObj): Member | undefined {
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  if (!belongsInEndpoints(pod, { includeTerminating: publishNotReady })) return undefined;
  const ip = podIPOf(pod, serviceFamilies(svc)[0] ?? 'IPv4');
  if (!ip) return undefined;
  const address: EndpointAddress = { ip };
  const hostname = hostnameFor(pod, svc);
  if (hostname) address.hostname = hostname;
  if (pod.spec?.nodeName) address.nodeName = pod.spec.nodeName;
  address.targetRef = { kind: 'Pod', namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' };
  const ports: EndpointPort[] = [];
  for (const sp of svc.spec?.ports ?? []) {
    const port = resolvePort(pod, sp);
    if (port === undefined) continue;
    ports.push({ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
  }
  // A pod serving none of the service's ports is no endpoint — except for a port-less headless service.
  if (ports.length === 0 && ((svc.spec?.ports ?? []).length > 0 || svc.spec?.clusterIP !== 'None')) return undefined;
  return { address, ready: publishNotReady || isReady(pod), ports };
}

export interface BuiltSubsets {
  subsets: EndpointSubset[];
  truncated: boolean;
}

export function buildSubsets(svc: ServiceObj, pods: PodObj[]): BuiltSubsets {
  const groups = new Map<string, { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }>();
  for (const pod of pods) {
    const m = memberFor(svc, pod);
    if (!m) continue;
    const ports = [...m.ports].sort((a, b) => portId(a).localeCompare(portId(b)));
    const key = ports.map(portId).join(',');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports, ready: [], notReady: [] }));
    (m.ready ? g.ready : g.notReady).push(m.address);
  }
  const truncated = truncate([...groups.values()]);
  const subsets: EndpointSubset[] = [];
  for (const g of groups.values()) {
    if (g.ready.length === 0 && g.notReady.length === 0) continue;
    const ss: EndpointSubset = {};
    if (g.ready.length) ss.addresses = g.ready.sort(byIP);
    if (g.notReady.length) ss.notReadyAddresses = g.notReady.sort(byIP);
    if (g.ports.length) ss.ports = g.ports;
    subsets.push(ss);
  }
  const first = (ss: EndpointSubset): string => (ss.addresses ?? ss.notReadyAddresses ?? [])[0]?.ip ?? '';
  subsets.sort((a, b) => (first(a) < first(b) ? -1 : first(a) > first(b) ? 1 : 0));
  return { subsets, truncated };
}

/** Drops addresses beyond the cap, not-ready ones first. */
function truncate(groups: { ready: EndpointAddress[]; notReady: EndpointAddress[] }[]): boolean {
  let total = groups.reduce((n, g) => n + g.ready.length + g.notReady.length, 0);
  if (total <= MAX_ADDRESSES) return false;
  for (const field of ['notReady', 'ready'] as const) {
    for (const g of groups) {
      const drop = Math.min(total - MAX_ADDRESSES, g[field].length);
      g[field].sort(byIP).splice(g[field].length - drop, drop);
      total -= drop;
    }
  }
  return true;
}
