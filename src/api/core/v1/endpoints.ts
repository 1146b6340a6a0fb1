// core/v1 Endpoints: the legacy list of addresses and ports behind a Service, grouped in subsets
// (every address of a subset serves every port of it). The endpoints controller writes one per
// selector-bearing Service; users write their own for selector-less Services.
import { obj, str, int32, list, describeKind, type Static } from '../../schema.js';
import { ObjectMeta, typeMeta } from '../../meta/v1.js';
import { defineKind } from '../../kind.js';
import { endpointsKind as endpointsKindNames } from '../../refs/index.js';
import { validateObjectMeta, checkFormat } from '../../validation/meta.js';
import { dns1123Label, dns1123Subdomain, portNumber, qualifiedName } from '../../validation/names.js';
import { child, index, invalid, required, notSupported, duplicate, type FieldError } from '../../../lib/field-errors.js';
import { ObjectReference } from './object-reference.js';
import { PROTOCOLS } from './container.js';
import { protocol } from './service-schema.js';
import { ipFamily, specialIPReason } from './ip.js';

const id = (name: string): string => `io.k8s.api.core.v1.${name}`;

export const EndpointAddress = obj(
  'One address of an endpoint.',
  {
    ip: str('IP address of the endpoint.'),
    hostname: str('Hostname of the endpoint, for per-pod DNS names of headless services.'),
    nodeName: str('Node hosting the endpoint.'),
    targetRef: ObjectReference,
  },
  { id: id('EndpointAddress'), required: ['ip'], 'x-kubernetes-map-type': 'atomic' },
);
export type EndpointAddress = Static<typeof EndpointAddress>;

export const EndpointPort = obj(
  'One port of an endpoint.',
  {
    name: str('Name matching the service port; required when there is more than one.'),
    port: int32('Port number.'),
    protocol: protocol('TCP, UDP or SCTP; defaults to TCP.'),
    appProtocol: str('Application protocol, as an IANA service name or a domain-prefixed name.'),
  },
  { id: 'io.k8s.api.core.v1.EndpointPort', required: ['port'], 'x-kubernetes-map-type': 'atomic' },
);
export type EndpointPort = Static<typeof EndpointPort>;

export const EndpointSubset = obj(
  'Addresses that all serve the same ports.',
  {
    addresses: list('Addresses that are ready to serve.', EndpointAddress, { listType: 'atomic' }),
    notReadyAddresses: list('Addresses that are not ready yet (or were recently ready).', EndpointAddress, {
      listType: 'atomic',
    }),
    ports: list('Ports served by every address.', EndpointPort, { listType: 'atomic' }),
  },
  { id: id('EndpointSubset') },
);
export type EndpointSubset = Static<typeof EndpointSubset>;

export const Endpoints = obj(
  'The addresses that implement a service.',
  {
    ...typeMeta,
    metadata: ObjectMeta,
    subsets: list('Groups of addresses and the ports they serve.', EndpointSubset, { listType: 'atomic' }),
  },
  { id: id('Endpoints'), ...describeKind('', 'v1', 'Endpoints') },
);
export type Endpoints = Static<typeof Endpoints>;

function validateAddress(a: EndpointAddress, path: string): FieldError[] {
  const out: FieldError[] = [];
  const ip = a.ip ?? '';
  if (!ipFamily(ip)) out.push(invalid(child(path, 'ip'), ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  else {
    const special = specialIPReason(ip);
    if (special) out.push(invalid(child(path, 'ip'), ip, special));
  }
  if (a.hostname) out.push(...checkFormat(child(path, 'hostname'), a.hostname, dns1123Label));
  if (a.nodeName) out.push(...checkFormat(child(path, 'nodeName'), a.nodeName, dns1123Subdomain));
  return out;
}

/** Endpoint ports as both Endpoints and EndpointSlices check them (names optional when only one). */
export function validateEndpointPort(p: EndpointPort, ctx: { path: string; requireName: boolean }): FieldError[] {
  const out: FieldError[] = [];
  const { path } = ctx;
  if (!p.name) {
    if (ctx.requireName) out.push(required(child(path, 'name')));
  } else out.push(...checkFormat(child(path, 'name'), p.name, dns1123Label));
  out.push(...portNumber(p.port ?? 0).map((m) => invalid(child(path, 'port'), p.port ?? 0, m)));
  if (!p.protocol) out.push(required(child(path, 'protocol')));
  else if (!(PROTOCOLS as readonly string[]).includes(p.protocol)) out.push(notSupported(child(path, 'protocol'), p.protocol, PROTOCOLS));
  if (p.appProtocol) out.push(...checkFormat(child(path, 'appProtocol'), p.appProtocol, qualifiedName));
  return out;
}

function validateSubset(ss: EndpointSubset, path: string): FieldError[] {
  const out: FieldError[] = [];
  if (!ss.addresses?.length && !ss.notReadyAddresses?.length)
    out.push(required(path, 'must specify `addresses` or `notReadyAddresses`'));
  (ss.addresses ?? []).forEach((a, i) => out.push(...validateAddress(a, index(child(path, 'addresses'), i))));
  (ss.notReadyAddresses ?? []).forEach((a, i) => out.push(...validateAddress(a, index(child(path, 'notReadyAddresses'), i))));
  const ports = ss.ports ?? [];
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const pp = index(child(path, 'ports'), i);
    out.push(...validateEndpointPort(p, { path: pp, requireName: ports.length > 1 }));
    if (p.name && names.has(p.name)) out.push(duplicate(child(pp, 'name'), p.name));
    if (p.name) names.add(p.name);
  });
  return out;
}

export const endpointsKind = defineKind({
  ...endpointsKindNames,
  schema: Endpoints,
  defaults(ep) {
    for (const ss of ep.subsets ?? []) for (const p of ss.ports ?? []) p.protocol ||= 'TCP';
  },
  validate(ep) {
    const out = validateObjectMeta(ep.metadata, { namespaced: true });
    (ep.subsets ?? []).forEach((ss, i) => out.push(...validateSubset(ss, index('subsets', i))));
    return out;
  },
});
