// Finding sub-schemas in the shapes TypeBox emits: optional properties, maps (Record), arrays
// addressed by index, unions, `$ref` to an `$id` (including recursive schemas), and paths that
// leave the schema.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Type, type TSchema } from '@sinclair/typebox';
import { obj, str, list, mapOf, intOrString, freeformObject } from '../../api/schema.js';
import { ObjectMeta } from '../../api/meta/v1.js';
import { createSchemaWalker, schemaAt } from './schema-walk.js';

const Container = obj('Container.', { name: str('Name.'), image: str('Image.') }, { id: 'test.Container' });
const Root = obj('Root.', {
  metadata: ObjectMeta,
  spec: obj('Spec.', {
    containers: list('Containers.', Container, { mergeKey: 'name', strategy: 'merge' }),
    limits: mapOf('Limits.', obj('Limit.', { max: str('Max.') })),
    surge: intOrString('Surge.'),
    raw: freeformObject('Raw.'),
    ref: Type.Ref('test.Container'),
    either: Type.Union([Type.Null(), obj('Inner.', { deep: str('Deep.') })]),
    open: Type.Object({}, { additionalProperties: Type.Number() }),
  }),
});

const ext = (s: TSchema | undefined, name: string): unknown => (s as Record<string, unknown> | undefined)?.[name];

describe('schema walk', () => {
  it('steps through optional properties transparently', () => {
    assert.equal(ext(schemaAt(Root, ['metadata', 'name']), 'type'), 'string');
    assert.equal(ext(schemaAt(Root, ['spec', 'containers']), 'x-kubernetes-patch-merge-key'), 'name');
  });

  it('steps into array items with any segment, usually an index', () => {
    assert.equal(ext(schemaAt(Root, ['spec', 'containers', 0]), '$id'), 'test.Container');
    assert.equal(ext(schemaAt(Root, ['spec', 'containers', '3', 'image']), 'type'), 'string');
  });

  it('finds map values by any key (Record patternProperties and additionalProperties)', () => {
    assert.equal(ext(schemaAt(Root, ['metadata', 'labels', 'app.kubernetes.io/name']), 'type'), 'string');
    assert.equal(ext(schemaAt(Root, ['spec', 'limits', 'cpu', 'max']), 'type'), 'string');
    assert.equal(ext(schemaAt(Root, ['spec', 'open', 'anything']), 'type'), 'number');
  });

  it('looks into union members and follows $ref to the schema with that $id', () => {
    assert.equal(ext(schemaAt(Root, ['spec', 'either', 'deep']), 'type'), 'string');
    assert.equal(ext(schemaAt(Root, ['spec', 'ref', 'image']), 'type'), 'string');
  });

  it('follows the self-reference of a recursive schema', () => {
    const Node = Type.Recursive((This) => Type.Object({ name: Type.String(), children: Type.Array(This) }), { $id: 'test.Node' });
    assert.equal(ext(schemaAt(Node, ['children', 0, 'children', 1, 'name']), 'type'), 'string');
  });

  it('returns undefined when the path leaves the schema', () => {
    assert.equal(schemaAt(Root, ['spec', 'nope']), undefined);
    assert.equal(schemaAt(Root, ['spec', 'surge', 'x']), undefined);
    assert.equal(schemaAt(Root, ['spec', 'raw', 'x']), undefined);
    assert.equal(schemaAt(Root, ['spec', 'containers', 0, 'image', 'x']), undefined);
  });

  it('exposes property and items lookups on a walker', () => {
    const walk = createSchemaWalker(Root);
    const containers = walk.property(walk.property(Root, 'spec'), 'containers');
    assert.equal(ext(walk.items(containers), '$id'), 'test.Container');
    assert.equal(walk.items(walk.property(Root, 'spec')), undefined);
    assert.equal(ext(walk.resolve(walk.property(walk.property(Root, 'spec'), 'ref')), '$id'), 'test.Container');
  });
});
