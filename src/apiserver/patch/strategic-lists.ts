// The list half of strategic merge patch: lists whose field declares strategy `merge` are
// merged (objects matched by the merge key and merged recursively, scalars merged as a set);
// other lists are replaced. Also the list directives: `$patch: delete` / `$patch: replace`
// items, `$setElementOrder/<field>` and `$deleteFromPrimitiveList/<field>`.
//
// Order of the merged list, as Kubernetes computes it: items named in the patch keep the
// patch's order; items only on the server keep theirs; the two runs are interleaved so that a
// server item goes before a patch item only when both were already in the live list in that
// order. A brand-new item therefore lands before the remaining server-only items, not at the
// end (the kubectl patch tutorial shows exactly that). `$setElementOrder` overrides the patch
// order with the full desired order, which is how `kubectl apply` keeps lists in file order.
import { index } from '../../lib/field-errors.js';
import { isJsonObject, jsonEqual, type JsonObject } from './json-value.js';
import {
  DROP,
  PATCH_DIRECTIVE,
  SET_ELEMENT_ORDER_PREFIX,
  elementKind,
  patchDirectiveOf,
  patchMetaOf,
  smpError,
  type At,
  type SmpHooks,
} from './strategic-meta.js';

/** What identifies a list item for ordering: its merge-key value, or the scalar itself. */
type KeyOf = (item: unknown) => unknown;

const NO_KEY = Symbol('no key');

function keyFn(mergeKey: string | undefined): KeyOf {
  if (!mergeKey) return (item) => item;
  return (item) => (isJsonObject(item) && Object.hasOwn(item, mergeKey) ? item[mergeKey] : NO_KEY);
}

function position(keys: readonly unknown[], key: unknown): number {
  if (key === NO_KEY) return -1;
  return keys.findIndex((k) => k !== NO_KEY && jsonEqual(k, key));
}

/**
 * Puts `merged` in order: items whose key is in `wantedKeys` follow that order, the rest keep
 * their order in `merged`, and the two are interleaved by their positions in `serverKeys`.
 */
function orderItems(merged: readonly unknown[], wanted: readonly unknown[], server: readonly unknown[], key: KeyOf): unknown[] {
  const ranked = merged.map((item) => ({ item, rank: position(wanted, key(item)) }));
  const patchItems = ranked
    .filter((r) => r.rank >= 0)
    .sort((a, b) => a.rank - b.rank)
    .map((r) => r.item);
  const serverOnly = ranked.filter((r) => r.rank < 0).map((r) => r.item);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length || j < patchItems.length) {
    if (j >= patchItems.length) {
      out.push(serverOnly[i++]);
    } else if (i >= serverOnly.length) {
      out.push(patchItems[j++]);
    } else {
      const si = position(server, key(serverOnly[i]));
      const pi = position(server, key(patchItems[j]));
      out.push(si >= 0 && pi >= 0 && si < pi ? serverOnly[i++] : patchItems[j++]);
    }
  }
  return out;
}

function mergeScalarLists(orig: readonly unknown[], patch: readonly unknown[]): unknown[] {
  const merged: unknown[] = [];
  for (const v of [...orig, ...patch]) if (!merged.some((m) => jsonEqual(m, v))) merged.push(v);
  return orderItems(merged, patch, orig, (x) => x);
}

function mergeKeyedLists(orig: readonly unknown[], patch: readonly unknown[], mergeKey: string, at: At, hooks: SmpHooks): unknown[] {
  const itemSchema = hooks.walker.items(at.schema);
  const sameKey = (x: unknown, value: unknown): boolean =>
    isJsonObject(x) && Object.hasOwn(x, mergeKey) && jsonEqual(x[mergeKey], value);

  let working = [...orig];
  const regular: { item: JsonObject; path: string }[] = [];
  let replaceAll = false;
  patch.forEach((item, i) => {
    const path = index(at.path, i);
    if (!isJsonObject(item)) throw smpError(path, `items of this list must be objects, found ${JSON.stringify(item)}`);
    const directive = patchDirectiveOf(item);
    if (directive === undefined) {
      regular.push({ item, path });
    } else if (directive === 'delete') {
      if (!Object.hasOwn(item, mergeKey)) throw smpError(path, `a "$patch: delete" item needs the merge key ${JSON.stringify(mergeKey)}`);
      working = working.filter((x) => !sameKey(x, item[mergeKey]));
    } else if (directive === 'replace') {
      replaceAll = true;
    } else if (directive === 'merge') {
      throw smpError(path, '"$patch: merge" is not supported inside a list (lists with a merge key are merged already)');
    } else {
      throw smpError(path, `unknown ${PATCH_DIRECTIVE} directive ${JSON.stringify(directive)}`);
    }
  });
  if (replaceAll) {
    return regular.map(({ item, path }) => hooks.fresh(item, { schema: itemSchema, path })).filter((v) => v !== DROP);
  }

  const serverKeys = working.map(keyFn(mergeKey));
  for (const { item, path } of regular) {
    if (!Object.hasOwn(item, mergeKey)) {
      throw smpError(path, `item ${JSON.stringify(item)} lacks the merge key ${JSON.stringify(mergeKey)} of this list`);
    }
    const found = working.findIndex((x) => sameKey(x, item[mergeKey]));
    const itemAt = { schema: itemSchema, path };
    if (found >= 0) working[found] = hooks.mergeObject(working[found] as JsonObject, item, itemAt);
    else working.push(hooks.fresh(item, itemAt));
  }
  return orderItems(
    working,
    regular.map((r) => r.item[mergeKey]),
    serverKeys,
    keyFn(mergeKey),
  );
}

/** Merges a patch list into the live list of the field at `at`, following its patch strategy. */
export function mergeListField(orig: readonly unknown[], patch: readonly unknown[], at: At, hooks: SmpHooks): unknown[] {
  const meta = patchMetaOf(at.schema, hooks.walker, at.path);
  if (meta.strategy !== 'merge') return hooks.fresh(patch, at) as unknown[];
  const kind = elementKind(at.path, orig, patch);
  if (kind === 'empty') return [];
  if (kind === 'scalar') return mergeScalarLists(orig, patch);
  if (!meta.mergeKey) throw smpError(at.path, 'the list holds objects but its schema declares no merge key');
  return mergeKeyedLists(orig, patch, meta.mergeKey, at, hooks);
}

/** `$deleteFromPrimitiveList/<field>`: drops the listed values from the live list, if there is one. */
export function deleteFromList(orig: JsonObject, field: string, toDelete: unknown, at: At): void {
  if (!Array.isArray(toDelete)) throw smpError(at.path, 'a $deleteFromPrimitiveList directive must hold a list of values');
  const current = orig[field];
  if (Array.isArray(current)) orig[field] = current.filter((v) => !toDelete.some((d) => jsonEqual(d, v)));
}

/**
 * Checks that the patch list names its items in the same relative order as the order list;
 * Kubernetes rejects a patch whose two lists disagree.
 */
function checkOrderConsistent(patchList: readonly unknown[], order: readonly unknown[], key: KeyOf, at: At): void {
  const named = patchList.filter((x) => !(isJsonObject(x) && Object.hasOwn(x, PATCH_DIRECTIVE)));
  let pi = 0;
  for (let oi = 0; pi < named.length && oi < order.length; oi++) {
    if (jsonEqual(key(named[pi]), key(order[oi]))) pi++;
  }
  if (pi < named.length) {
    throw smpError(at.path, `the items of the patch list are not in the order given by ${SET_ELEMENT_ORDER_PREFIX}`);
  }
}

export interface ElementOrderArgs {
  /** The live map holding the list; the ordered list is written back into it. */
  orig: JsonObject;
  /** The patch map; the list's patch entry is consumed. */
  patch: JsonObject;
  field: string;
  order: unknown;
  /** The list field itself. */
  at: At;
}

/** `$setElementOrder/<field>`: merges the field's patch list (if any), then orders the result. */
export function applyElementOrder(args: ElementOrderArgs, hooks: SmpHooks): void {
  const { orig, patch, field, order, at } = args;
  if (!Array.isArray(order)) throw smpError(at.path, `${SET_ELEMENT_ORDER_PREFIX}/${field} must be a list`);
  const hasOrig = Object.hasOwn(orig, field);
  const hasPatch = Object.hasOwn(patch, field);
  const origList = orig[field];
  const patchList = patch[field];
  if (hasOrig && !Array.isArray(origList)) throw smpError(at.path, `${SET_ELEMENT_ORDER_PREFIX} names a field that is not a list`);
  if (hasPatch && !Array.isArray(patchList)) throw smpError(at.path, `the patch value must be a list to go with ${SET_ELEMENT_ORDER_PREFIX}`);
  delete patch[field];

  const meta = patchMetaOf(at.schema, hooks.walker, at.path);
  const key = keyFn(meta.mergeKey);
  if (meta.mergeKey) {
    const mk = meta.mergeKey;
    order.forEach((o, i) => {
      if (!isJsonObject(o) || !Object.hasOwn(o, mk)) {
        throw smpError(index(at.path, i), `${SET_ELEMENT_ORDER_PREFIX} entries must name the merge key ${JSON.stringify(mk)}`);
      }
    });
  }
  const live = hasOrig ? (origList as unknown[]) : [];
  const patched = hasPatch ? (patchList as unknown[]) : [];
  checkOrderConsistent(patched, order, key, at);

  let merged: unknown[];
  if (hasOrig && hasPatch) merged = mergeListField(live, patched, at, hooks);
  else if (hasPatch) merged = hooks.fresh(patched, at) as unknown[];
  else if (hasOrig) merged = live;
  else return;
  orig[field] = orderItems(merged, order.map(key), live.map(key), key);
}
