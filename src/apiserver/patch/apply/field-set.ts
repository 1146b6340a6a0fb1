// Sets of field paths, the currency of server-side apply: which fields a manager owns, which
// fields a write changed, which fields conflict. A set is a tree keyed by path elements written
// as Kubernetes writes them in `metadata.managedFields[].fieldsV1`: `f:<field>` for a field of an
// object, `k:{"name":"web"}` for an item of a keyed list, `v:"x"` for an item of a set list and
// `i:<n>` for an item picked by position. A node marked `member` is itself in the set (written as
// `".": {}` when it also has children, as `{}` when it has none).
import type { JsonObject } from '../json-value.js';

export interface FieldSet {
  member: boolean;
  children: Map<string, FieldSet>;
}

/** A path as path elements, e.g. ['f:spec', 'f:replicas']. */
export type FieldPath = readonly string[];

export const emptySet = (): FieldSet => ({ member: false, children: new Map() });

/** The node at `path`, created on the way when missing. */
export function nodeAt(set: FieldSet, path: FieldPath): FieldSet {
  let n = set;
  for (const pe of path) {
    let c = n.children.get(pe);
    if (!c) n.children.set(pe, (c = emptySet()));
    n = c;
  }
  return n;
}

export function insert(set: FieldSet, path: FieldPath): void {
  nodeAt(set, path).member = true;
}

/** The node at `path` if the set has any member at or below it. */
export function find(set: FieldSet, path: FieldPath): FieldSet | undefined {
  let n: FieldSet | undefined = set;
  for (const pe of path) {
    n = n.children.get(pe);
    if (!n) return undefined;
  }
  return isEmpty(n) ? undefined : n;
}

export const has = (set: FieldSet, path: FieldPath): boolean => find(set, path)?.member === true;

export function isEmpty(set: FieldSet): boolean {
  if (set.member) return false;
  for (const c of set.children.values()) if (!isEmpty(c)) return false;
  return true;
}

/** A new set holding what `a` or `b` hold. */
export function union(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = { member: a.member || b.member, children: new Map() };
  for (const [pe, c] of a.children) {
    const other = b.children.get(pe);
    out.children.set(pe, other ? union(c, other) : clone(c));
  }
  for (const [pe, c] of b.children) if (!a.children.has(pe)) out.children.set(pe, clone(c));
  return out;
}

/** A new set holding the members of `a` that `b` does not hold (children of b's members stay). */
export function difference(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = { member: a.member && !b.member, children: new Map() };
  for (const [pe, c] of a.children) {
    const other = b.children.get(pe);
    const d = other ? difference(c, other) : clone(c);
    if (!isEmpty(d)) out.children.set(pe, d);
  }
  return out;
}

/** A new set holding the members both hold. */
export function intersection(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = { member: a.member && b.member, children: new Map() };
  for (const [pe, c] of a.children) {
    const other = b.children.get(pe);
    if (!other) continue;
    const i = intersection(c, other);
    if (!isEmpty(i)) out.children.set(pe, i);
  }
  return out;
}

export function clone(set: FieldSet): FieldSet {
  const out: FieldSet = { member: set.member, children: new Map() };
  for (const [pe, c] of set.children) out.children.set(pe, clone(c));
  return out;
}

/** Every member path, parents before children. */
export function members(set: FieldSet, prefix: FieldPath = []): FieldPath[] {
  const out: FieldPath[] = [];
  if (set.member && prefix.length > 0) out.push(prefix);
  for (const pe of sortedElements(set.children.keys())) out.push(...members(set.children.get(pe)!, [...prefix, pe]));
  return out;
}

const PE = /^[fkvi]:/;
const ORDER: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

/** Fields first, then keyed items, set items and positions; each group by text. */
function sortedElements(pes: Iterable<string>): string[] {
  return [...pes].sort((x, y) => (ORDER[x[0]!]! - ORDER[y[0]!]!) || (x < y ? -1 : x > y ? 1 : 0));
}

/** The set as FieldsV1 JSON. */
export function toFieldsV1(set: FieldSet): JsonObject {
  const out: JsonObject = {};
  if (set.member && set.children.size > 0) out['.'] = {};
  for (const pe of sortedElements(set.children.keys())) {
    const c = set.children.get(pe)!;
    if (!isEmpty(c)) out[pe] = toFieldsV1(c);
  }
  return out;
}

/** A FieldsV1 JSON value as a set; undefined when it is not well formed. */
export function fromFieldsV1(json: unknown): FieldSet | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const set = emptySet();
  const entries = Object.entries(json as JsonObject);
  for (const [pe, child] of entries) {
    if (pe === '.') {
      if (typeof child !== 'object' || child === null || Object.keys(child).length > 0) return undefined;
      set.member = true;
      continue;
    }
    if (!PE.test(pe) || !validElement(pe)) return undefined;
    const c = fromFieldsV1(child);
    if (!c) return undefined;
    if (c.children.size === 0) c.member = true;
    set.children.set(pe, c);
  }
  return set;
}

function validElement(pe: string): boolean {
  const body = pe.slice(2);
  if (pe[0] === 'f') return body !== '';
  if (pe[0] === 'i') return /^\d+$/.test(body);
  try {
    const v = JSON.parse(body) as unknown;
    return pe[0] === 'v' || (typeof v === 'object' && v !== null && !Array.isArray(v));
  } catch {
    return false;
  }
}

/** A path as Kubernetes prints it in conflicts: `.spec.containers[name="web"].image`. */
export function formatPath(path: FieldPath): string {
  let out = '';
  for (const pe of path) {
    const body = pe.slice(2);
    if (pe[0] === 'f') out += `.${body}`;
    else if (pe[0] === 'i') out += `[${body}]`;
    else if (pe[0] === 'v') out += `[=${body}]`;
    else {
      const keys = JSON.parse(body) as JsonObject;
      out += `[${Object.entries(keys).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`;
    }
  }
  return out;
}
