// The PATCH algorithms of the apiserver, picked by the request's Content-Type: JSON patch
// (RFC 6902), JSON merge patch (RFC 7386) and Kubernetes strategic merge patch. Pure functions
// over parsed JSON: the handler reads the stored object, calls `applyPatch`, then decodes,
// defaults and validates the result like an update. Server-side apply
// (`application/apply-patch+yaml`) needs the writer's name and the object's field owners, so it
// has its own entry point in ./apply (`applyConfiguration`); any other media type is a 415.
import type { TSchema } from '@sinclair/typebox';
import { StatusError, badRequest } from '../../lib/errors.js';
import { applyJsonPatch } from './json-patch.js';
import { applyMergePatch } from './merge-patch.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';
import { isJsonObject, jsonTypeName } from './json-value.js';

export { applyJsonPatch, parseJsonPointer, MAX_JSON_PATCH_OPERATIONS } from './json-patch.js';
export { applyMergePatch } from './merge-patch.js';
export { applyStrategicMergePatch } from './strategic-merge-patch.js';
export { createSchemaWalker, schemaAt, type SchemaWalker, type SchemaPath } from './schema-walk.js';
export {
  applyConfiguration,
  fieldManagerOf,
  isApplyPatch,
  recordWrite,
  BEFORE_FIRST_APPLY,
  DEFAULT_MANAGER,
  LAST_APPLIED,
  type FieldManager,
  type ManagedKind,
} from './apply/index.js';

export const JSON_PATCH = 'application/json-patch+json';
export const MERGE_PATCH = 'application/merge-patch+json';
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
export const APPLY_PATCH_YAML = 'application/apply-patch+yaml';

/** The patch media types we accept, in the order we advertise them. */
export const PATCH_CONTENT_TYPES = [JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH] as const;
export type PatchContentType = (typeof PATCH_CONTENT_TYPES)[number];

/**
 * The patch media type of a Content-Type header (parameters such as `charset` ignored), or a
 * 415 UnsupportedMediaType StatusError.
 */
export function patchContentType(contentType: string): PatchContentType {
  const media = contentType.split(';')[0]!.trim().toLowerCase();
  const known = PATCH_CONTENT_TYPES.find((t) => t === media);
  if (known) return known;
  const why = media === APPLY_PATCH_YAML ? 'server-side apply is not supported yet; ' : '';
  throw new StatusError(
    'UnsupportedMediaType',
    `the body of the request was in an unsupported format ${JSON.stringify(media)}: ${why}accepted media types are ${PATCH_CONTENT_TYPES.join(', ')}`,
  );
}

/** The request body as JSON: already parsed, or raw bytes/text that are parsed here. */
function parseBody(body: unknown): unknown {
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) return body;
  const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw badRequest(`the patch is not valid JSON: ${err instanceof Error ? err.message : String(err)}`, err);
  }
}

/**
 * Applies a PATCH request body to `original` according to `contentType`. `schema` is the kind's
 * schema (used by strategic merge patch). Returns a new object; neither input is modified.
 * Throws 415 for an unsupported media type, 400 for a malformed patch, 422 for a JSON patch
 * operation that does not apply, 413 for an oversized JSON patch.
 */
export function applyPatch(contentType: string, original: unknown, patchBody: unknown, schema: TSchema): unknown {
  const type = patchContentType(contentType);
  const patch = parseBody(patchBody);
  if (type !== JSON_PATCH && !isJsonObject(patch)) {
    throw badRequest(`a ${type} body must be a JSON object, not a JSON ${jsonTypeName(patch)}`);
  }
  let result: unknown;
  if (type === JSON_PATCH) result = applyJsonPatch(original, patch);
  else if (type === MERGE_PATCH) result = applyMergePatch(original, patch);
  else result = applyStrategicMergePatch(original, patch, schema);
  if (!isJsonObject(result)) {
    throw badRequest(`the patched document must be a JSON object, not a JSON ${jsonTypeName(result)}`);
  }
  return result;
}
