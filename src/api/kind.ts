// What the rest of Tugboat knows about a kind: its names (group, version, plural, short names,
// categories), scope, subresources, its schema, and its kind-specific defaulting, validation and
// field-selector values. One `defineKind` call per kind (in src/api/<group>/<version>/<kind>.ts)
// and one explicit list in kinds.ts; the apiserver builds discovery, OpenAPI and its registry
// from that list. A KindRef is the names alone: what a client needs to address a kind. Processes
// that only talk to the API (the node agent) take their KindRefs from src/api/refs, which loads
// no schema, so they never build the TypeBox schemas (a fifth of the agent's memory).
import type { TObject, Static } from './schema.js';
import type { FieldError } from '../lib/field-errors.js';
import type { ObjectMeta } from './meta/v1.js';

/** Any API object, before we know its kind. */
export interface ApiObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

export interface ScaleInfo {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath: string;
}

export interface ValidateContext<T> {
  /** The stored object on update; undefined on create. */
  old?: T;
}

/** A kind's names and scope, as written once per kind. */
export interface KindNames {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
}

/** A kind's names: all a client needs to address its resources. */
export interface KindRef {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly listKind: string;
  readonly plural: string;
  readonly singular: string;
  readonly namespaced: boolean;
  readonly shortNames: string[];
  readonly categories: string[];
  /** `apps/v1` or `v1` for the core group. */
  readonly apiVersion: string;
}

/** Builds a KindRef from a kind's names. */
export function kindRef(n: KindNames): KindRef {
  return {
    group: n.group,
    version: n.version,
    kind: n.kind,
    listKind: `${n.kind}List`,
    plural: n.plural,
    singular: n.singular,
    namespaced: n.namespaced,
    shortNames: n.shortNames ?? [],
    categories: n.categories ?? [],
    apiVersion: n.group ? `${n.group}/${n.version}` : n.version,
  };
}

export interface KindSpec<T> extends KindNames {
  schema: TObject;
  /** Has a `/status` subresource (spec and status are then written separately). */
  status?: boolean;
  scale?: ScaleInfo;
  /** Kubernetes defaults that depend on other fields (simple ones live in the schema's `default`). */
  defaults?(obj: T): void;
  /** Kind-specific validation, including immutability against `ctx.old` on update. */
  validate?(obj: T, ctx: ValidateContext<T>): FieldError[];
  /** Field-selector values beyond metadata.name and metadata.namespace, e.g. `spec.nodeName`. */
  fields?(obj: T): Record<string, string>;
}

export interface KindDef extends KindRef {
  readonly schema: TObject;
  readonly status: boolean;
  readonly scale: ScaleInfo | undefined;
  defaults(obj: ApiObject): void;
  validate(obj: ApiObject, old: ApiObject | undefined): FieldError[];
  fields(obj: ApiObject): Record<string, string>;
}

/** Builds a KindDef; the one place where an ApiObject is taken to be of the kind's static type. */
export function defineKind<S extends TObject>(spec: KindSpec<Static<S>> & { schema: S }): KindDef {
  type T = Static<S>;
  const as = (o: ApiObject | undefined): T => o as unknown as T;
  return {
    ...kindRef(spec),
    schema: spec.schema,
    status: spec.status ?? false,
    scale: spec.scale,
    defaults: (o) => spec.defaults?.(as(o)),
    validate: (o, old) => spec.validate?.(as(o), old === undefined ? {} : { old: as(old) }) ?? [],
    fields: (o) => spec.fields?.(as(o)) ?? {},
  };
}
