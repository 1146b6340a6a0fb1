// Service environment variables, the discovery mechanism that predates cluster DNS: for every
// Service with a cluster IP in the pod's namespace (when enableServiceLinks is on, the default),
// plus the API server's `kubernetes` Service from `default` (always), the container gets
// `<NAME>_SERVICE_HOST`, `<NAME>_SERVICE_PORT`, `<NAME>_SERVICE_PORT_<PORTNAME>`, and the Docker
// link style `<NAME>_PORT`, `<NAME>_PORT_<port>_<PROTO>[_PROTO|_PORT|_ADDR]`.
import type { Service } from '../../../api/core/v1/index.js';

const MASTER_NAMESPACE = 'default';
const MASTER_SERVICES = new Set(['kubernetes']);

const envName = (s: string): string => s.toUpperCase().replace(/-/g, '_');

const hasClusterIP = (svc: Service): boolean => {
  const ip = svc.spec?.clusterIP;
  return ip !== undefined && ip !== '' && ip !== 'None';
};

/** The services whose variables a pod in `namespace` sees, one per name (its own namespace's win). */
export function servicesForPod(all: Service[], o: { namespace: string; enableServiceLinks: boolean }): Service[] {
  const byName = new Map<string, Service>();
  for (const svc of all) {
    if (!hasClusterIP(svc)) continue;
    const name = svc.metadata?.name ?? '';
    const ns = svc.metadata?.namespace ?? '';
    if (ns === o.namespace && o.enableServiceLinks) byName.set(name, svc);
    else if (ns === MASTER_NAMESPACE && MASTER_SERVICES.has(name) && !byName.has(name)) byName.set(name, svc);
  }
  return [...byName.values()].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
}

const hostPort = (ip: string, port: number): string => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);

/** The variables of a set of services, in a stable order. */
export function serviceEnv(services: Service[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const svc of services) {
    const name = envName(svc.metadata?.name ?? '');
    const ip = svc.spec?.clusterIP ?? '';
    const ports = svc.spec?.ports ?? [];
    const first = ports[0];
    out.set(`${name}_SERVICE_HOST`, ip);
    if (first) out.set(`${name}_SERVICE_PORT`, String(first.port));
    for (const p of ports) if (p.name) out.set(`${name}_SERVICE_PORT_${envName(p.name)}`, String(p.port));
    if (!first) continue;
    out.set(`${name}_PORT`, `${(first.protocol ?? 'TCP').toLowerCase()}://${hostPort(ip, first.port)}`);
    for (const p of ports) {
      const proto = (p.protocol ?? 'TCP').toLowerCase();
      const prefix = `${name}_PORT_${p.port}_${proto.toUpperCase()}`;
      out.set(prefix, `${proto}://${hostPort(ip, p.port)}`);
      out.set(`${prefix}_PROTO`, proto);
      out.set(`${prefix}_PORT`, String(p.port));
      out.set(`${prefix}_ADDR`, ip);
    }
  }
  return out;
}
