// Validation shared by every kind: object metadata (name, namespace, labels, annotations, owner
// references, finalizers), label selectors, and helpers that turn name-format problems into field
// errors. Kind validators call these and add their own checks.
import { child, index, invalid, required, forbidden, type FieldError, tooLong } from '../../lib/field-errors.js';
import type { LabelSelector, ObjectMeta } from '../meta/v1.js';
import { dns1123Subdomain, labelValue, qualifiedName } from './names.js';
import { sameJson } from '../../lib/json.js';

export type NameValidator = (v: string) => string[];

/** Turns a name-format checker's messages into FieldErrors at `path`. */
export function checkFormat(path: string, value: string, fn: NameValidator): FieldError[] {
  return fn(value).map((m) => invalid(path, value, m));
}

export function validateLabels(labels: Record<string, string> | undefined, path: string): FieldError[] {
  const out: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    out.push(...checkFormat(path, k, qualifiedName));
    if (typeof v !== 'string') out.push(invalid(`${path}[${k}]`, v, 'must be a string'));
    else out.push(...checkFormat(path, v, labelValue));
  }
  return out;
}

const TOTAL_ANNOTATION_SIZE = 256 * 1024;

export function validateAnnotations(annotations: Record<string, string> | undefined, path: string): FieldError[] {
  const out: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    out.push(...checkFormat(path, k.toLowerCase(), qualifiedName));
    size += k.length + (typeof v === 'string' ? v.length : 0);
  }
  if (size > TOTAL_ANNOTATION_SIZE) out.push(tooLong(path, '', TOTAL_ANNOTATION_SIZE));
  return out;
}

export interface MetaRules {
  namespaced: boolean;
  /** Format of the object's name; defaults to an RFC 1123 subdomain. */
  name?: NameValidator;
}

export function validateObjectMeta(meta: ObjectMeta | undefined, rules: MetaRules): FieldError[] {
  const path = 'metadata';
  const m = meta ?? {};
  const out: FieldError[] = [];
  if (!m.name && !m.generateName) out.push(required(child(path, 'name'), 'name or generateName is required'));
  if (m.name) out.push(...checkFormat(child(path, 'name'), m.name, rules.name ?? dns1123Subdomain));
  if (rules.namespaced) {
    if (!m.namespace) out.push(required(child(path, 'namespace')));
    else out.push(...checkFormat(child(path, 'namespace'), m.namespace, dns1123LabelNs));
  } else if (m.namespace) {
    out.push(forbidden(child(path, 'namespace'), 'not allowed on this type'));
  }
  out.push(...validateLabels(m.labels, child(path, 'labels')));
  out.push(...validateAnnotations(m.annotations, child(path, 'annotations')));
  (m.ownerReferences ?? []).forEach((ref, i) => {
    const p = index(child(path, 'ownerReferences'), i);
    if (!ref.apiVersion) out.push(invalid(child(p, 'apiVersion'), ref.apiVersion ?? '', 'version must not be empty'));
    if (!ref.kind) out.push(invalid(child(p, 'kind'), ref.kind ?? '', 'kind must not be empty'));
    if (!ref.name) out.push(invalid(child(p, 'name'), ref.name ?? '', 'name must not be empty'));
    if (!ref.uid) out.push(invalid(child(p, 'uid'), ref.uid ?? '', 'uid must not be empty'));
  });
  const controllers = (m.ownerReferences ?? []).filter((r) => r.controller === true);
  if (controllers.length > 1)
    out.push(invalid(child(path, 'ownerReferences'), controllers.map((c) => c.name), 'Only one reference can have Controller set to true'));
  (m.finalizers ?? []).forEach((f, i) => out.push(...checkFormat(index(child(path, 'finalizers'), i), f, qualifiedName)));
  return out;
}

function dns1123LabelNs(v: string): string[] {
  return /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v) && v.length <= 63
    ? []
    : ["a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"];
}

export function validateLabelSelector(sel: LabelSelector | undefined, path: string): FieldError[] {
  if (!sel) return [];
  const out = validateLabels(sel.matchLabels, child(path, 'matchLabels'));
  (sel.matchExpressions ?? []).forEach((e, i) => {
    const p = index(child(path, 'matchExpressions'), i);
    out.push(...checkFormat(child(p, 'key'), e.key, qualifiedName));
    const values = e.values ?? [];
    if ((e.operator === 'In' || e.operator === 'NotIn') && values.length === 0)
      out.push(required(child(p, 'values'), 'must be specified when `operator` is \'In\' or \'NotIn\''));
    if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && values.length > 0)
      out.push(forbidden(child(p, 'values'), 'may not be specified when `operator` is \'Exists\' or \'DoesNotExist\''));
  });
  return out;
}

/** A field that must not change after creation. */
export function immutable(path: string, now: unknown, before: unknown): FieldError[] {
  return sameJson(now ?? null, before ?? null) ? [] : [invalid(path, now, 'field is immutable')];
}
