// Turns an Ingress backend (a Service and one of its ports, by name or number) into the list of
// endpoint addresses the proxy sends to, straight from the Service's EndpointSlices rather than
// through its ClusterIP, as ingress-nginx does. The Ingress names the *service* port; the port
// the endpoints listen on is the matching EndpointSlice port (slices name their ports after the
// service ports), which already resolves named container ports. Only ready endpoints are used.
import type { Service, ServicePort } from '../../api/core/v1/index.js';
import type { EndpointSlice } from '../../api/discovery/v1/index.js';
import type { IngressBackend } from '../../api/networking/v1/index.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export interface Endpoint {
  host: string;
  port: number;
}

/** The endpoints behind one service port: what a route points at. Immutable once built. */
export interface Pool {
  /** `namespace/service:port`, stable across rebuilds (it keys the round-robin position). */
  key: string;
  endpoints: readonly Endpoint[];
  /** Why there are no endpoints, for the log and the 503 page. */
  problem?: string;
}

export interface BackendSource {
  service(namespace: string, name: string): Service | undefined;
  slices(namespace: string, serviceName: string): readonly EndpointSlice[];
}

function findServicePort(svc: Service, want: { name?: string; number?: number }): ServicePort | undefined {
  const ports = svc.spec?.ports ?? [];
  if (want.name) return ports.find((p) => p.name === want.name);
  return ports.find((p) => p.port === want.number);
}

function externalNamePool(key: string, svc: Service, want: { name?: string; number?: number }): Pool {
  const sp = findServicePort(svc, want);
  const port = want.number || (typeof sp?.targetPort === 'number' ? sp.targetPort : sp?.port);
  const host = svc.spec?.externalName;
  if (!host || !port) return { key, endpoints: [], problem: 'ExternalName service without a name or port' };
  return { key, endpoints: [{ host, port }] };
}

/** Ready endpoints of a service port, de-duplicated and in a stable order. */
function sliceEndpoints(slices: readonly EndpointSlice[], portName: string): Endpoint[] {
  const seen = new Set<string>();
  const out: Endpoint[] = [];
  for (const slice of slices) {
    if (slice.addressType !== 'IPv4' && slice.addressType !== 'IPv6') continue;
    const sp = (slice.ports ?? []).find((p) => (p.name ?? '') === portName && (p.protocol ?? 'TCP') === 'TCP');
    if (!sp?.port) continue;
    for (const ep of slice.endpoints ?? []) {
      // An unset ready condition means ready, as the EndpointSlice API specifies.
      if (ep.conditions?.ready === false) continue;
      const host = ep.addresses?.[0];
      if (!host) continue;
      const id = `${host}|${sp.port}`;
      if (seen.has(id)) continue;
      seen.add(id);
      out.push({ host, port: sp.port });
    }
  }
  return out.sort((a, b) => (a.host === b.host ? a.port - b.port : a.host < b.host ? -1 : 1));
}

export function resolvePool(namespace: string, backend: IngressBackend, src: BackendSource): Pool {
  const ref = backend.service;
  if (!ref) {
    const r = backend.resource;
    return { key: `${namespace}/${r?.kind ?? ''}/${r?.name ?? ''}`, endpoints: [], problem: 'resource backends are not supported' };
  }
  const want = { ...(ref.port?.name ? { name: ref.port.name } : {}), ...(ref.port?.number ? { number: ref.port.number } : {}) };
  const key = `${namespace}/${ref.name}:${want.name ?? want.number ?? ''}`;
  const svc = src.service(namespace, ref.name);
  if (!svc) return { key, endpoints: [], problem: `service ${namespace}/${ref.name} not found` };
  if (svc.spec?.type === 'ExternalName') return externalNamePool(key, svc, want);
  const sp = findServicePort(svc, want);
  if (!sp) return { key, endpoints: [], problem: `service ${namespace}/${ref.name} has no port ${want.name ?? want.number ?? ''}` };
  const endpoints = sliceEndpoints(src.slices(namespace, ref.name), sp.name ?? '');
  return endpoints.length > 0 ? { key, endpoints } : { key, endpoints, problem: `service ${namespace}/${ref.name} has no ready endpoints` };
}
