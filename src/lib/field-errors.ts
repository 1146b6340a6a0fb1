// Field-level validation errors, worded the way Kubernetes words them ("spec.replicas: Invalid
// value: -1: must be greater than or equal to 0") so kubectl users see familiar messages, and
// the `Invalid` StatusError that carries a list of them as causes.
import { StatusError } from './errors.js';

export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueTypeInvalid';

export interface FieldError {
  type: FieldErrorType;
  field: string;
  value?: unknown;
  detail?: string;
}

/** Field paths are built as strings: `spec.template.spec.containers[0].image`. */
export const child = (path: string, name: string): string => (path ? `${path}.${name}` : name);
export const index = (path: string, i: number): string => `${path}[${i}]`;
export const key = (path: string, k: string): string => `${path}[${k}]`;

export const required = (field: string, detail = ''): FieldError => ({ type: 'FieldValueRequired', field, detail });
export const invalid = (field: string, value: unknown, detail: string): FieldError => ({
  type: 'FieldValueInvalid',
  field,
  value,
  detail,
});
export const notSupported = (field: string, value: unknown, supported: readonly string[]): FieldError => ({
  type: 'FieldValueNotSupported',
  field,
  value,
  detail: `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
});
export const duplicate = (field: string, value: unknown): FieldError => ({ type: 'FieldValueDuplicate', field, value });
export const forbidden = (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, detail });
export const tooLong = (field: string, value: unknown, max: number): FieldError => ({
  type: 'FieldValueTooLong',
  field,
  value,
  detail: `may not be more than ${max} bytes`,
});
export const typeInvalid = (field: string, value: unknown, detail: string): FieldError => ({
  type: 'FieldValueTypeInvalid',
  field,
  value,
  detail,
});

function showValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** The text after the field path, e.g. `Invalid value: -1: must be ...`. */
export function describe(e: FieldError): string {
  const detail = e.detail ? `: ${e.detail}` : '';
  switch (e.type) {
    case 'FieldValueRequired':
      return `Required value${detail}`;
    case 'FieldValueInvalid':
      return `Invalid value: ${showValue(e.value)}${detail}`;
    case 'FieldValueNotSupported':
      return `Unsupported value: ${showValue(e.value)}${detail}`;
    case 'FieldValueDuplicate':
      return `Duplicate value: ${showValue(e.value)}`;
    case 'FieldValueForbidden':
      return `Forbidden${detail}`;
    case 'FieldValueTooLong':
      return `Too long${detail}`;
    case 'FieldValueTooMany':
      return `Too many${detail}`;
    case 'FieldValueTypeInvalid':
      return `Invalid value: ${showValue(e.value)}${detail}`;
  }
}

export const formatFieldError = (e: FieldError): string => `${e.field}: ${describe(e)}`;

/** `Deployment.apps "web" is invalid: spec.replicas: Invalid value: ...` with every error as a cause. */
export function invalidError(target: { kind: string; group: string; name: string }, errs: FieldError[]): StatusError {
  const qualified = target.group ? `${target.kind}.${target.group}` : target.kind;
  const list = errs.map(formatFieldError);
  const summary = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
  return new StatusError('Invalid', `${qualified} "${target.name}" is invalid: ${summary}`, {
    details: {
      name: target.name,
      group: target.group,
      kind: target.kind,
      causes: errs.map((e) => ({ reason: e.type, message: describe(e), field: e.field })),
    },
  });
}
