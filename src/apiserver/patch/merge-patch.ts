// JSON Merge Patch (RFC 7386, `application/merge-patch+json`): the patch mirrors the shape of
// the object; objects merge key by key, `null` removes a key, and anything else (lists
// included) replaces what was there. It knows nothing of schemas, which is why custom resources
// and `kubectl patch --type merge` use it.
import { cloneJson, isJsonObject, type JsonObject } from './json-value.js';

// A value stored rather than merged loses its null members at every depth, inside lists too
// (null list elements stay): Kubernetes' merge patch library does this, and without it a
// custom resource would keep `"field": null` entries that a typed kind would drop anyway.
function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (!isJsonObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = withoutNulls(x);
  return out;
}

function mergeInto(target: JsonObject, patch: JsonObject): JsonObject {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete target[key];
    } else if (isJsonObject(value)) {
      const current = target[key];
      // A key the target lacks (or holds as a non-object) starts from an empty object, so nulls
      // nested in the patch value disappear instead of being stored.
      target[key] = mergeInto(isJsonObject(current) ? current : {}, value);
    } else {
      target[key] = withoutNulls(value);
    }
  }
  return target;
}

/**
 * Applies an RFC 7386 merge patch to a copy of `original` and returns the result. A patch that is
 * not an object replaces the document, as the RFC says. Neither argument is modified.
 */
export function applyMergePatch(original: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return cloneJson(patch);
  return mergeInto(isJsonObject(original) ? cloneJson(original) : {}, patch);
}
