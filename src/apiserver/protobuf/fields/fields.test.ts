// Keeps the field-number table and the schemas in step: every named type a kind reaches has an
// entry, every schema field has a number (a field added to a schema without one would be
// silently dropped from protobuf bodies), every number names a real field, and no message uses
// a number twice.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { allKinds } from '../../../api/kinds.js';
import { Scale } from '../../../api/autoscaling/v1/scale.js';
import { fieldNumbers, type MessageFields } from './index.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every named object schema reachable from the kinds (and the Scale subresource body). */
function namedSchemas(): Map<string, Json> {
  const out = new Map<string, Json>();
  const seen = new Set<object>();
  const walk = (s: Json): void => {
    if (seen.has(s)) return;
    seen.add(s);
    if (isObject(s.properties)) {
      assert.equal(typeof s.$id, 'string', `an object schema without an id: ${Object.keys(s.properties).join(',')}`);
      out.set(s.$id as string, s);
      for (const p of Object.values(s.properties)) if (isObject(p)) walk(p);
    }
    if (isObject(s.patternProperties)) for (const p of Object.values(s.patternProperties)) if (isObject(p)) walk(p);
    if (isObject(s.items)) walk(s.items);
  };
  for (const k of allKinds) walk(k.schema as unknown as Json);
  walk(Scale as unknown as Json);
  return out;
}

/** JSON field names a message covers, its own and those of the structs it inlines. */
function coveredNames(fields: MessageFields): string[] {
  const out: string[] = [];
  for (const [name, spec] of Object.entries(fields)) {
    if (typeof spec === 'object' && spec.inline !== undefined) {
      const inner = fieldNumbers[spec.inline];
      assert.ok(inner, `inline type ${spec.inline} has no entry`);
      out.push(...coveredNames(inner));
    } else out.push(name);
  }
  return out;
}

describe('protobuf field numbers', () => {
  const schemas = namedSchemas();

  it('cover every type the kinds reach', () => {
    const missing = [...schemas.keys()].filter((id) => !fieldNumbers[id]);
    assert.deepEqual(missing, []);
    assert.ok(schemas.size > 200, `only ${schemas.size} types found`);
  });

  it('number every schema field, and only schema fields', () => {
    // A kind's own apiVersion and kind travel in the envelope, not in its message.
    const topLevel = new Set([...allKinds.map((k) => k.schema.$id), Scale.$id]);
    for (const [id, schema] of schemas) {
      const typeMeta = topLevel.has(id) ? ['apiVersion', 'kind'] : [];
      const props = Object.keys(schema.properties as Json).filter((p) => !typeMeta.includes(p));
      const covered = coveredNames(fieldNumbers[id] ?? {});
      assert.deepEqual(props.filter((p) => !covered.includes(p)), [], `${id}: fields without a number`);
      assert.deepEqual(covered.filter((p) => !props.includes(p)), [], `${id}: numbers for fields the schema lacks`);
    }
  });

  it('use each number once per message', () => {
    for (const [id, fields] of Object.entries(fieldNumbers)) {
      const numbers = Object.values(fields).map((s) => (typeof s === 'number' ? s : s.n));
      assert.equal(new Set(numbers).size, numbers.length, `${id} repeats a field number`);
      assert.ok(numbers.every((n) => Number.isInteger(n) && n > 0), `${id} has an invalid field number`);
    }
  });
});
