// The authentication.k8s.io field numbers against their schemas (these types are reached from no
// served kind, so fields.test.ts does not walk them), and a TokenRequest body encoded the way
// kubectl 1.32's `create token --duration 20m --audience a --bound-object-kind Pod ...` sends it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SelfSubjectReview, TokenRequest, TokenReview } from '../../../api/authentication/v1/index.js';
import { decodeProtobufBody } from '../index.js';
import { authenticationFields } from './authentication.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function named(root: Json, out = new Map<string, Json>()): Map<string, Json> {
  if (isObject(root.properties)) {
    if (typeof root.$id === 'string') out.set(root.$id, root);
    for (const p of Object.values(root.properties)) if (isObject(p) && p.$id !== 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta') named(p, out);
  }
  return out;
}

// A minimal protobuf writer.
const varint = (v: number): number[] => {
  const out: number[] = [];
  let x = v;
  do {
    const b = x & 0x7f;
    x = Math.floor(x / 128);
    out.push(x ? b | 0x80 : b);
  } while (x);
  return out;
};
const raw = (num: number, b: number[]): number[] => [...varint((num << 3) | 2), ...varint(b.length), ...b];
const str = (num: number, s: string): number[] => raw(num, [...Buffer.from(s)]);
const int = (num: number, v: number): number[] => [...varint(num << 3), ...varint(v)];
const msg = (num: number, ...fields: number[][]): number[] => raw(num, fields.flat());

describe('authentication.k8s.io field numbers', () => {
  it('number every field of the request types', () => {
    for (const root of [TokenRequest, TokenReview, SelfSubjectReview]) {
      for (const [id, schema] of named(root as unknown as Json)) {
        const table = authenticationFields[id];
        assert.ok(table, `${id} has no entry`);
        // A top-level type's apiVersion and kind travel in the envelope, not in its message.
        const top = schema === (root as unknown as Json);
        const props = Object.keys(schema.properties as Json).filter((p) => !top || (p !== 'apiVersion' && p !== 'kind'));
        assert.deepEqual(props.filter((p) => table[p] === undefined), [], `${id}: fields without a number`);
        assert.deepEqual(Object.keys(table).filter((p) => !props.includes(p)), [], `${id}: numbers for fields the schema lacks`);
      }
    }
  });

  it('decode a TokenRequest as kubectl sends it', () => {
    const spec = msg(2, str(1, 'a'), str(1, 'b'), msg(3, str(1, 'Pod'), str(2, 'v1'), str(3, 'web')), int(4, 1200));
    const envelope = [0x6b, 0x38, 0x73, 0x00, ...msg(1, str(1, 'authentication.k8s.io/v1'), str(2, 'TokenRequest')), ...msg(2, msg(1), spec, msg(3, msg(2)))];
    const { object, skipped } = decodeProtobufBody(Buffer.from(envelope), TokenRequest);
    assert.deepEqual(skipped, []);
    assert.deepEqual(object, {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      metadata: {},
      spec: { audiences: ['a', 'b'], boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web' }, expirationSeconds: 1200 },
      status: {},
    });
  });
});
