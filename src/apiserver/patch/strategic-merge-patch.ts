// Strategic merge patch (`application/strategic-merge-patch+json`), the default of
// `kubectl patch` and what client-side `kubectl apply` sends. It is a JSON merge patch that
// reads the kind's schema: lists whose field says `x-kubernetes-patch-strategy: merge` are
// merged (by `x-kubernetes-patch-merge-key` for lists of objects) instead of replaced, and the
// patch may carry directives:
//   `$patch: replace | delete` on a map, `$patch: delete | replace` as list items,
//   `$retainKeys: [...]` (drop every other key of the live map),
//   `$setElementOrder/<list>: [...]` and `$deleteFromPrimitiveList/<list>: [...]`.
// Where the schema says nothing (free-form data, unknown fields) it behaves as a merge patch:
// maps merge, lists are replaced, `null` deletes. Like Kubernetes, only the patch extensions
// count: `x-kubernetes-list-type: map` alone does not make a list mergeable.
//
// This file is the map half; strategic-lists.ts is the list half.
import type { TSchema } from '@sinclair/typebox';
import { child } from '../../lib/field-errors.js';
import { createSchemaWalker, type SchemaWalker } from './schema-walk.js';
import { cloneJson, isJsonObject, jsonTypeName, type JsonObject } from './json-value.js';
import {
  DELETE_FROM_PRIMITIVE_LIST_PREFIX,
  DROP,
  PATCH_DIRECTIVE,
  RETAIN_KEYS_DIRECTIVE,
  SET_ELEMENT_ORDER_PREFIX,
  directiveField,
  patchDirectiveOf,
  patchMetaOf,
  smpError,
  type At,
  type SmpHooks,
} from './strategic-meta.js';
import { applyElementOrder, deleteFromList, mergeListField } from './strategic-lists.js';

function createHooks(walker: SchemaWalker): SmpHooks {
  const hooks: SmpHooks = { walker, mergeObject, fresh };

  function childAt(at: At, key: string): At {
    return { schema: walker.property(at.schema, key), path: child(at.path, key) };
  }

  // `$retainKeys`: every key the patch sets must be listed, and live keys not listed go away.
  function retainKeys(orig: JsonObject, patch: JsonObject, at: At): void {
    const listed = patch[RETAIN_KEYS_DIRECTIVE];
    delete patch[RETAIN_KEYS_DIRECTIVE];
    if (!Array.isArray(listed)) throw smpError(at.path, `${RETAIN_KEYS_DIRECTIVE} must be a list of field names`);
    const keep = new Set(listed.filter((k): k is string => typeof k === 'string'));
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || k.startsWith(SET_ELEMENT_ORDER_PREFIX) || k.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX)) continue;
      if (!keep.has(k)) throw smpError(at.path, `field ${JSON.stringify(k)} is set by the patch but missing from ${RETAIN_KEYS_DIRECTIVE}`);
    }
    for (const k of Object.keys(orig)) if (!keep.has(k)) delete orig[k];
  }

  function mergeObject(orig: JsonObject, patch: JsonObject, at: At): JsonObject {
    const directive = patchDirectiveOf(patch);
    if (directive !== undefined) {
      delete patch[PATCH_DIRECTIVE];
      if (directive === 'replace') return mergeObject({}, patch, at);
      // Kubernetes leaves an empty map where a map was deleted this way.
      if (directive === 'delete') return {};
      // `merge` is the default behaviour, spelled out; Kubernetes rejects it on maps, we accept it.
      if (directive !== 'merge') throw smpError(at.path, `unknown ${PATCH_DIRECTIVE} directive ${JSON.stringify(directive)}`);
    }
    if (Object.hasOwn(patch, RETAIN_KEYS_DIRECTIVE)) retainKeys(orig, patch, at);

    // Ordering lists first (they also consume their list's patch entry), then deletions from
    // scalar lists, then plain fields: the order Kubernetes applies them in.
    for (const key of Object.keys(patch)) {
      const field = directiveField(key, SET_ELEMENT_ORDER_PREFIX, at.path);
      if (field === undefined) continue;
      const order = patch[key];
      delete patch[key];
      applyElementOrder({ orig, patch, field, order, at: childAt(at, field) }, hooks);
    }
    for (const key of Object.keys(patch)) {
      const field = directiveField(key, DELETE_FROM_PRIMITIVE_LIST_PREFIX, at.path);
      if (field === undefined) continue;
      deleteFromList(orig, field, patch[key], childAt(at, field));
      delete patch[key];
    }

    for (const [key, pv] of Object.entries(patch)) {
      if (pv === null) {
        delete orig[key];
        continue;
      }
      const fieldAt = childAt(at, key);
      const ov = orig[key];
      let merged: unknown;
      if (isJsonObject(ov) && isJsonObject(pv)) {
        const meta = patchMetaOf(fieldAt.schema, walker, fieldAt.path);
        merged = meta.strategy === 'replace' ? fresh(pv, fieldAt) : mergeObject(ov, pv, fieldAt);
      } else if (Array.isArray(ov) && Array.isArray(pv)) {
        merged = mergeListField(ov, pv, fieldAt, hooks);
      } else {
        // Absent, or of another JSON type: the patch value wins, cleaned of directives.
        merged = fresh(pv, fieldAt);
      }
      if (merged === DROP) delete orig[key];
      else orig[key] = merged;
    }
    return orig;
  }

  function fresh(value: unknown, at: At): unknown {
    if (isJsonObject(value)) {
      return patchDirectiveOf(value) === 'delete' ? DROP : mergeObject({}, value, at);
    }
    if (Array.isArray(value)) {
      const itemAt: At = { schema: walker.items(at.schema), path: at.path };
      // List-level markers (`{$patch: replace}`) and deleted items have nothing to add here.
      return value
        .filter((item) => !(isJsonObject(item) && Object.hasOwn(item, PATCH_DIRECTIVE)))
        .map((item) => fresh(item, itemAt))
        .filter((item) => item !== DROP);
    }
    return value;
  }

  return hooks;
}

/**
 * Applies a strategic merge patch to a copy of `original`, reading merge keys and strategies
 * from `schema` (the kind's TypeBox schema). Neither argument is modified. Throws a 400
 * StatusError for a malformed patch.
 */
export function applyStrategicMergePatch(original: unknown, patch: unknown, schema: TSchema): JsonObject {
  if (!isJsonObject(patch)) throw smpError('', `the patch must be a JSON object, not a JSON ${jsonTypeName(patch)}`);
  const hooks = createHooks(createSchemaWalker(schema));
  const start = isJsonObject(original) ? cloneJson(original) : {};
  return hooks.mergeObject(start, cloneJson(patch), { schema, path: '' });
}
