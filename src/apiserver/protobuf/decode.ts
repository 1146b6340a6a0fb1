// Turns a go-to-protobuf message into the JSON object Go's encoding/json would have produced for
// the same Go struct, so the rest of the apiserver sees exactly what a JSON client would send.
// Types come from our schema (string, int32, map, list, nested type by definition id, the
// Kubernetes special types marked by `x-kubernetes-*` and `format`); field numbers and the few
// facts a schema cannot know come from the table in fields/. Each schema node is compiled once
// into a codec, cached by schema object, as check.ts does.
//
// Zero values: go-to-protobuf writes every non-pointer scalar, even when zero, while Go's JSON
// omits zero `omitempty` fields; so a zero scalar is dropped unless the table says its zero
// counts (a pointer, or no omitempty). Nested structs are only on the wire when Go's JSON would
// print them too (`{}` for an empty non-pointer struct), so a message present is kept.
import type { TSchema } from '@sinclair/typebox';
import { fieldNumbers, type FieldSpec, type MessageFields } from './fields/index.js';
import { BYTES, FIXED32, FIXED64, readFields, readPackedVarints, utf8, VARINT, WireError, type WireField } from './wire.js';

type Json = Readonly<Record<string, unknown>>;

/** A schema type with no field-number table: that kind cannot be sent as protobuf. */
export class NoFieldTable extends Error {}

interface Ctx {
  /** Fields the table does not know, as `path: field N`; Kubernetes ignores them too. */
  skipped: string[];
}

/** Returned by a codec for a value Go's JSON would print as null (an unset time, an empty raw extension). */
const OMIT = Symbol('omit');

interface Codec {
  /** One occurrence of the field (one element, for a repeated field). */
  decode(f: WireField, at: string, ctx: Ctx): unknown;
  /** The value of a map entry whose value is missing from the wire. */
  zero(): unknown;
  /** How a scalar travels; scalars can be packed when repeated and lose zero values to omitempty. */
  scalar?: 'varint' | 'fixed64' | 'fixed32' | 'bytes';
}

interface ValueField {
  name: string;
  /** A map's codec decodes its values; a list's, its elements. */
  shape: 'single' | 'list' | 'map';
  codec: Codec;
  dropZero: boolean;
}
interface InlineField {
  inline: Map<number, Field>;
}
type Field = ValueField | InlineField;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function bytesOf(f: WireField, at: string): Uint8Array {
  if (f.wire !== BYTES) throw new WireError(`${at || 'object'}: wire type ${f.wire}, expected 2`);
  return f.value;
}

function varintOf(f: WireField, at: string): bigint {
  if (f.wire !== VARINT) throw new WireError(`${at}: wire type ${f.wire}, expected 0`);
  return f.value;
}

const stringCodec: Codec = { decode: (f, at) => utf8(bytesOf(f, at)), zero: () => '', scalar: 'bytes' };
const bytesCodec: Codec = { decode: (f, at) => Buffer.from(bytesOf(f, at)).toString('base64'), zero: () => '', scalar: 'bytes' };
const boolCodec: Codec = { decode: (f, at) => varintOf(f, at) !== 0n, zero: () => false, scalar: 'varint' };
const int32Codec: Codec = { decode: (f, at) => Number(BigInt.asIntN(32, varintOf(f, at))), zero: () => 0, scalar: 'varint' };
const int64Codec: Codec = { decode: (f, at) => Number(BigInt.asIntN(64, varintOf(f, at))), zero: () => 0, scalar: 'varint' };
const doubleCodec: Codec = {
  decode(f, at) {
    if (f.wire === FIXED64) return Buffer.from(f.value).readDoubleLE(0);
    if (f.wire === FIXED32) return Buffer.from(f.value).readFloatLE(0);
    throw new WireError(`${at}: wire type ${f.wire}, expected 1`);
  },
  zero: () => 0,
  scalar: 'fixed64',
};

/** Fields of a small fixed message (Time, IntOrString...) by number; unknown ones are ignored. */
function smallMessage(f: WireField, at: string): Map<number, WireField> {
  const out = new Map<number, WireField>();
  for (const x of readFields(bytesOf(f, at))) out.set(x.num, x);
  return out;
}

/** metav1.Time is `{seconds, nanos}`, but only seconds survive (JSON has second precision). */
function timeCodec(opts: { micro: boolean }): Codec {
  return {
    decode(f, at) {
      const m = smallMessage(f, at);
      if (m.size === 0) return OMIT; // the zero time, which Go's JSON prints as null
      const s = m.get(1);
      const n = m.get(2);
      const seconds = s ? Number(BigInt.asIntN(64, varintOf(s, at))) : 0;
      const nanos = n ? Number(BigInt.asIntN(32, varintOf(n, at))) : 0;
      const d = new Date(seconds * 1000);
      const year = d.getUTCFullYear();
      if (Number.isNaN(d.getTime()) || year < 0 || year > 9999) throw new WireError(`${at}: time out of range`);
      const base = d.toISOString().slice(0, 19);
      return opts.micro ? `${base}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z` : `${base}Z`;
    },
    zero: () => OMIT,
  };
}

/** intstr.IntOrString: `{type (0 int, 1 string), intVal, strVal}`. */
const intOrStringCodec: Codec = {
  decode(f, at) {
    const m = smallMessage(f, at);
    const type = m.get(1);
    if (type && varintOf(type, at) === 1n) {
      const s = m.get(3);
      return s ? utf8(bytesOf(s, at)) : '';
    }
    const i = m.get(2);
    return i ? Number(BigInt.asIntN(32, varintOf(i, at))) : 0;
  },
  zero: () => 0,
};

/** resource.Quantity: `{string}`; Go always writes the string ("0" for the zero quantity). */
const quantityCodec: Codec = {
  decode(f, at) {
    const s = smallMessage(f, at).get(1);
    return s ? utf8(bytesOf(s, at)) : '0';
  },
  zero: () => '0',
};

/** runtime.RawExtension and metav1.FieldsV1: `{raw}` holding the JSON text. */
const rawJsonCodec: Codec = {
  decode(f, at) {
    const raw = smallMessage(f, at).get(1);
    const text = raw ? utf8(bytesOf(raw, at)).trim() : '';
    if (text === '' || text === 'null') return OMIT;
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new WireError(`${at}: embedded JSON does not parse: ${err instanceof Error ? err.message : String(err)}`);
    }
  },
  zero: () => OMIT,
};

/** Named schemas seen so far, for `$ref` (recursive schemas). */
const ids = new Map<string, Json>();
const codecs = new WeakMap<object, Codec>();

/** The codec of a field's value: the schema's, unless the table says it is a MicroTime. */
function codecFor(s: Json, spec: FieldSpec): Codec {
  if (typeof spec === 'object' && spec.micro) return timeCodec({ micro: true });
  return compile(s);
}

function compile(s: Json): Codec {
  const hit = codecs.get(s);
  if (hit) return hit;
  if (typeof s.$id === 'string' && !ids.has(s.$id)) ids.set(s.$id, s);
  const codec = build(s);
  codecs.set(s, codec);
  return codec;
}

function build(s: Json): Codec {
  if (typeof s.$ref === 'string') return refCodec(s.$ref);
  if (s['x-kubernetes-int-or-string'] === true) return intOrStringCodec;
  if (s['x-kubernetes-quantity'] === true) return quantityCodec;
  switch (s.type) {
    case 'object':
      if (isObject(s.properties)) return messageCodec(s);
      // A map as a field value is handled by the field (see planFields); anywhere else it cannot occur.
      return rawJsonCodec;
    case 'string':
      if (s.format === 'date-time') return timeCodec({ micro: false });
      return s.format === 'byte' ? bytesCodec : stringCodec;
    case 'integer':
      return s.format === 'int32' ? int32Codec : int64Codec;
    case 'number':
      return doubleCodec;
    case 'boolean':
      return boolCodec;
    default:
      return rawJsonCodec;
  }
}

function refCodec(ref: string): Codec {
  let target: Codec | undefined;
  const resolve = (): Codec => {
    if (target) return target;
    const s = ids.get(ref) ?? ids.get(ref.slice(ref.lastIndexOf('/') + 1));
    if (!s) throw new NoFieldTable(`no schema named ${ref}`);
    return (target = compile(s));
  };
  return { decode: (f, at, ctx) => resolve().decode(f, at, ctx), zero: () => resolve().zero() };
}

/** TypeBox records publish their value schema under patternProperties, OpenAPI under additionalProperties. */
function mapValue(s: Json): Json | undefined {
  if (isObject(s.patternProperties)) {
    const first = Object.values(s.patternProperties)[0];
    if (isObject(first)) return first;
  }
  return isObject(s.additionalProperties) ? s.additionalProperties : undefined;
}

function messageCodec(s: Json): Codec {
  const id = typeof s.$id === 'string' ? s.$id : undefined;
  let fields: Map<number, Field> | undefined;
  // Built on first use, so a schema that contains itself finds its own (cached) codec.
  const plan = (): Map<number, Field> => {
    if (fields) return fields;
    const table = id === undefined ? undefined : fieldNumbers[id];
    if (!table) throw new NoFieldTable(`protobuf is not supported for ${id ?? 'an unnamed type'}`);
    return (fields = planFields(table, s.properties as Json));
  };
  return {
    decode(f, at, ctx) {
      const out: Record<string, unknown> = {};
      decodeInto(out, { fields: plan(), bytes: bytesOf(f, at), at }, ctx);
      return out;
    },
    zero: () => ({}),
  };
}

function planFields(table: MessageFields, props: Json): Map<number, Field> {
  const out = new Map<number, Field>();
  for (const [name, spec] of Object.entries(table)) {
    const n = typeof spec === 'number' ? spec : spec.n;
    if (typeof spec === 'object' && spec.inline !== undefined) {
      const inner = fieldNumbers[spec.inline];
      if (!inner) throw new NoFieldTable(`protobuf is not supported for ${spec.inline}`);
      out.set(n, { inline: planFields(inner, props) });
      continue;
    }
    const prop = props[name];
    if (!isObject(prop)) continue; // a table entry our schema lacks: its values are skipped as unknown
    const keepZero = typeof spec === 'object' && spec.keepZero === true;
    const value = prop.type === 'object' && !isObject(prop.properties) ? mapValue(prop) : undefined;
    if (value) out.set(n, { name, shape: 'map', codec: compile(value), dropZero: false });
    else if (prop.type === 'array') {
      const items = isObject(prop.items) ? prop.items : {};
      out.set(n, { name, shape: 'list', codec: codecFor(items, spec), dropZero: false });
    } else {
      const codec = codecFor(prop, spec);
      out.set(n, { name, shape: 'single', codec, dropZero: !keepZero && codec.scalar !== undefined });
    }
  }
  return out;
}

const isZero = (v: unknown): boolean => v === '' || v === 0 || v === false;

function decodeInto(out: Record<string, unknown>, msg: { fields: Map<number, Field>; bytes: Uint8Array; at: string }, ctx: Ctx): void {
  for (const f of readFields(msg.bytes)) {
    const field = msg.fields.get(f.num);
    if (!field) {
      ctx.skipped.push(`${msg.at || '(object)'}: field ${f.num}`);
      continue;
    }
    if ('inline' in field) {
      decodeInto(out, { fields: field.inline, bytes: bytesOf(f, msg.at), at: msg.at }, ctx);
      continue;
    }
    const at = msg.at ? `${msg.at}.${field.name}` : field.name;
    if (field.shape === 'map') addEntry(out, field, { f, at }, ctx);
    else if (field.shape === 'list') addElements(out, field, { f, at }, ctx);
    else setSingle(out, field, field.codec.decode(f, at, ctx));
  }
}

function setSingle(out: Record<string, unknown>, field: ValueField, v: unknown): void {
  const prev = out[field.name];
  if (v === OMIT || (field.dropZero && isZero(v))) delete out[field.name];
  // A non-repeated message sent twice is merged, as protobuf requires.
  else if (isObject(prev) && isObject(v)) Object.assign(prev, v);
  else out[field.name] = v;
}

/** Own-property assignment that stays safe for a `__proto__` map key. */
function put(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

/** One map entry, `{key = 1, value = 2}`; a missing value is the value type's zero. */
function addEntry(out: Record<string, unknown>, field: ValueField, occ: { f: WireField; at: string }, ctx: Ctx): void {
  const entry = smallMessage(occ.f, occ.at);
  const k = entry.get(1);
  const key = k ? utf8(bytesOf(k, occ.at)) : '';
  const v = entry.get(2);
  const value = v ? field.codec.decode(v, `${occ.at}[${key}]`, ctx) : field.codec.zero();
  const map = isObject(out[field.name]) ? (out[field.name] as Record<string, unknown>) : {};
  if (value !== OMIT) put(map, key, value);
  out[field.name] = map;
}

/** One element of a list, or several when a scalar list is packed into one field. */
function addElements(out: Record<string, unknown>, field: ValueField, occ: { f: WireField; at: string }, ctx: Ctx): void {
  const list = Array.isArray(out[field.name]) ? (out[field.name] as unknown[]) : [];
  const { codec } = field;
  const { f } = occ;
  const at = `${occ.at}[${list.length}]`;
  if (f.wire === BYTES && (codec.scalar === 'varint' || codec.scalar === 'fixed64' || codec.scalar === 'fixed32')) {
    for (const x of unpack(f.value, { num: f.num, scalar: codec.scalar })) list.push(codec.decode(x, at, ctx));
  } else {
    const v = codec.decode(f, at, ctx);
    if (v !== OMIT) list.push(v);
  }
  out[field.name] = list;
}

function unpack(bytes: Uint8Array, as: { num: number; scalar: 'varint' | 'fixed64' | 'fixed32' }): WireField[] {
  const { num, scalar } = as;
  if (scalar === 'varint') return readPackedVarints(bytes).map((value) => ({ num, wire: VARINT, value }));
  const size = scalar === 'fixed64' ? 8 : 4;
  if (bytes.length % size !== 0) throw new WireError(`packed field ${num} has a partial element`);
  const out: WireField[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push({ num, wire: size === 8 ? FIXED64 : FIXED32, value: bytes.subarray(i, i + size) });
  return out;
}

/**
 * Decodes the bytes of a go-to-protobuf message of the type `schema` describes. Unknown field
 * numbers are skipped (and listed), as Kubernetes' own protobuf decoding skips them.
 */
export function decodeMessage(schema: TSchema, bytes: Uint8Array): { object: Record<string, unknown>; skipped: string[] } {
  const codec = compile(schema as unknown as Json);
  const ctx: Ctx = { skipped: [] };
  const v = codec.decode({ num: 0, wire: BYTES, value: bytes }, '', ctx);
  if (!isObject(v)) throw new NoFieldTable('protobuf bodies must be objects of a known kind');
  return { object: v, skipped: ctx.skipped };
}
