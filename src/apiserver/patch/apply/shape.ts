// How server-side apply sees a value, read from the kind's schema: an object is a struct (named
// properties) or a map (any keys), each merged field by field unless the schema marks it atomic;
// a list is keyed (`x-kubernetes-list-type: map` with its keys, or a strategic-merge list with a
// merge key), a set (`set`, or a strategic-merge list of scalars) or atomic (replaced whole).
// Also how a list item is named in a path: `k:{...}` from its keys, `v:...` for a set item.
import type { TSchema } from '@sinclair/typebox';
import type { SchemaWalker } from '../schema-walk.js';
import { isJsonObject, type JsonObject } from '../json-value.js';

export type Shape =
  | { kind: 'scalar' }
  | { kind: 'atomic' }
  | { kind: 'object'; map: boolean }
  | { kind: 'list'; type: 'map'; keys: readonly string[] }
  | { kind: 'list'; type: 'set' };

type Ext = Record<string, unknown>;

function ext(walker: SchemaWalker, node: TSchema | undefined, name: string): unknown {
  if (!node) return undefined;
  const own = (node as unknown as Ext)[name];
  return own !== undefined ? own : (walker.resolve(node) as unknown as Ext | undefined)?.[name];
}

/** The shape of `value` as described by `node` (undefined node: free-form, merged as a map). */
export function shapeOf(walker: SchemaWalker, node: TSchema | undefined, value: unknown): Shape {
  if (Array.isArray(value)) {
    const listType = ext(walker, node, 'x-kubernetes-list-type');
    const mapKeys = ext(walker, node, 'x-kubernetes-list-map-keys');
    const strategy = String(ext(walker, node, 'x-kubernetes-patch-strategy') ?? '');
    const mergeKey = ext(walker, node, 'x-kubernetes-patch-merge-key');
    const objects = value.every(isJsonObject);
    if (listType === 'map' && Array.isArray(mapKeys) && objects) return { kind: 'list', type: 'map', keys: mapKeys.map(String) };
    if (listType === 'set') return { kind: 'list', type: 'set' };
    if (listType === undefined && strategy.split(',').includes('merge')) {
      if (typeof mergeKey === 'string' && objects) return { kind: 'list', type: 'map', keys: [mergeKey] };
      if (!value.some((v) => typeof v === 'object' && v !== null)) return { kind: 'list', type: 'set' };
    }
    return { kind: 'atomic' };
  }
  if (isJsonObject(value)) {
    if (ext(walker, node, 'x-kubernetes-map-type') === 'atomic') return { kind: 'atomic' };
    const resolved = walker.resolve(node) as unknown as Ext | undefined;
    return { kind: 'object', map: !resolved || !isJsonObject(resolved.properties) };
  }
  return { kind: 'scalar' };
}

// Kubernetes defaults these key fields, so an applied item that leaves them out names the same
// item as the stored one that has them (a container port without `protocol` is TCP).
const KEY_DEFAULTS: Record<string, unknown> = { protocol: 'TCP' };

/** The path element naming item `index` of a list of the given shape. */
export function itemElement(shape: Shape, item: unknown, index: number): string {
  if (shape.kind === 'list' && shape.type === 'set') return `v:${JSON.stringify(item)}`;
  if (shape.kind === 'list' && shape.type === 'map' && isJsonObject(item)) {
    const keys: JsonObject = {};
    for (const k of [...shape.keys].sort()) {
      const v = Object.hasOwn(item, k) ? item[k] : KEY_DEFAULTS[k];
      if (v !== undefined && v !== null) keys[k] = v;
    }
    if (Object.keys(keys).length > 0) return `k:${JSON.stringify(keys)}`;
  }
  return `i:${index}`;
}
