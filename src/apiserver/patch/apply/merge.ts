// The two edits server-side apply makes to an object: merging an applied configuration into the
// live object by the schema (objects field by field, keyed lists item by item, set lists as a
// union, everything atomic replaced whole), and removing fields named by a field set (what an
// applier stopped applying and nobody else owns).
import type { TSchema } from '@sinclair/typebox';
import type { SchemaWalker } from '../schema-walk.js';
import { cloneJson, isJsonObject, jsonEqual, type JsonObject } from '../json-value.js';
import type { FieldSet } from './field-set.js';
import { itemElement, shapeOf } from './shape.js';

/** `live` with `applied` merged in; neither input is changed. */
export function mergeApplied(walker: SchemaWalker, root: TSchema, live: JsonObject, applied: JsonObject): JsonObject {
  const out = cloneJson(live);
  mergeObject(walker, root, out, applied);
  return out;
}

function mergeObject(walker: SchemaWalker, node: TSchema | undefined, target: JsonObject, applied: JsonObject): void {
  for (const [k, v] of Object.entries(applied)) {
    if (v === null || v === undefined) {
      delete target[k];
      continue;
    }
    target[k] = mergeValue(walker, walker.property(node, k), target[k], v);
  }
}

function mergeValue(walker: SchemaWalker, node: TSchema | undefined, live: unknown, applied: unknown): unknown {
  const shape = shapeOf(walker, node, applied);
  if (shape.kind === 'object' && isJsonObject(live)) {
    mergeObject(walker, node, live, applied as JsonObject);
    return live;
  }
  if (shape.kind !== 'list' || !Array.isArray(live)) return cloneJson(applied);
  const liveShape = shapeOf(walker, node, live);
  const index = new Map<string, number>();
  live.forEach((item, i) => index.set(itemElement(liveShape, item, i), i));
  const itemNode = walker.items(node);
  (applied as unknown[]).forEach((item, i) => {
    const at = index.get(itemElement(shape, item, i));
    if (at === undefined) live.push(cloneJson(item));
    else if (shape.type === 'map' && isJsonObject(live[at]) && isJsonObject(item)) mergeObject(walker, itemNode, live[at], item);
    else if (!jsonEqual(live[at], item)) live[at] = cloneJson(item);
  });
  return live;
}

/** Removes from `obj` (in place) every field that is a member of `set`. */
export function removeFields(walker: SchemaWalker, root: TSchema, obj: JsonObject, set: FieldSet): void {
  removeIn(walker, root, obj, set);
}

function removeIn(walker: SchemaWalker, node: TSchema | undefined, value: unknown, set: FieldSet): void {
  if (isJsonObject(value)) {
    for (const [pe, child] of set.children) {
      if (!pe.startsWith('f:')) continue;
      const k = pe.slice(2);
      if (!Object.hasOwn(value, k)) continue;
      if (child.member) delete value[k];
      else removeIn(walker, walker.property(node, k), value[k], child);
    }
    return;
  }
  if (!Array.isArray(value)) return;
  const shape = shapeOf(walker, node, value);
  const itemNode = walker.items(node);
  const drop = new Set<number>();
  value.forEach((item, i) => {
    const child = set.children.get(itemElement(shape, item, i));
    if (!child) return;
    if (child.member) drop.add(i);
    else removeIn(walker, itemNode, item, child);
  });
  if (drop.size === 0) return;
  const kept = value.filter((_, i) => !drop.has(i));
  value.length = 0;
  value.push(...kept);
}
