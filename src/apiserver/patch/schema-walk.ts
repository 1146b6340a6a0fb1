// Finding the sub-schema that describes a value somewhere inside an object, given the kind's
// TypeBox schema. Strategic merge patch needs it to read the merge key and strategy of each list;
// other apiserver code (field paths, field selectors, OpenAPI) can use it for the same lookups.
//
// It works on the JSON-schema shape TypeBox emits: objects carry `properties`; maps made with
// `Type.Record` carry `patternProperties` (or `additionalProperties`); arrays carry `items`;
// `Type.Optional` only adds a symbol, so it is invisible here; unions (`anyOf`/`oneOf`) and
// intersections (`allOf`) are searched member by member; `$ref` (from `Type.Ref` or
// `Type.Recursive`) is followed to the schema with that `$id` anywhere under the root.
import type { TSchema } from '@sinclair/typebox';

type Node = Record<string, unknown>;

/** A path into an object: property names, and for arrays any segment (usually an index). */
export type SchemaPath = readonly (string | number)[];

export interface SchemaWalker {
  /** The node itself, or the schema its `$ref` points at. */
  resolve(node: TSchema | undefined): TSchema | undefined;
  /** The schema of property `name` of an object, or of any value of a map. */
  property(node: TSchema | undefined, name: string): TSchema | undefined;
  /** The schema of the elements of an array. */
  items(node: TSchema | undefined): TSchema | undefined;
  /** The schema at `path` below the root; undefined when the path leaves the described shape. */
  at(path: SchemaPath): TSchema | undefined;
}

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
const members = (n: Node): Node[] =>
  [n.anyOf, n.oneOf, n.allOf].flatMap((m) => (Array.isArray(m) ? m.filter(isNode) : []));

// Ids are collected once per root schema; schemas are immutable once built.
const idIndexes = new WeakMap<object, Map<string, Node>>();

function idIndex(root: Node): Map<string, Node> {
  const cached = idIndexes.get(root);
  if (cached) return cached;
  const index = new Map<string, Node>();
  const seen = new Set<Node>();
  const visit = (n: unknown): void => {
    if (!isNode(n) || seen.has(n)) return;
    seen.add(n);
    if (typeof n.$id === 'string' && !index.has(n.$id)) index.set(n.$id, n);
    for (const key of ['properties', 'patternProperties'] as const) {
      const group = n[key];
      if (isNode(group)) Object.values(group).forEach(visit);
    }
    visit(n.additionalProperties);
    if (Array.isArray(n.items)) n.items.forEach(visit);
    else visit(n.items);
    members(n).forEach(visit);
  };
  visit(root);
  idIndexes.set(root, index);
  return index;
}

const patternCache = new Map<string, RegExp | null>();

function patternMatches(pattern: string, name: string): boolean {
  let re = patternCache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern, 'u');
    } catch {
      re = null;
    }
    patternCache.set(pattern, re);
  }
  return re !== null && re.test(name);
}

export function createSchemaWalker(root: TSchema): SchemaWalker {
  const rootNode = root as unknown as Node;

  const resolveNode = (node: unknown): Node | undefined => {
    let n = isNode(node) ? node : undefined;
    // A chain of refs is short; the bound only guards against a ref that names itself.
    for (let hops = 0; n && typeof n.$ref === 'string' && hops < 16; hops++) {
      n = idIndex(rootNode).get(n.$ref);
    }
    return n;
  };

  const propertyNode = (node: unknown, name: string, depth: number): Node | undefined => {
    const n = resolveNode(node);
    if (!n || depth > 16) return undefined;
    if (isNode(n.properties) && Object.hasOwn(n.properties, name) && isNode(n.properties[name])) {
      return n.properties[name];
    }
    if (isNode(n.patternProperties)) {
      for (const [pattern, s] of Object.entries(n.patternProperties)) {
        if (isNode(s) && patternMatches(pattern, name)) return s;
      }
    }
    if (isNode(n.additionalProperties)) return n.additionalProperties;
    for (const m of members(n)) {
      const found = propertyNode(m, name, depth + 1);
      if (found) return found;
    }
    return undefined;
  };

  const itemsNode = (node: unknown, depth: number): Node | undefined => {
    const n = resolveNode(node);
    if (!n || depth > 16) return undefined;
    if (isNode(n.items)) return n.items;
    for (const m of members(n)) {
      const found = itemsNode(m, depth + 1);
      if (found) return found;
    }
    return undefined;
  };

  const isArrayNode = (node: unknown): boolean => {
    const n = resolveNode(node);
    return !!n && (n.type === 'array' || isNode(n.items) || members(n).some((m) => isArrayNode(m)));
  };

  const asSchema = (n: Node | undefined): TSchema | undefined => n as unknown as TSchema | undefined;

  return {
    resolve: (node) => asSchema(resolveNode(node)),
    property: (node, name) => asSchema(propertyNode(node, name, 0)),
    items: (node) => asSchema(itemsNode(node, 0)),
    at(path) {
      let cur: Node | undefined = rootNode;
      for (const seg of path) {
        if (!cur) return undefined;
        cur = isArrayNode(cur) ? itemsNode(cur, 0) : propertyNode(cur, String(seg), 0);
      }
      return asSchema(cur);
    },
  };
}

/** The sub-schema at `path` under `root` (see SchemaWalker.at). */
export function schemaAt(root: TSchema, path: SchemaPath): TSchema | undefined {
  return createSchemaWalker(root).at(path);
}
