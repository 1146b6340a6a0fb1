// The generic decoder every write goes through: it walks a kind's schema over the JSON a client
// sent and produces the object the way Kubernetes' typed JSON decoding would — unknown fields
// dropped and reported (for `fieldValidation=Warn|Strict`), JSON null on a field meaning "absent",
// values of the wrong type reported with their field path, quantities given as numbers turned
// into strings — and applies the schema's `default` keywords. It never mutates its input.
//
// It runs on every create, update and patch, so each schema node is compiled once into a small
// walker function (cached by schema object; sub-schemas such as ObjectMeta are shared by every
// kind, so they compile once) and field paths are only rendered when something is reported.
import type { TSchema } from '@sinclair/typebox';
import type { ApiObject } from './kind.js';
import { typeInvalid, invalid, type FieldError } from '../lib/field-errors.js';
import { normalizeQuantity, parseQuantity, QUANTITY_PATTERN } from '../lib/quantity.js';

export interface DecodeResult {
  /** A fresh copy of the input holding only known fields, in schema order. */
  object: ApiObject;
  /** Paths of dropped fields, as kubectl prints them: `spec.template.spec.containers[0].imagePullPolcy`. */
  unknownFields: string[];
  /** Values that could not be decoded into the field's type. */
  errors: FieldError[];
}

type Json = Readonly<Record<string, unknown>>;

/** A map key on the path stack (as opposed to a field name). */
class MapKey {
  constructor(readonly key: string) {}
}
type Segment = string | number | MapKey;

interface Ctx {
  path: Segment[];
  unknown: string[];
  errors: FieldError[];
}

/** What a walker returns when the value was rejected; the caller leaves the field out. */
const REJECT = Symbol('reject');

interface Node {
  walk(v: unknown, ctx: Ctx): unknown;
  /** The Go zero value a JSON null becomes inside a list or map. */
  zero(): unknown;
}

/** Map keys print as `.key` in unknown-field paths (as kubectl shows them) and `[key]` in field errors. */
function renderPath(path: readonly Segment[], style: 'unknown' | 'error'): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (!(seg instanceof MapKey)) out += out ? `.${seg}` : seg;
    else out += style === 'error' ? `[${seg.key}]` : out ? `.${seg.key}` : seg.key;
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Own-property assignment that stays safe for a `__proto__` key coming from JSON. */
function put(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

function cloneJson(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map(cloneJson);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined) put(out, k, cloneJson(x));
  }
  return out;
}

const typeOfJson = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

function reject(ctx: Ctx, v: unknown, detail: string): typeof REJECT {
  ctx.errors.push(typeInvalid(renderPath(ctx.path, 'error'), v, detail));
  return REJECT;
}

const anyNode: Node = { walk: (v) => cloneJson(v), zero: () => null };
const booleanNode: Node = { walk: (v, ctx) => (typeof v === 'boolean' ? v : reject(ctx, v, 'must be of type boolean')), zero: () => false };
const numberNode: Node = {
  walk: (v, ctx) => (typeof v === 'number' && Number.isFinite(v) ? v : reject(ctx, v, 'must be of type number')),
  zero: () => 0,
};

const INT32_MAX = 2 ** 31 - 1;
const INT64_MAX = 2 ** 63;

function integerNode(format: unknown): Node {
  const [max, what] = format === 'int32' ? [INT32_MAX, 'int32'] : [INT64_MAX, 'integer'];
  return {
    walk(v, ctx) {
      if (typeof v !== 'number' || !Number.isInteger(v)) return reject(ctx, v, `must be of type ${what}`);
      if (v > max || v < -max - 1) return reject(ctx, v, `must fit in ${what === 'int32' ? 32 : 64} bits`);
      return v;
    },
    zero: () => 0,
  };
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Timestamps are stored in UTC like Kubernetes does; the fraction the client wrote is kept. */
function normaliseTime(s: string): string | undefined {
  const m = RFC3339.exec(s);
  if (!m) return undefined;
  const ms = Date.parse(s);
  if (Number.isNaN(ms)) return undefined;
  if (m[8] === 'Z') return s;
  return `${new Date(ms).toISOString().slice(0, 19)}${m[7] ?? ''}Z`;
}

// Enum members are not checked here: Go decodes any string into an enum type, and the kind's
// validation rejects unsupported values afterwards (422 Invalid, after defaulting), not decoding.
function stringNode(s: Json): Node {
  const format = s.format;
  return {
    walk(v, ctx) {
      if (typeof v !== 'string') return reject(ctx, v, 'must be of type string');
      if (format === 'date-time') {
        const t = normaliseTime(v);
        return t ?? reject(ctx, v, 'must be an RFC 3339 date-time such as 2006-01-02T15:04:05Z');
      }
      if (format === 'byte' && !BASE64.test(v.replace(/[\r\n]/g, ''))) return reject(ctx, v, 'must be base64-encoded bytes');
      return v;
    },
    zero: () => '',
  };
}

const intOrStringNode: Node = {
  walk(v, ctx) {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' && Number.isInteger(v) && v <= INT32_MAX && v >= -INT32_MAX - 1) return v;
    return reject(ctx, v, 'must be an int32 or a string');
  },
  zero: () => 0,
};

const quantityNode: Node = {
  walk(v, ctx) {
    if (typeof v === 'number' && Number.isFinite(v)) return normalizeQuantity(v);
    if (typeof v !== 'string') return reject(ctx, v, 'must be a quantity (a string such as "500m" or "1Gi", or a number)');
    const t = v.trim();
    if (parseQuantity(t) === undefined) {
      ctx.errors.push(invalid(renderPath(ctx.path, 'error'), v, `quantities must match the regular expression '${QUANTITY_PATTERN}'`));
      return REJECT;
    }
    return normalizeQuantity(t);
  },
  zero: () => '0',
};

/** Node cache shared by every schema: sub-schemas are the same objects across kinds. */
const nodes = new WeakMap<object, Node>();
/** Named schemas seen so far, for `$ref` (recursive schemas). */
const ids = new Map<string, Json>();

function compile(s: Json): Node {
  const hit = nodes.get(s);
  if (hit) return hit;
  // Registered before building so a schema that reaches itself finds this node.
  const node: Node = { walk: () => REJECT, zero: () => null };
  nodes.set(s, node);
  if (typeof s.$id === 'string' && !ids.has(s.$id)) ids.set(s.$id, s);
  Object.assign(node, build(s));
  return node;
}

function build(s: Json): Node {
  if (typeof s.$ref === 'string') return refNode(s.$ref);
  if (s['x-kubernetes-int-or-string'] === true) return intOrStringNode;
  if (s['x-kubernetes-quantity'] === true) return quantityNode;
  const choices = Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : undefined;
  if (choices) return unionNode(choices.filter(isObject).map(compile));
  switch (s.type) {
    case 'object':
      return objectNode(s);
    case 'array':
      return arrayNode(isObject(s.items) ? compile(s.items) : anyNode);
    case 'string':
      return stringNode(s);
    case 'integer':
      return integerNode(s.format);
    case 'number':
      return numberNode;
    case 'boolean':
      return booleanNode;
    default:
      return anyNode;
  }
}

/** Resolves `$ref: "T0"` or `"#/definitions/io.k8s...X"` against the named schemas seen so far. */
const lookupRef = (ref: string): Json | undefined => ids.get(ref) ?? ids.get(ref.slice(ref.lastIndexOf('/') + 1));

function refNode(ref: string): Node {
  let target: Node | undefined;
  const resolve = (): Node => (target ??= ((s) => (s ? compile(s) : anyNode))(lookupRef(ref)));
  return { walk: (v, ctx) => resolve().walk(v, ctx), zero: () => resolve().zero() };
}

function unionNode(options: Node[]): Node {
  return {
    walk(v, ctx) {
      for (const o of options) {
        const trial: Ctx = { path: ctx.path, unknown: [], errors: [] };
        const r = o.walk(v, trial);
        if (r !== REJECT && trial.errors.length === 0) {
          ctx.unknown.push(...trial.unknown);
          return r;
        }
      }
      return reject(ctx, v, `must be one of the allowed types, not ${typeOfJson(v)}`);
    },
    zero: () => (options[0] ? options[0].zero() : null),
  };
}

function arrayNode(item: Node): Node {
  return {
    walk(v, ctx) {
      if (!Array.isArray(v)) return reject(ctx, v, 'must be of type array');
      const out: unknown[] = [];
      const depth = ctx.path.length;
      for (let i = 0; i < v.length; i++) {
        const x: unknown = v[i];
        ctx.path[depth] = i;
        const r = x === null || x === undefined ? item.zero() : item.walk(x, ctx);
        ctx.path.length = depth;
        if (r !== REJECT) out.push(r);
      }
      return out;
    },
    zero: () => [],
  };
}

/** The schema for a map's values: TypeBox records use patternProperties, OpenAPI additionalProperties. */
function mapValueSchema(s: Json): Json | true | undefined {
  if (isObject(s.patternProperties)) {
    const first = Object.values(s.patternProperties)[0];
    if (isObject(first)) return first;
  }
  if (isObject(s.additionalProperties)) return s.additionalProperties;
  if (s.additionalProperties === true) return true;
  return undefined;
}

function objectNode(s: Json): Node {
  const valueSchema = mapValueSchema(s);
  const value = valueSchema === true ? anyNode : valueSchema ? compile(valueSchema) : undefined;
  if (!isObject(s.properties)) {
    if (value) return mapNode(value);
    return { walk: (v, ctx) => (isObject(v) ? cloneJson(v) : reject(ctx, v, 'must be of type object')), zero: () => ({}) };
  }
  const props: [string, Node][] = Object.entries(s.properties)
    .filter((e): e is [string, Json] => isObject(e[1]))
    .map(([k, p]) => [k, compile(p)]);
  const known = new Set(props.map(([k]) => k));
  const keepUnknown = s['x-kubernetes-preserve-unknown-fields'] === true;
  return {
    walk(v, ctx) {
      if (!isObject(v)) return reject(ctx, v, 'must be of type object');
      const out: Record<string, unknown> = {};
      const depth = ctx.path.length;
      let seen = 0;
      for (const [name, node] of props) {
        const x = v[name];
        if (x === undefined) continue;
        seen++;
        if (x === null) continue;
        ctx.path[depth] = name;
        const r = node.walk(x, ctx);
        ctx.path.length = depth;
        if (r !== REJECT) out[name] = r;
      }
      let total = 0;
      for (const k in v) if (v[k] !== undefined) total++;
      if (total > seen) extraFields(v, out, ctx);
      return out;
    },
    zero: () => ({}),
  };

  function extraFields(v: Record<string, unknown>, out: Record<string, unknown>, ctx: Ctx): void {
    const depth = ctx.path.length;
    for (const k of Object.keys(v)) {
      const x = v[k];
      if (known.has(k) || x === undefined) continue;
      if (value) {
        ctx.path[depth] = new MapKey(k);
        const r = x === null ? value.zero() : value.walk(x, ctx);
        ctx.path.length = depth;
        if (r !== REJECT) put(out, k, r);
      } else if (keepUnknown) {
        put(out, k, cloneJson(x));
      } else {
        ctx.path[depth] = k;
        ctx.unknown.push(renderPath(ctx.path, 'unknown'));
        ctx.path.length = depth;
      }
    }
  }
}

function mapNode(value: Node): Node {
  return {
    walk(v, ctx) {
      if (!isObject(v)) return reject(ctx, v, 'must be of type object');
      const out: Record<string, unknown> = {};
      const depth = ctx.path.length;
      // Go writes map keys sorted, so stored objects read back the way Kubernetes prints them.
      for (const k of Object.keys(v).sort()) {
        const x = v[k];
        if (x === undefined) continue;
        ctx.path[depth] = new MapKey(k);
        const r = x === null ? value.zero() : value.walk(x, ctx);
        ctx.path.length = depth;
        if (r !== REJECT) put(out, k, r);
      }
      return out;
    },
    zero: () => ({}),
  };
}

/** Decodes `input` against `schema` the way Kubernetes decodes JSON into its Go types. */
export function decodeObject(schema: TSchema, input: unknown): DecodeResult {
  const node = compile(schema as unknown as Json);
  const ctx: Ctx = { path: [], unknown: [], errors: [] };
  if (!isObject(input)) {
    ctx.errors.push(typeInvalid('', input, 'must be of type object'));
    return { object: {}, unknownFields: [], errors: ctx.errors };
  }
  const r = node.walk(input, ctx);
  const object = isObject(r) ? (r as ApiObject) : {};
  return { object, unknownFields: ctx.unknown, errors: ctx.errors };
}

/** Fills absent fields from `default` keywords, inside a (possibly nested) object. */
type Defaulter = (v: unknown) => void;

/** null: no defaults anywhere below this schema, so the walk can skip it. */
const defaulters = new WeakMap<object, Defaulter | null>();

function compileDefaults(s: Json): Defaulter | null {
  if (defaulters.has(s)) return defaulters.get(s) ?? null;
  defaulters.set(s, null); // a schema that reaches itself contributes nothing new
  const d = buildDefaults(s);
  defaulters.set(s, d);
  return d;
}

function buildDefaults(s: Json): Defaulter | null {
  if (typeof s.$ref === 'string') {
    const target = lookupRef(s.$ref);
    return target ? compileDefaults(target) : null;
  }
  if (s.type === 'array') {
    const item = isObject(s.items) ? compileDefaults(s.items) : null;
    return item && ((v) => Array.isArray(v) && v.forEach(item));
  }
  if (s.type !== 'object') return null;
  const valueSchema = mapValueSchema(s);
  const value = isObject(valueSchema) ? compileDefaults(valueSchema) : null;
  const fills: [string, unknown][] = [];
  const nested: [string, Defaulter][] = [];
  const props = isObject(s.properties) ? s.properties : {};
  for (const [name, p] of Object.entries(props)) {
    if (!isObject(p)) continue;
    if (p.default !== undefined) fills.push([name, p.default]);
    const child = compileDefaults(p);
    if (child) nested.push([name, child]);
  }
  if (!fills.length && !nested.length && !value) return null;
  return (v) => {
    if (!isObject(v)) return;
    for (const [name, def] of fills) if (v[name] === undefined || v[name] === null) v[name] = cloneJson(def);
    for (const [name, child] of nested) if (v[name] !== undefined) child(v[name]);
    if (value) for (const k of Object.keys(v)) if (!(k in props)) value(v[k]);
  };
}

/** Applies the schema's `default` keywords to absent fields of present objects, in place. */
export function applySchemaDefaults(schema: TSchema, obj: unknown): void {
  compile(schema as unknown as Json); // registers named schemas for $ref
  compileDefaults(schema as unknown as Json)?.(obj);
}
