// networking.k8s.io/v1 Ingress: HTTP(S) routing from host names and URL paths to Services (or
// other resources), with TLS settings, handled by whichever controller its IngressClass names.
// Paths must say how they match (Exact, Prefix or ImplementationSpecific); there is no default.
import { obj, str, int32, list, strList, enumStr, describeKind, type Static } from '../../schema.js';
import { ObjectMeta, typeMeta } from '../../meta/v1.js';
import { defineKind } from '../../kind.js';
import { ingressKind as ingressKindNames, INGRESS_CLASS_ANNOTATION } from '../../refs/index.js';

export { INGRESS_CLASS_ANNOTATION };
import { validateObjectMeta, checkFormat } from '../../validation/meta.js';
import { dns1035Label, dns1123Subdomain, portName, portNumber } from '../../validation/names.js';
import { child, index, invalid, required, notSupported, type FieldError } from '../../../lib/field-errors.js';
import { PROTOCOLS, TypedLocalObjectReference, isValidIP } from '../../core/v1/index.js';

const id = (name: string): string => `io.k8s.api.networking.v1.${name}`;

export const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'] as const;

export const ServiceBackendPort = obj(
  'A port of the backend service, by name or by number.',
  {
    name: str('Name of the service port.'),
    number: int32('Number of the service port.'),
  },
  { id: id('ServiceBackendPort'), 'x-kubernetes-map-type': 'atomic' },
);

export const IngressServiceBackend = obj(
  'A Service (in the Ingress\'s namespace) and one of its ports.',
  {
    name: str('Name of the service.'),
    port: ServiceBackendPort,
  },
  { id: id('IngressServiceBackend'), required: ['name'] },
);

export const IngressBackend = obj(
  'Where matching requests go: a service port or another resource, not both.',
  {
    service: IngressServiceBackend,
    resource: TypedLocalObjectReference,
  },
  { id: id('IngressBackend') },
);
export type IngressBackend = Static<typeof IngressBackend>;

export const HTTPIngressPath = obj(
  'A path and the backend requests matching it go to.',
  {
    path: str('URL path to match; must start with "/" for Exact and Prefix.'),
    pathType: enumStr('How the path matches: Exact, Prefix (by path elements) or ImplementationSpecific.', PATH_TYPES),
    backend: IngressBackend,
  },
  { id: id('HTTPIngressPath'), required: ['pathType', 'backend'] },
);

export const HTTPIngressRuleValue = obj(
  'HTTP paths of a rule.',
  { paths: list('Paths and their backends.', HTTPIngressPath, { listType: 'atomic' }) },
  { id: id('HTTPIngressRuleValue'), required: ['paths'] },
);

export const IngressRule = obj(
  'Routing for one host (or every host when host is empty).',
  {
    host: str('Host name to match, possibly with one leading wildcard label ("*.example.com").'),
    http: HTTPIngressRuleValue,
  },
  { id: id('IngressRule') },
);

export const IngressTLS = obj(
  'TLS for some hosts, with the certificate from a Secret.',
  {
    hosts: strList('Hosts the certificate covers; defaults to the controller\'s wildcard host.', { listType: 'atomic' }),
    secretName: str('Secret holding tls.crt and tls.key; empty lets SNI-less hosts share a default.'),
  },
  { id: id('IngressTLS') },
);

export const IngressSpec = obj(
  'How an Ingress routes requests.',
  {
    ingressClassName: str('IngressClass handling this Ingress; the default class when empty.'),
    defaultBackend: IngressBackend,
    tls: list('TLS configuration.', IngressTLS, { listType: 'atomic' }),
    rules: list('Host and path rules.', IngressRule, { listType: 'atomic' }),
  },
  { id: id('IngressSpec') },
);
export type IngressSpec = Static<typeof IngressSpec>;

export const IngressPortStatus = obj(
  'Status of one load-balancer port.',
  {
    port: int32('Port number.'),
    protocol: enumStr('TCP, UDP or SCTP.', PROTOCOLS),
    error: str('Why the port is not working; empty when fine.'),
  },
  { id: id('IngressPortStatus'), required: ['port', 'protocol'] },
);

export const IngressLoadBalancerIngress = obj(
  'One address of the load balancer serving the Ingress.',
  {
    ip: str('IP address.'),
    hostname: str('DNS name.'),
    ports: list('Status of each port.', IngressPortStatus, { listType: 'atomic' }),
  },
  { id: id('IngressLoadBalancerIngress') },
);

export const IngressLoadBalancerStatus = obj(
  'Addresses of the load balancer serving the Ingress.',
  { ingress: list('The addresses.', IngressLoadBalancerIngress, { listType: 'atomic' }) },
  { id: id('IngressLoadBalancerStatus') },
);

export const IngressStatus = obj('Observed state of an Ingress.', { loadBalancer: IngressLoadBalancerStatus }, { id: id('IngressStatus') });

export const Ingress = obj(
  'Rules routing outside HTTP(S) traffic to services.',
  { ...typeMeta, metadata: ObjectMeta, spec: IngressSpec, status: IngressStatus },
  { id: id('Ingress'), ...describeKind('networking.k8s.io', 'v1', 'Ingress') },
);
export type Ingress = Static<typeof Ingress>;

/** A host, or `*.` followed by one: the wildcard covers exactly one leading label. */
export function validateHost(host: string, path: string): FieldError[] {
  if (isValidIP(host)) return [invalid(path, host, 'must be a DNS name, not an IP address')];
  if (host.startsWith('*')) {
    const rest = host.startsWith('*.') ? host.slice(2) : '';
    return rest && dns1123Subdomain(rest).length === 0
      ? []
      : [invalid(path, host, "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character")];
  }
  return checkFormat(path, host, dns1123Subdomain);
}

function validateBackend(b: IngressBackend | undefined, path: string): FieldError[] {
  const hasService = !!b?.service;
  const hasResource = !!b?.resource;
  if (hasService && hasResource) return [invalid(path, '', 'cannot set both resource and service backends')];
  if (!hasService && !hasResource) return [invalid(path, '', 'resource or service backend is required')];
  const out: FieldError[] = [];
  if (b?.resource) {
    const rp = child(path, 'resource');
    if (!b.resource.kind) out.push(required(child(rp, 'kind'), 'kind is required'));
    if (!b.resource.name) out.push(required(child(rp, 'name'), 'name is required'));
    if (b.resource.apiGroup) out.push(...checkFormat(child(rp, 'apiGroup'), b.resource.apiGroup, dns1123Subdomain));
  }
  if (b?.service) {
    const sp = child(path, 'service');
    if (!b.service.name) out.push(required(child(sp, 'name')));
    else out.push(...checkFormat(child(sp, 'name'), b.service.name, dns1035Label));
    const port = b.service.port;
    const pp = child(sp, 'port');
    const hasName = !!port?.name;
    const hasNumber = port?.number !== undefined && port.number !== 0;
    if (hasName && hasNumber) out.push(invalid(pp, '', 'cannot set both port name & port number'));
    else if (hasName) out.push(...checkFormat(child(pp, 'name'), port?.name ?? '', portName));
    else if (hasNumber) out.push(...portNumber(port?.number ?? 0).map((m) => invalid(child(pp, 'number'), port?.number, m)));
    else out.push(required(pp, 'port name or number is required'));
  }
  return out;
}

function validatePath(p: { path?: string; pathType?: string; backend?: IngressBackend }, path: string): FieldError[] {
  const out: FieldError[] = [];
  const value = p.path ?? '';
  const pp = child(path, 'path');
  if (!p.pathType) out.push(required(child(path, 'pathType'), 'pathType must be specified'));
  else if (p.pathType === 'Exact' || p.pathType === 'Prefix') {
    if (!value.startsWith('/')) out.push(invalid(pp, value, 'must be an absolute path'));
    const bad = ['//', '/./', '/../', '%2f', '%2F'].find((s) => value.includes(s));
    if (bad) out.push(invalid(pp, value, `must not contain '${bad}'`));
    const badEnd = ['/..', '/.'].find((s) => value.endsWith(s));
    if (badEnd) out.push(invalid(pp, value, `cannot end with '${badEnd}'`));
  } else if (p.pathType === 'ImplementationSpecific') {
    if (value && !value.startsWith('/')) out.push(invalid(pp, value, 'must be an absolute path'));
  } else out.push(notSupported(child(path, 'pathType'), p.pathType, PATH_TYPES));
  out.push(...validateBackend(p.backend, child(path, 'backend')));
  return out;
}

function validateSpec(spec: IngressSpec): FieldError[] {
  const out: FieldError[] = [];
  const rules = spec.rules ?? [];
  if (!spec.defaultBackend && rules.length === 0)
    out.push(invalid('spec.rules', rules, 'either `defaultBackend` or `rules` must be specified'));
  if (spec.defaultBackend) out.push(...validateBackend(spec.defaultBackend, 'spec.defaultBackend'));
  rules.forEach((r, i) => {
    const rp = index('spec.rules', i);
    if (r.host) out.push(...validateHost(r.host, child(rp, 'host')));
    if (r.http) {
      const paths = r.http.paths ?? [];
      if (paths.length === 0) out.push(required(child(rp, 'http.paths')));
      paths.forEach((p, j) => out.push(...validatePath(p, index(child(rp, 'http.paths'), j))));
    }
  });
  (spec.tls ?? []).forEach((t, i) => {
    const tp = index('spec.tls', i);
    (t.hosts ?? []).forEach((h, j) => out.push(...validateHost(h, index(child(tp, 'hosts'), j))));
    if (t.secretName) out.push(...checkFormat(child(tp, 'secretName'), t.secretName, dns1123Subdomain));
  });
  if (spec.ingressClassName) out.push(...checkFormat('spec.ingressClassName', spec.ingressClassName, dns1123Subdomain));
  return out;
}

function validateStatus(ing: Ingress): FieldError[] {
  const out: FieldError[] = [];
  (ing.status?.loadBalancer?.ingress ?? []).forEach((lb, i) => {
    const p = index('status.loadBalancer.ingress', i);
    if (lb.ip && !isValidIP(lb.ip)) out.push(invalid(child(p, 'ip'), lb.ip, 'must be a valid IP address'));
    if (lb.hostname) {
      out.push(...checkFormat(child(p, 'hostname'), lb.hostname, dns1123Subdomain));
      if (isValidIP(lb.hostname)) out.push(invalid(child(p, 'hostname'), lb.hostname, 'must be a DNS name, not an IP address'));
    }
  });
  return out;
}

export const ingressKind = defineKind({
  ...ingressKindNames,
  status: true,
  schema: Ingress,
  validate(ing, { old }) {
    const out = validateObjectMeta(ing.metadata, { namespaced: true });
    out.push(...validateSpec(ing.spec ?? {}), ...validateStatus(ing));
    const annotated = ing.metadata?.annotations?.[INGRESS_CLASS_ANNOTATION];
    // Only new objects are held to this, so Ingresses stored before the rule still update.
    if (!old && annotated !== undefined && ing.spec?.ingressClassName)
      out.push(invalid(`annotations.${INGRESS_CLASS_ANNOTATION}`, annotated, 'can not be set when the class field is also set'));
    return out;
  },
});
