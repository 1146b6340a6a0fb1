// Tables for Services and Endpoints: TYPE, CLUSTER-IP, EXTERNAL-IP and PORT(S) (`80:30080/TCP`
// when a node port is allocated), and the ENDPOINTS list that shows at most three addresses.
import type { ApiObject } from '../../../api/kind.js';
import { formatLabels } from '../../../lib/selectors/index.js';
import { since } from '../duration.js';
import { AGE, NAME, column, createdOf, nameOf, sortedUnique, view, wide, type WithMeta } from '../columns.js';
import type { Cell, Printer } from '../types.js';

interface LoadBalancerIngress {
  ip?: string;
  hostname?: string;
}

interface Service extends WithMeta {
  spec?: {
    type?: string;
    clusterIP?: string;
    clusterIPs?: string[];
    externalIPs?: string[];
    externalName?: string;
    selector?: Record<string, string>;
    ports?: { port?: number; nodePort?: number; protocol?: string }[];
  };
  status?: { loadBalancer?: { ingress?: LoadBalancerIngress[] } };
}

/** Load-balancer addresses (IP, else hostname), unique and sorted. The server prints wide, so no clipping. */
export const loadBalancerAddresses = (ingress: readonly LoadBalancerIngress[] | undefined): string[] =>
  sortedUnique((ingress ?? []).map((i) => i.ip || i.hostname || '').filter((a) => a !== ''));

function externalIP(svc: Service): string {
  const spec = svc.spec ?? {};
  const external = spec.externalIPs ?? [];
  switch (spec.type) {
    case 'ClusterIP':
    case 'NodePort':
      return external.length > 0 ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerAddresses(svc.status?.loadBalancer?.ingress);
      if (external.length > 0) return [...lb, ...external].join(',');
      return lb.length > 0 ? lb.join(',') : '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

function ports(svc: Service): string {
  const list = (svc.spec?.ports ?? []).map((p) => {
    const proto = p.protocol ?? 'TCP';
    return p.nodePort ? `${p.port ?? 0}:${p.nodePort}/${proto}` : `${p.port ?? 0}/${proto}`;
  });
  return list.length > 0 ? list.join(',') : '<none>';
}

export const services: Printer = {
  columns: [
    NAME,
    column('Type', 'string', 'How the service is exposed: ClusterIP, NodePort, LoadBalancer or ExternalName.'),
    column('Cluster-IP', 'string', 'The virtual IP inside the cluster, None for a headless service.'),
    column('External-IP', 'string', 'Addresses reachable from outside: load-balancer ingress and spec.externalIPs.'),
    column('Port(s)', 'string', 'Service ports as port[:nodePort]/protocol.'),
    AGE,
    wide('Selector', 'string', 'Labels of the pods that back the service.'),
  ],
  cells(obj: ApiObject, now: Date): Cell[] {
    const svc = view<Service>(obj);
    const clusterIP = svc.spec?.clusterIPs?.[0] || svc.spec?.clusterIP || '<none>';
    return [
      nameOf(svc),
      svc.spec?.type ?? '',
      clusterIP,
      externalIP(svc),
      ports(svc),
      since(createdOf(svc), now),
      formatLabels(svc.spec?.selector),
    ];
  },
};

interface Endpoints extends WithMeta {
  subsets?: { addresses?: { ip?: string }[]; ports?: { port?: number }[] }[];
}

/** `host:port`, bracketing IPv6 hosts. */
const hostPort = (ip: string, port: number): string => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);

function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const shown: string[] = [];
  let count = 0;
  for (const ss of subsets) {
    const addrs = (ss.addresses ?? []).map((a) => a.ip ?? '');
    // A headless service may have no ports: then the bare addresses are listed.
    const entries = (ss.ports ?? []).length === 0 ? [addrs] : (ss.ports ?? []).map((p) => addrs.map((ip) => hostPort(ip, p.port ?? 0)));
    for (const group of entries) {
      count += group.length;
      for (const e of group) if (shown.length < max) shown.push(e);
    }
  }
  const text = shown.join(',');
  return count > max ? `${text} + ${count - max} more...` : text;
}

export const endpoints: Printer = {
  columns: [NAME, column('Endpoints', 'string', 'Ready addresses with their ports, the first three of them.'), AGE],
  cells(obj: ApiObject, now: Date): Cell[] {
    const ep = view<Endpoints>(obj);
    return [nameOf(ep), formatEndpoints(ep), since(createdOf(ep), now)];
  },
};
