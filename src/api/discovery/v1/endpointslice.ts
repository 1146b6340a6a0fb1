// discovery.k8s.io/v1 EndpointSlice: a slice (up to 1000 endpoints) of the addresses behind a
// Service, with readiness conditions, topology and hints; the scalable successor to Endpoints
// that the proxy and DNS read. The address type of a slice is fixed for its lifetime.
import { Type } from '@sinclair/typebox';
import { obj, str, bool, int32, list, strList, enumStr, describeKind, type Static } from '../../schema.js';
import { ObjectMeta, typeMeta } from '../../meta/v1.js';
import { defineKind } from '../../kind.js';
import { endpointSliceKind as endpointSliceKindNames } from '../../refs/index.js';
import { validateObjectMeta, checkFormat, immutable } from '../../validation/meta.js';
import { dns1123Label, dns1123Subdomain, portNumber, qualifiedName } from '../../validation/names.js';
import { child, index, invalid, required, notSupported, duplicate, type FieldError } from '../../../lib/field-errors.js';
import { ObjectReference, PROTOCOLS, ipFamily } from '../../core/v1/index.js';

const id = (name: string): string => `io.k8s.api.discovery.v1.${name}`;

export const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'] as const;
const MAX_ENDPOINTS = 1000;
const MAX_PORTS = 20000;
const MAX_ADDRESSES = 100;

export const EndpointConditions = obj(
  'Readiness of an endpoint.',
  {
    ready: bool('Ready to receive traffic; unknown state counts as ready. False while terminating.'),
    serving: bool('Ready to serve, whether or not it is terminating.'),
    terminating: bool('The endpoint is shutting down.'),
  },
  { id: id('EndpointConditions') },
);

export const ForZone = obj('A zone that should consume an endpoint.', { name: str('Name of the zone.') }, { id: id('ForZone'), required: ['name'] });

export const EndpointHints = obj(
  'Hints about which consumers should use an endpoint (topology-aware routing).',
  { forZones: list('Zones that should consume this endpoint.', ForZone, { listType: 'atomic' }) },
  { id: id('EndpointHints') },
);

export const Endpoint = obj(
  'One backend of a service: its addresses, readiness and location.',
  {
    addresses: strList('Addresses of the endpoint, all of the slice\'s address type; usually one.', { listType: 'set' }),
    conditions: EndpointConditions,
    hostname: str('Hostname of the endpoint, for per-pod DNS names.'),
    targetRef: ObjectReference,
    deprecatedTopology: Type.Record(Type.String(), Type.String(), {
      description: 'Deprecated topology labels; use nodeName and zone.',
    }),
    nodeName: str('Node hosting the endpoint.'),
    zone: str('Zone the endpoint is in.'),
    hints: EndpointHints,
  },
  { id: id('Endpoint'), required: ['addresses'] },
);
export type Endpoint = Static<typeof Endpoint>;

export const EndpointPort = obj(
  'A port every endpoint of the slice serves.',
  {
    name: str('Name matching the service port; empty when the service has one unnamed port.'),
    protocol: enumStr('TCP, UDP or SCTP; defaults to TCP.', PROTOCOLS),
    port: int32('Port number; unset means all ports.'),
    appProtocol: str('Application protocol, as an IANA service name or a domain-prefixed name.'),
  },
  { id: id('EndpointPort'), 'x-kubernetes-map-type': 'atomic' },
);
export type EndpointPort = Static<typeof EndpointPort>;

export const EndpointSlice = obj(
  'A subset of the endpoints behind a service.',
  {
    ...typeMeta,
    metadata: ObjectMeta,
    addressType: enumStr('Type of every address in the slice: IPv4, IPv6 or FQDN.', ADDRESS_TYPES),
    endpoints: list('Endpoints in the slice, at most 1000.', Endpoint, { listType: 'atomic' }),
    ports: list('Ports every endpoint serves; empty means none are known.', EndpointPort, { listType: 'atomic' }),
  },
  {
    id: id('EndpointSlice'),
    required: ['addressType', 'endpoints'],
    ...describeKind('discovery.k8s.io', 'v1', 'EndpointSlice'),
  },
);
export type EndpointSlice = Static<typeof EndpointSlice>;

const tooMany = (field: string, actual: number, max: number): FieldError => ({
  type: 'FieldValueTooMany',
  field,
  value: actual,
  detail: `${actual}: must have at most ${max} items`,
});

function validateAddress(addr: string, type: string, path: string): FieldError[] {
  if (type === 'FQDN') return checkFormat(path, addr, dns1123Subdomain);
  return ipFamily(addr) === type ? [] : [invalid(path, addr, `must be a valid ${type} address`)];
}

function validateEndpoints(slice: EndpointSlice): FieldError[] {
  const out: FieldError[] = [];
  const endpoints = slice.endpoints ?? [];
  if (endpoints.length > MAX_ENDPOINTS) out.push(tooMany('endpoints', endpoints.length, MAX_ENDPOINTS));
  endpoints.forEach((ep, i) => {
    const p = index('endpoints', i);
    const addrs = ep.addresses ?? [];
    if (addrs.length === 0) out.push(required(child(p, 'addresses'), 'must contain at least 1 address'));
    else if (addrs.length > MAX_ADDRESSES) out.push(tooMany(child(p, 'addresses'), addrs.length, MAX_ADDRESSES));
    addrs.forEach((a, j) => out.push(...validateAddress(a, slice.addressType ?? '', index(child(p, 'addresses'), j))));
    if (ep.hostname) out.push(...checkFormat(child(p, 'hostname'), ep.hostname, dns1123Label));
    if (ep.nodeName) out.push(...checkFormat(child(p, 'nodeName'), ep.nodeName, dns1123Subdomain));
    (ep.hints?.forZones ?? []).forEach((z, j) => {
      if (!z.name) out.push(required(child(index(child(p, 'hints.forZones'), j), 'name')));
    });
  });
  return out;
}

function validatePorts(ports: EndpointPort[]): FieldError[] {
  const out: FieldError[] = [];
  if (ports.length > MAX_PORTS) out.push(tooMany('ports', ports.length, MAX_PORTS));
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const p = index('ports', i);
    const name = port.name ?? '';
    if (name) out.push(...checkFormat(child(p, 'name'), name, dns1123Label));
    if (names.has(name)) out.push(duplicate(child(p, 'name'), name));
    names.add(name);
    if (!port.protocol) out.push(required(child(p, 'protocol')));
    else if (!(PROTOCOLS as readonly string[]).includes(port.protocol)) out.push(notSupported(child(p, 'protocol'), port.protocol, PROTOCOLS));
    if (port.port !== undefined) out.push(...portNumber(port.port).map((m) => invalid(child(p, 'port'), port.port, m)));
    if (port.appProtocol) out.push(...checkFormat(child(p, 'appProtocol'), port.appProtocol, qualifiedName));
  });
  return out;
}

export const endpointSliceKind = defineKind({
  ...endpointSliceKindNames,
  schema: EndpointSlice,
  defaults(slice) {
    for (const p of slice.ports ?? []) {
      p.name ??= '';
      p.protocol ||= 'TCP';
    }
  },
  validate(slice, { old }) {
    const out = validateObjectMeta(slice.metadata, { namespaced: true });
    const type = slice.addressType;
    if (!type) out.push(required('addressType'));
    else if (!(ADDRESS_TYPES as readonly string[]).includes(type)) out.push(notSupported('addressType', type, ADDRESS_TYPES));
    out.push(...validateEndpoints(slice), ...validatePorts(slice.ports ?? []));
    if (old) out.push(...immutable('addressType', slice.addressType, old.addressType));
    return out;
  },
});
