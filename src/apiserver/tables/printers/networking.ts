// Tables for networking.k8s.io and discovery.k8s.io: ingresses (CLASS, HOSTS, ADDRESS, PORTS),
// ingressclasses (CONTROLLER, PARAMETERS) and endpointslices (ADDRESSTYPE, PORTS, ENDPOINTS).
import type { ApiObject } from '../../../api/kind.js';
import { since } from '../duration.js';
import { AGE, NAME, column, createdOf, listWithMore, nameOf, view, type WithMeta } from '../columns.js';
import type { Cell, Printer } from '../types.js';
import { loadBalancerAddresses } from './services.js';

interface Ingress extends WithMeta {
  spec?: { ingressClassName?: string; rules?: { host?: string }[]; tls?: unknown[] };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

/** Up to three hosts, `+ N more...` counting every further rule; `*` when no rule names a host. */
function hosts(rules: readonly { host?: string }[]): string {
  const max = 3;
  const shown: string[] = [];
  let more = false;
  for (const r of rules) {
    if (shown.length === max) more = true;
    if (!more && r.host) shown.push(r.host);
  }
  if (shown.length === 0) return '*';
  return more ? `${shown.join(',')} + ${rules.length - max} more...` : shown.join(',');
}

export const ingresses: Printer = {
  columns: [
    NAME,
    column('Class', 'string', 'IngressClass that handles this ingress.'),
    column('Hosts', 'string', 'Host names the rules match.'),
    column('Address', 'string', 'Addresses the ingress controller published for this ingress.'),
    column('Ports', 'string', 'Ports the ingress is served on: 80, and 443 when TLS is configured.'),
    AGE,
  ],
  cells(obj: ApiObject, now: Date): Cell[] {
    const ing = view<Ingress>(obj);
    return [
      nameOf(ing),
      ing.spec?.ingressClassName ?? '<none>',
      hosts(ing.spec?.rules ?? []),
      loadBalancerAddresses(ing.status?.loadBalancer?.ingress).join(','),
      (ing.spec?.tls?.length ?? 0) > 0 ? '80, 443' : '80',
      since(createdOf(ing), now),
    ];
  },
};

interface IngressClass extends WithMeta {
  spec?: { controller?: string; parameters?: { apiGroup?: string; kind?: string; name?: string } };
}

export const ingressclasses: Printer = {
  columns: [
    NAME,
    column('Controller', 'string', 'The ingress controller that implements this class.'),
    column('Parameters', 'string', 'Object holding extra configuration for the controller, as kind[.group]/name.'),
    AGE,
  ],
  cells(obj: ApiObject, now: Date): Cell[] {
    const ic = view<IngressClass>(obj);
    const p = ic.spec?.parameters;
    const params = p ? `${p.kind ?? ''}${typeof p.apiGroup === 'string' ? `.${p.apiGroup}` : ''}/${p.name ?? ''}` : '<none>';
    return [nameOf(ic), ic.spec?.controller ?? '', params, since(createdOf(ic), now)];
  },
};

interface EndpointSlice extends WithMeta {
  addressType?: string;
  ports?: { port?: number; name?: string }[] | null;
  endpoints?: { addresses?: string[] }[] | null;
}

export const endpointslices: Printer = {
  columns: [
    NAME,
    column('AddressType', 'string', 'IPv4, IPv6 or FQDN.'),
    column('Ports', 'string', 'Port numbers of the slice, the first three of them.'),
    column('Endpoints', 'string', 'Endpoint addresses, the first three of them.'),
    AGE,
  ],
  cells(obj: ApiObject, now: Date): Cell[] {
    const es = view<EndpointSlice>(obj);
    // A port with neither number nor name stands for all ports.
    const ports = (es.ports ?? []).map((p) => (typeof p.port === 'number' ? String(p.port) : typeof p.name === 'string' ? p.name : '*'));
    const addrs = (es.endpoints ?? []).flatMap((e) => e.addresses ?? []);
    return [nameOf(es), es.addressType ?? '', listWithMore(ports), listWithMore(addrs), since(createdOf(es), now)];
  },
};
