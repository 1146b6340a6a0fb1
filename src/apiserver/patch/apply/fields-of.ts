// The field sets server-side apply derives from objects: the fields an applied configuration
// sets (every leaf, every keyed-list item, every set item — what an Apply manager owns), and
// what a write changed between two versions of an object (what an Update manager takes over,
// and what it removed).
import type { TSchema } from '@sinclair/typebox';
import type { SchemaWalker } from '../schema-walk.js';
import { isJsonObject, jsonEqual } from '../json-value.js';
import { emptySet, insert, type FieldPath, type FieldSet } from './field-set.js';
import { itemElement, shapeOf } from './shape.js';

/** The fields an applied configuration sets. */
export function appliedFields(walker: SchemaWalker, root: TSchema, value: unknown): FieldSet {
  const set = emptySet();
  collect(walker, root, value, [], set);
  return set;
}

/** Every field of a value that did not exist before (`markObjects`: maps and items are members too). */
function collect(walker: SchemaWalker, node: TSchema | undefined, value: unknown, path: FieldPath, set: FieldSet, markObjects = false): void {
  const shape = shapeOf(walker, node, value);
  if (shape.kind === 'scalar' || shape.kind === 'atomic') {
    if (path.length > 0) insert(set, path);
    return;
  }
  if (shape.kind === 'object') {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o);
    if (path.length > 0 && (keys.length === 0 || (markObjects && shape.map))) insert(set, path);
    for (const k of keys) collect(walker, walker.property(node, k), o[k], [...path, `f:${k}`], set, markObjects);
    return;
  }
  const items = value as unknown[];
  if (items.length === 0) insert(set, path);
  const itemNode = walker.items(node);
  items.forEach((item, i) => {
    const at = [...path, itemElement(shape, item, i)];
    insert(set, at);
    if (shape.type === 'map' && isJsonObject(item)) {
      for (const [k, v] of Object.entries(item)) collect(walker, walker.property(itemNode, k), v, [...at, `f:${k}`], set, markObjects);
    }
  });
}

export interface Changes {
  /** Fields added or given a new value (what an updater now owns). */
  changed: FieldSet;
  /** Fields that are gone. */
  removed: FieldSet;
}

/** What changed from `before` to `after` (whole objects of one kind). */
export function changesBetween(walker: SchemaWalker, root: TSchema, before: unknown, after: unknown): Changes {
  const out: Changes = { changed: emptySet(), removed: emptySet() };
  diff(walker, root, before, after, [], out);
  return out;
}

function kindOf(v: unknown): string {
  return Array.isArray(v) ? 'array' : isJsonObject(v) ? 'object' : 'scalar';
}

function diff(walker: SchemaWalker, node: TSchema | undefined, a: unknown, b: unknown, path: FieldPath, out: Changes): void {
  const shape = shapeOf(walker, node, b);
  if (shape.kind === 'scalar' || shape.kind === 'atomic' || kindOf(a) !== kindOf(b)) {
    if (!jsonEqual(a, b) && path.length > 0) insert(out.changed, path);
    return;
  }
  if (shape.kind === 'object') {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    for (const [k, v] of Object.entries(bo)) {
      const at = [...path, `f:${k}`];
      if (!Object.hasOwn(ao, k)) collect(walker, walker.property(node, k), v, at, out.changed, true);
      // Comparing first is much cheaper than walking the schema through an unchanged subtree.
      else if (ao[k] !== v && !jsonEqual(ao[k], v)) diff(walker, walker.property(node, k), ao[k], v, at, out);
    }
    for (const k of Object.keys(ao)) if (!Object.hasOwn(bo, k)) insert(out.removed, [...path, `f:${k}`]);
    return;
  }
  const itemNode = walker.items(node);
  const aShape = shapeOf(walker, node, a);
  const before = new Map<string, unknown>();
  (a as unknown[]).forEach((item, i) => before.set(itemElement(aShape, item, i), item));
  const seen = new Set<string>();
  (b as unknown[]).forEach((item, i) => {
    const pe = itemElement(shape, item, i);
    seen.add(pe);
    const at = [...path, pe];
    if (!before.has(pe)) {
      insert(out.changed, at);
      if (shape.type === 'map' && isJsonObject(item)) {
        for (const [k, v] of Object.entries(item)) collect(walker, walker.property(itemNode, k), v, [...at, `f:${k}`], out.changed, true);
      }
    } else if (shape.type === 'map' && !jsonEqual(before.get(pe), item)) {
      diff(walker, itemNode, before.get(pe), item, at, out);
    }
  });
  for (const pe of before.keys()) if (!seen.has(pe)) insert(out.removed, [...path, pe]);
}
