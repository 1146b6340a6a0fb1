// Validation of container environment (env and envFrom) and of the pod-field and resource
// selectors that env vars and downward-API volumes share. The two uses accept different field
// paths, so the supported sets are passed in.
import { child, index, invalid, required, notSupported, type FieldError } from '../../../lib/field-errors.js';
import { dns1123Subdomain, qualifiedName } from '../../validation/names.js';
import { checkFormat } from '../../validation/meta.js';
import { validateDataKeys } from './configmap.js';
import { checkQuantity } from './container-resources-validation.js';
import type { EnvVar, EnvFromSource, ObjectFieldSelector, ResourceFieldSelector } from './container-env.js';

// Kubernetes 1.32 enables relaxed variable names by default (beta): any printable ASCII except
// '=', which would end the name. The stricter C-identifier rule no longer applies.
const RELAXED_ENV_NAME = /^[\x20-\x3c\x3e-\x7e]+$/;

function envVarName(v: string): string[] {
  return RELAXED_ENV_NAME.test(v) ? [] : ["a valid environment variable name must consist only of printable ASCII characters other than '='"];
}

/** Pod fields an env var may read. */
export const ENV_FIELD_PATHS = [
  'metadata.annotations',
  'metadata.labels',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
] as const;

/** Pod fields a downward-API file may hold (whole label and annotation maps included). */
export const VOLUME_FIELD_PATHS = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'] as const;

const RESOURCE_FIELDS = [
  'limits.cpu',
  'limits.ephemeral-storage',
  'limits.memory',
  'requests.cpu',
  'requests.ephemeral-storage',
  'requests.memory',
] as const;

// `metadata.labels['app']`: a single label or annotation, written with a quoted subscript.
const SUBSCRIPTED = /^metadata\.(labels|annotations)\['(.*)'\]$/;

export function validateFieldRef(f: ObjectFieldSelector, path: string, opts: { supported: readonly string[] }): FieldError[] {
  const out: FieldError[] = [];
  if (!f.apiVersion) out.push(required(child(path, 'apiVersion')));
  else if (f.apiVersion !== 'v1') out.push(invalid(child(path, 'apiVersion'), f.apiVersion, 'only "v1" is supported'));
  const fp = child(path, 'fieldPath');
  if (!f.fieldPath) return [...out, required(fp)];
  const sub = SUBSCRIPTED.exec(f.fieldPath);
  if (sub) {
    out.push(...checkFormat(fp, (sub[2] ?? '').toLowerCase(), qualifiedName));
    return out;
  }
  if (!opts.supported.includes(f.fieldPath)) out.push(notSupported(fp, f.fieldPath, opts.supported));
  return out;
}

export interface ResourceFieldRefOptions {
  /** Containers of the pod the reference may name. */
  containerNames: ReadonlySet<string>;
  /** Downward-API files must name a container; env vars default to their own. */
  containerRequired: boolean;
}

export function validateResourceFieldRef(f: ResourceFieldSelector, path: string, opts: ResourceFieldRefOptions): FieldError[] {
  const out: FieldError[] = [];
  const cp = child(path, 'containerName');
  if (!f.containerName) {
    if (opts.containerRequired) out.push(required(cp));
  } else if (!opts.containerNames.has(f.containerName)) {
    out.push(invalid(cp, f.containerName, 'must be the name of a container in the pod'));
  }
  const rp = child(path, 'resource');
  if (!f.resource) out.push(required(rp));
  else if (!RESOURCE_FIELDS.includes(f.resource as (typeof RESOURCE_FIELDS)[number]) && !/^(limits|requests)\.hugepages-/.test(f.resource))
    out.push(notSupported(rp, f.resource, RESOURCE_FIELDS));
  if (f.divisor !== undefined) {
    const d = checkQuantity(child(path, 'divisor'), f.divisor, out);
    // "0" is how an unset divisor reads back; any other value must be positive.
    if (d && d.value === 0 && f.divisor !== '0') out.push(invalid(child(path, 'divisor'), f.divisor, 'must be greater than 0'));
  }
  return out;
}

function validateEnvVar(e: EnvVar, path: string, containerNames: ReadonlySet<string>): FieldError[] {
  const out: FieldError[] = [];
  const np = child(path, 'name');
  if (!e.name) out.push(required(np));
  else out.push(...checkFormat(np, e.name, envVarName));
  const vf = e.valueFrom;
  if (!vf) return out;
  const vp = child(path, 'valueFrom');
  const set = (['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'] as const).filter((k) => vf[k] !== undefined);
  if (set.length === 0)
    out.push(invalid(vp, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
  else if (set.length > 1) out.push(invalid(vp, '', 'may not have more than one field specified at a time'));
  if (e.value) out.push(invalid(vp, '', 'may not be specified when `value` is not empty'));
  if (vf.fieldRef) out.push(...validateFieldRef(vf.fieldRef, child(vp, 'fieldRef'), { supported: ENV_FIELD_PATHS }));
  if (vf.resourceFieldRef)
    out.push(...validateResourceFieldRef(vf.resourceFieldRef, child(vp, 'resourceFieldRef'), { containerNames, containerRequired: false }));
  for (const k of ['configMapKeyRef', 'secretKeyRef'] as const) {
    const ref = vf[k];
    if (!ref) continue;
    const rp = child(vp, k);
    if (!ref.name) out.push(required(child(rp, 'name')));
    else out.push(...checkFormat(child(rp, 'name'), ref.name, dns1123Subdomain));
    if (!ref.key) out.push(required(child(rp, 'key')));
    else out.push(...validateDataKeys([ref.key], child(rp, 'key')));
  }
  return out;
}

export function validateEnv(env: EnvVar[] | undefined, path: string, containerNames: ReadonlySet<string>): FieldError[] {
  return (env ?? []).flatMap((e, i) => validateEnvVar(e, index(path, i), containerNames));
}

export function validateEnvFrom(list: EnvFromSource[] | undefined, path: string): FieldError[] {
  const out: FieldError[] = [];
  (list ?? []).forEach((s, i) => {
    const p = index(path, i);
    if (s.prefix) out.push(...checkFormat(child(p, 'prefix'), s.prefix, envVarName));
    const set = (['configMapRef', 'secretRef'] as const).filter((k) => s[k] !== undefined);
    if (set.length === 0) out.push(invalid(p, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (set.length > 1) out.push(invalid(p, '', 'may not have more than one field specified at a time'));
    for (const k of set) {
      const np = child(child(p, k), 'name');
      const name = s[k]?.name;
      if (!name) out.push(required(np));
      else out.push(...checkFormat(np, name, dns1123Subdomain));
    }
  });
  return out;
}
