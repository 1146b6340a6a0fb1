// The vocabulary of strategic merge patch shared by its map and list halves: the directive
// keys a patch may carry, the per-field patch metadata read from the kind's schema
// (`x-kubernetes-patch-merge-key`, `x-kubernetes-patch-strategy`), where in the object we are
// (schema node + field path for messages), and the one error shape (400 BadRequest naming the
// field). Kubernetes answers several of these malformed-patch cases with a bare 500; a client
// error is what they are, so we say so.
import type { TSchema } from '@sinclair/typebox';
import { badRequest, type StatusError } from '../../lib/errors.js';
import type { SchemaWalker } from './schema-walk.js';
import type { JsonObject } from './json-value.js';

export const PATCH_DIRECTIVE = '$patch';
export const RETAIN_KEYS_DIRECTIVE = '$retainKeys';
export const SET_ELEMENT_ORDER_PREFIX = '$setElementOrder';
export const DELETE_FROM_PRIMITIVE_LIST_PREFIX = '$deleteFromPrimitiveList';

/** Where the merge is: the schema node describing the value (undefined = free-form) and its field path. */
export interface At {
  schema: TSchema | undefined;
  path: string;
}

/** What the schema says about merging one field. */
export interface PatchMeta {
  /** List items are matched by this field (`name` for containers). */
  mergeKey: string | undefined;
  /** `merge` or `replace`; undefined means the default (maps merge, lists are replaced). */
  strategy: 'merge' | 'replace' | undefined;
  /** The field's strategy includes `retainKeys` (informational: `$retainKeys` is honoured anywhere). */
  retainKeys: boolean;
}

const MERGE_KEY = 'x-kubernetes-patch-merge-key';
const STRATEGY = 'x-kubernetes-patch-strategy';

function readExtensions(node: TSchema | undefined): { mergeKey?: unknown; strategy?: unknown } {
  if (!node) return {};
  const n = node as unknown as Record<string, unknown>;
  return { mergeKey: n[MERGE_KEY], strategy: n[STRATEGY] };
}

/**
 * Patch metadata of the field described by `node`. The extensions may sit on the property node
 * itself (next to a `$ref`, as Kubernetes publishes them) or on the schema it resolves to.
 */
export function patchMetaOf(node: TSchema | undefined, walker: SchemaWalker, path: string): PatchMeta {
  const own = readExtensions(node);
  const target = readExtensions(walker.resolve(node));
  const mergeKey = own.mergeKey ?? target.mergeKey;
  const strategyText = own.strategy ?? target.strategy;
  const parts =
    typeof strategyText === 'string'
      ? strategyText
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '')
      : [];
  const retainKeys = parts.includes('retainKeys');
  const others = parts.filter((s) => s !== 'retainKeys');
  if (others.length > 1 || others.some((s) => s !== 'merge' && s !== 'replace')) {
    throw smpError(path, `the schema declares an unsupported patch strategy ${JSON.stringify(strategyText)}`);
  }
  return {
    mergeKey: typeof mergeKey === 'string' && mergeKey !== '' ? mergeKey : undefined,
    strategy: others[0] as PatchMeta['strategy'],
    retainKeys,
  };
}

/** A malformed strategic merge patch, reported against the field where it was found. */
export function smpError(path: string, detail: string): StatusError {
  return badRequest(`strategic merge patch${path ? ` at ${path}` : ''}: ${detail}`);
}

/**
 * The field a `$setElementOrder/<field>` or `$deleteFromPrimitiveList/<field>` key names, or
 * undefined when the key does not start with the prefix at all.
 */
export function directiveField(key: string, prefix: string, path: string): string | undefined {
  if (!key.startsWith(prefix)) return undefined;
  const field = key.slice(prefix.length + 1);
  if (key[prefix.length] !== '/' || field === '') {
    throw smpError(path, `${JSON.stringify(key)} must have the form "${prefix}/<field>"`);
  }
  return field;
}

/** Whether a list holds objects or scalars; lists of lists and mixed lists cannot be merged. */
export function elementKind(path: string, ...lists: (readonly unknown[])[]): 'object' | 'scalar' | 'empty' {
  let kind: 'object' | 'scalar' | 'empty' = 'empty';
  for (const v of lists.flat()) {
    if (Array.isArray(v)) throw smpError(path, 'lists of lists cannot be merged');
    const k = typeof v === 'object' && v !== null ? 'object' : 'scalar';
    if (kind !== 'empty' && kind !== k) throw smpError(path, 'list elements are not all of the same type');
    kind = k;
  }
  return kind;
}

/** The directive a map carries in `$patch`, if any. */
export function patchDirectiveOf(m: JsonObject): unknown {
  return Object.hasOwn(m, PATCH_DIRECTIVE) ? m[PATCH_DIRECTIVE] : undefined;
}

/** Returned by `fresh` for a value that must not be stored (a `$patch: delete` item or map). */
export const DROP: unique symbol = Symbol('drop');

/**
 * The map half of the algorithm as the list half sees it; passed in rather than imported so the
 * two files do not import each other.
 */
export interface SmpHooks {
  walker: SchemaWalker;
  /** Merges `patch` into `orig` (which it may change) and returns the merged map. */
  mergeObject(orig: JsonObject, patch: JsonObject, at: At): JsonObject;
  /** A patch value stored where nothing was: directives applied, nested nulls dropped. */
  fresh(value: unknown, at: At): unknown;
}
