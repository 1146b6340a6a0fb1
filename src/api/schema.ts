// The small vocabulary every API schema is written in. A kind's schema (a TypeBox schema) is the
// single source of its TypeScript type (`Static<typeof X>`), of generic type checking and
// unknown-field detection (check.ts), of simple defaults (`default`), of patch merge keys for
// strategic merge patch, and of the published OpenAPI (named sub-schemas carry an `$id` such as
// `io.k8s.api.core.v1.Container` and become OpenAPI definitions referenced by `$ref`).
//
// Kubernetes marks almost every field optional, so `obj()` makes every property optional
// unless it is listed in `required`.
import {
  Type,
  type TSchema,
  type TObject,
  type TOptional,
  type TArray,
  type TRecord,
  type TString,
  type TInteger,
  type TNumber,
  type TBoolean,
  type TUnsafe,
  type TUnknown,
  type Static,
} from '@sinclair/typebox';

export type { Static, TSchema, TObject };

/** Kubernetes OpenAPI extensions we publish and read back (strategic merge patch, list types). */
export interface K8sExtensions {
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string }[];
}

type Props = Record<string, TSchema>;
type WithOptional<P extends Props, R extends string> = {
  [K in keyof P]: K extends R ? P[K] : TOptional<P[K]>;
};

export interface ObjOptions extends K8sExtensions {
  /** Definition name, e.g. `io.k8s.api.apps.v1.DeploymentSpec`; named schemas become OpenAPI definitions. */
  id?: string;
  required?: readonly string[];
}

/** An object whose properties are optional unless listed in `required`. */
export function obj<P extends Props, R extends string = never>(
  description: string,
  props: P,
  opts: ObjOptions & { required?: readonly R[] } = {},
): TObject<WithOptional<P, R>> {
  const required = new Set<string>(opts.required ?? []);
  const shaped: Props = {};
  for (const [name, schema] of Object.entries(props)) {
    shaped[name] = required.has(name) ? schema : Type.Optional(schema);
  }
  const { id, required: _r, ...ext } = opts;
  const extra: Record<string, unknown> = { description, ...ext };
  if (id) extra.$id = id;
  return Type.Object(shaped, extra) as unknown as TObject<WithOptional<P, R>>;
}

export const str = (description: string, opts: { default?: string; format?: string } = {}): TString =>
  Type.String({ description, ...opts });

/** A string limited to a fixed set of values; the set is published as `enum`. */
export const enumStr = <V extends string>(description: string, values: readonly V[], opts: { default?: V } = {}): TUnsafe<V> =>
  Type.Unsafe<V>({ type: 'string', enum: [...values], description, ...opts });

export const int32 = (description: string, opts: { default?: number; minimum?: number } = {}): TInteger =>
  Type.Integer({ description, format: 'int32', ...opts });

export const int64 = (description: string, opts: { default?: number; minimum?: number } = {}): TInteger =>
  Type.Integer({ description, format: 'int64', ...opts });

export const num = (description: string): TNumber => Type.Number({ description, format: 'double' });

export const bool = (description: string, opts: { default?: boolean } = {}): TBoolean => Type.Boolean({ description, ...opts });

/** RFC 3339 timestamp (metav1.Time). */
export const time = (description: string): TString => Type.String({ description, format: 'date-time' });

/** A map of string to string (labels, annotations, ConfigMap data...). */
export const strMap = (description: string): TRecord<TString, TString> =>
  Type.Record(Type.String(), Type.String(), { description });

export const mapOf = <V extends TSchema>(description: string, value: V): TRecord<TString, V> =>
  Type.Record(Type.String(), value, { description });

export interface ListOptions {
  /** Strategic merge patch: merge list items by this key (e.g. `name` for containers). */
  mergeKey?: string;
  /** `merge` for keyed lists; `retainKeys` and `merge,retainKeys` as Kubernetes uses them. */
  strategy?: string;
  listType?: 'atomic' | 'set' | 'map';
  mapKeys?: string[];
}

export function list<T extends TSchema>(description: string, items: T, opts: ListOptions = {}): TArray<T> {
  const ext: K8sExtensions = {};
  if (opts.mergeKey) ext['x-kubernetes-patch-merge-key'] = opts.mergeKey;
  if (opts.strategy) ext['x-kubernetes-patch-strategy'] = opts.strategy;
  if (opts.listType) ext['x-kubernetes-list-type'] = opts.listType;
  if (opts.mapKeys) ext['x-kubernetes-list-map-keys'] = opts.mapKeys;
  return Type.Array(items, { description, ...ext });
}

export const strList = (description: string, opts: ListOptions = {}): TArray<TString> => list(description, Type.String(), opts);

/** intstr.IntOrString: `8080` or `"http"`, `"25%"`. */
export const intOrString = (description: string): TUnsafe<number | string> =>
  Type.Unsafe<number | string>({
    description,
    'x-kubernetes-int-or-string': true,
    anyOf: [{ type: 'integer' }, { type: 'string' }],
  });

/** resource.Quantity: `"500m"`, `"1Gi"`, or a bare number a user wrote. Stored as a string. */
export const quantity = (description: string): TUnsafe<string | number> =>
  Type.Unsafe<string | number>({ description, 'x-kubernetes-quantity': true, anyOf: [{ type: 'string' }, { type: 'number' }] });

/**
 * A free-form JSON object (ControllerRevision.data, managedFields' fieldsV1): any members are
 * kept. Published as `type: object`, as Kubernetes publishes RawExtension and FieldsV1; without
 * a type, kubectl 1.27's patch computation crashes on deeply nested values.
 */
export const freeformObject = (description: string): TUnknown =>
  Type.Unknown({ description, type: 'object', 'x-kubernetes-preserve-unknown-fields': true });

/** Raw bytes, base64 in JSON (Secret.data values). */
export const bytes = (description: string): TString => Type.String({ description, format: 'byte' });

export const describeKind = (group: string, version: string, kind: string): K8sExtensions => ({
  'x-kubernetes-group-version-kind': [{ group, version, kind }],
});
