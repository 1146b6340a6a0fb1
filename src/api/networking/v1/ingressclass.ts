// networking.k8s.io/v1 IngressClass: names an ingress controller (and optionally a parameters
// object for it) so Ingresses can pick one by spec.ingressClassName. Cluster-scoped. The
// annotation ingressclass.kubernetes.io/is-default-class marks the class used when none is named.
import { obj, str, enumStr, describeKind, type Static } from '../../schema.js';
import { ObjectMeta, typeMeta } from '../../meta/v1.js';
import { defineKind } from '../../kind.js';
import { ingressClassKind as ingressClassKindNames, DEFAULT_CLASS_ANNOTATION } from '../../refs/index.js';

export { DEFAULT_CLASS_ANNOTATION };
import { validateObjectMeta, checkFormat, immutable } from '../../validation/meta.js';
import { dns1123Subdomain } from '../../validation/names.js';
import { child, invalid, required, forbidden, notSupported, tooLong, type FieldError } from '../../../lib/field-errors.js';

const id = (name: string): string => `io.k8s.api.networking.v1.${name}`;

export const PARAMETER_SCOPES = ['Cluster', 'Namespace'] as const;
const MAX_CONTROLLER_LENGTH = 250;

export const IngressClassParametersReference = obj(
  'An object holding controller-specific settings for the class.',
  {
    apiGroup: str('API group of the object; empty for the core group.'),
    kind: str('Kind of the object.'),
    name: str('Name of the object.'),
    scope: enumStr('Cluster for a cluster-scoped object, Namespace for a namespaced one; defaults to Cluster.', PARAMETER_SCOPES),
    namespace: str('Namespace of the object; required when scope is Namespace.'),
  },
  { id: id('IngressClassParametersReference'), required: ['kind', 'name'] },
);

export const IngressClassSpec = obj(
  'The controller behind a class and its parameters.',
  {
    controller: str('Name of the controller implementing the class, e.g. example.com/ingress-controller.'),
    parameters: IngressClassParametersReference,
  },
  { id: id('IngressClassSpec') },
);

export const IngressClass = obj(
  'A kind of ingress, implemented by one controller.',
  { ...typeMeta, metadata: ObjectMeta, spec: IngressClassSpec },
  { id: id('IngressClass'), ...describeKind('networking.k8s.io', 'v1', 'IngressClass') },
);
export type IngressClass = Static<typeof IngressClass>;

const PATH_PART = /^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/;

/** `domain/path`, e.g. "acme.io/foo": controller names are namespaced by a domain someone owns. */
export function validateDomainPrefixedPath(value: string, path: string): FieldError[] {
  if (!value) return [required(path)];
  const slash = value.indexOf('/');
  if (slash < 0) return [invalid(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  const out = checkFormat(path, value.slice(0, slash), dns1123Subdomain);
  const rest = value.slice(slash + 1);
  if (!PATH_PART.test(rest)) out.push(invalid(path, rest, "Invalid path: must match the regex [A-Za-z0-9/\\-._~%!$&'()*+,;=:]+"));
  return out;
}

function validateParameters(ic: IngressClass): FieldError[] {
  const p = ic.spec?.parameters;
  if (!p) return [];
  const path = 'spec.parameters';
  const out: FieldError[] = [];
  if (!p.kind) out.push(required(child(path, 'kind'), 'kind is required'));
  if (!p.name) out.push(required(child(path, 'name'), 'name is required'));
  if (p.apiGroup) out.push(...checkFormat(child(path, 'apiGroup'), p.apiGroup, dns1123Subdomain));
  if (p.scope === undefined) out.push(required(child(path, 'scope'), ''));
  else if (!(PARAMETER_SCOPES as readonly string[]).includes(p.scope)) out.push(notSupported(child(path, 'scope'), p.scope, PARAMETER_SCOPES));
  else if (p.scope === 'Cluster' && p.namespace !== undefined)
    out.push(forbidden(child(path, 'namespace'), "`parameters.scope` is set to 'Cluster'"));
  else if (p.scope === 'Namespace' && !p.namespace)
    out.push(required(child(path, 'namespace'), "`parameters.scope` is set to 'Namespace'"));
  return out;
}

export const ingressClassKind = defineKind({
  ...ingressClassKindNames,
  schema: IngressClass,
  defaults(ic) {
    if (ic.spec?.parameters) ic.spec.parameters.scope ??= 'Cluster';
  },
  validate(ic, { old }) {
    const out = validateObjectMeta(ic.metadata, { namespaced: false });
    const controller = ic.spec?.controller ?? '';
    if (controller.length > MAX_CONTROLLER_LENGTH) out.push(tooLong('spec.controller', controller, MAX_CONTROLLER_LENGTH));
    out.push(...validateDomainPrefixedPath(controller, 'spec.controller'));
    out.push(...validateParameters(ic));
    if (old) out.push(...immutable('spec.controller', ic.spec?.controller, old.spec?.controller));
    return out;
  },
});
