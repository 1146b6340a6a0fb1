// JSON Patch (RFC 6902, `application/json-patch+json`): a list of add/remove/replace/move/copy/
// test operations addressed by JSON pointers (RFC 6901). Applied to a copy, all or nothing.
//
// Status codes follow the Kubernetes apiserver: a body that is not a list of operation objects
// is 400 BadRequest; more than 10,000 operations is 413; an operation that cannot be applied
// (missing path, failed `test`, bad index, unknown op) is 422 Invalid. Kubernetes answers that
// last case with a generic message; we name the operation and the pointer instead, which kubectl
// prints after "The request is invalid:".
import { StatusError, badRequest } from '../../lib/errors.js';
import { cloneJson, isJsonObject, jsonEqual, jsonTypeName, type JsonObject } from './json-value.js';

/** The most operations one patch may carry (the Kubernetes limit). */
export const MAX_JSON_PATCH_OPERATIONS = 10_000;

const ARRAY_INDEX = /^(0|[1-9][0-9]*)$/;

/** Thrown inside one operation; turned into the 422 that names the operation. */
class OpFailure extends Error {}

/** Splits a JSON pointer into unescaped reference tokens (`~1` is `/`, `~0` is `~`). */
export function parseJsonPointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new OpFailure(`path ${JSON.stringify(pointer)} is not a JSON pointer (must start with "/")`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => {
      if (/~(?![01])/.test(token)) throw new OpFailure(`path ${JSON.stringify(pointer)} has a "~" not followed by 0 or 1`);
      return token.replace(/~1/g, '/').replace(/~0/g, '~');
    });
}

function arrayIndex(arr: unknown[], token: string, opts: { forInsert: boolean }): number {
  if (opts.forInsert && token === '-') return arr.length;
  if (!ARRAY_INDEX.test(token)) throw new OpFailure(`${JSON.stringify(token)} is not an array index`);
  const i = Number(token);
  const limit = opts.forInsert ? arr.length : arr.length - 1;
  if (i > limit) throw new OpFailure(`index ${i} is out of bounds for an array of length ${arr.length}`);
  return i;
}

/** The value the tokens point at; `found: false` when the last step does not exist. */
function lookup(doc: unknown, tokens: readonly string[]): { found: boolean; value: unknown } {
  let cur = doc;
  for (const [n, token] of tokens.entries()) {
    const last = n === tokens.length - 1;
    if (Array.isArray(cur)) {
      if (!ARRAY_INDEX.test(token) || Number(token) >= cur.length) {
        if (last) return { found: false, value: undefined };
        throw new OpFailure(`no element ${JSON.stringify(token)} in array at ${pointerOf(tokens.slice(0, n))}`);
      }
      cur = cur[Number(token)];
    } else if (isJsonObject(cur)) {
      if (!Object.hasOwn(cur, token)) {
        if (last) return { found: false, value: undefined };
        throw new OpFailure(`${pointerOf(tokens.slice(0, n + 1))} does not exist`);
      }
      cur = cur[token];
    } else {
      throw new OpFailure(`${pointerOf(tokens.slice(0, n))} is a ${jsonTypeName(cur)}, not an object or array`);
    }
  }
  return { found: true, value: cur };
}

/** The container holding the last token, which must exist. */
function parentOf(doc: unknown, tokens: readonly string[]): JsonObject | unknown[] {
  const { found, value } = lookup(doc, tokens.slice(0, -1));
  if (!found) throw new OpFailure(`${pointerOf(tokens.slice(0, -1))} does not exist`);
  if (Array.isArray(value) || isJsonObject(value)) return value;
  throw new OpFailure(`${pointerOf(tokens.slice(0, -1))} is a ${jsonTypeName(value)}, not an object or array`);
}

function pointerOf(tokens: readonly string[]): string {
  return tokens.map((t) => '/' + t.replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

function add(doc: unknown, tokens: readonly string[], value: unknown): unknown {
  if (tokens.length === 0) return value;
  const parent = parentOf(doc, tokens);
  const key = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, { forInsert: true }), 0, value);
  else parent[key] = value;
  return doc;
}

function remove(doc: unknown, tokens: readonly string[]): { doc: unknown; removed: unknown } {
  if (tokens.length === 0) throw new OpFailure('the whole document cannot be removed');
  const parent = parentOf(doc, tokens);
  const key = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) {
    const [removed] = parent.splice(arrayIndex(parent, key, { forInsert: false }), 1);
    return { doc, removed };
  }
  if (!Object.hasOwn(parent, key)) throw new OpFailure(`${pointerOf(tokens)} does not exist`);
  const removed = parent[key];
  delete parent[key];
  return { doc, removed };
}

function replace(doc: unknown, tokens: readonly string[], value: unknown): unknown {
  if (tokens.length === 0) return value;
  const parent = parentOf(doc, tokens);
  const key = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) parent[arrayIndex(parent, key, { forInsert: false })] = value;
  else if (Object.hasOwn(parent, key)) parent[key] = value;
  else throw new OpFailure(`${pointerOf(tokens)} does not exist`);
  return doc;
}

function get(doc: unknown, tokens: readonly string[]): unknown {
  const { found, value } = lookup(doc, tokens);
  if (!found) throw new OpFailure(`${pointerOf(tokens)} does not exist`);
  return value;
}

function test(doc: unknown, tokens: readonly string[], expected: unknown): void {
  const { found, value } = lookup(doc, tokens);
  // Kubernetes' JSON patch library lets a test for null pass when the member is absent (its
  // parent must exist); clients that guard "field not set yet" rely on that.
  if (!found && expected === null) return;
  if (!found) throw new OpFailure(`test failed: ${pointerOf(tokens)} does not exist`);
  if (!jsonEqual(value, expected)) {
    throw new OpFailure(`test failed: value at ${pointerOf(tokens)} is ${JSON.stringify(value)}, not ${JSON.stringify(expected)}`);
  }
}

function stringField(op: JsonObject, name: 'path' | 'from'): string {
  const v = op[name];
  if (typeof v !== 'string') throw new OpFailure(`"${name}" is missing or not a string`);
  return v;
}

function valueField(op: JsonObject): unknown {
  if (!Object.hasOwn(op, 'value')) throw new OpFailure('"value" is missing');
  return cloneJson(op.value);
}

function applyOne(doc: unknown, op: JsonObject): unknown {
  const kind = op.op;
  switch (kind) {
    case 'add':
      return add(doc, parseJsonPointer(stringField(op, 'path')), valueField(op));
    case 'remove':
      return remove(doc, parseJsonPointer(stringField(op, 'path'))).doc;
    case 'replace':
      return replace(doc, parseJsonPointer(stringField(op, 'path')), valueField(op));
    case 'move': {
      const from = stringField(op, 'from');
      const path = stringField(op, 'path');
      if (from === path) return doc;
      if (path.startsWith(from + '/')) throw new OpFailure(`cannot move ${from} into its own child ${path}`);
      const taken = remove(doc, parseJsonPointer(from));
      return add(taken.doc, parseJsonPointer(path), taken.removed);
    }
    case 'copy': {
      const value = cloneJson(get(doc, parseJsonPointer(stringField(op, 'from'))));
      return add(doc, parseJsonPointer(stringField(op, 'path')), value);
    }
    case 'test':
      test(doc, parseJsonPointer(stringField(op, 'path')), valueField(op));
      return doc;
    default:
      throw new OpFailure(`unknown operation ${JSON.stringify(kind)}`);
  }
}

/**
 * Applies an RFC 6902 patch (the parsed request body) to a copy of `original` and returns the
 * result. Neither argument is modified.
 */
export function applyJsonPatch(original: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) {
    throw badRequest(`a JSON patch must be a JSON array of operations, not a JSON ${jsonTypeName(patch)}`);
  }
  patch.forEach((op, i) => {
    if (!isJsonObject(op)) throw badRequest(`JSON patch operation ${i} must be a JSON object, not a JSON ${jsonTypeName(op)}`);
  });
  if (patch.length > MAX_JSON_PATCH_OPERATIONS) {
    throw new StatusError(
      'RequestEntityTooLarge',
      `a JSON patch may hold at most ${MAX_JSON_PATCH_OPERATIONS} operations, this one has ${patch.length}`,
    );
  }
  let doc = cloneJson(original);
  for (const [i, op] of (patch as JsonObject[]).entries()) {
    try {
      doc = applyOne(doc, op);
    } catch (err) {
      if (!(err instanceof OpFailure)) throw err;
      const path = typeof op.path === 'string' ? ` on ${JSON.stringify(op.path)}` : '';
      throw new StatusError('Invalid', `JSON patch operation ${i} (${String(op.op)}${path}) does not apply: ${err.message}`, {
        cause: err,
      });
    }
  }
  return doc;
}
