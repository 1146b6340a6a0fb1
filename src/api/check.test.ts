// Tests for the generic decoder: unknown fields, nulls, type errors, quantities, int-or-string,
// enums, timestamps, defaults, input immutability, and that it stays fast enough to run on every write.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from '@sinclair/typebox';
import { decodeObject, applySchemaDefaults } from './check.js';
import { ConfigMap } from './core/v1/configmap.js';
import { ObjectMeta, typeMeta } from './meta/v1.js';
import { obj, str, enumStr, int32, int64, bool, time, mapOf, list, strList, intOrString, quantity, freeformObject, bytes, num } from './schema.js';

const Port = obj(
  'A port.',
  { name: str('Name.'), containerPort: int32('Port.'), protocol: enumStr('Protocol.', ['TCP', 'UDP', 'SCTP'], { default: 'TCP' }) },
  { id: 'test.Port' },
);
const Container = obj(
  'A container.',
  {
    name: str('Name.'),
    image: str('Image.'),
    imagePullPolicy: enumStr('Pull policy.', ['Always', 'Never', 'IfNotPresent']),
    ports: list('Ports.', Port, { mergeKey: 'containerPort', strategy: 'merge' }),
    args: strList('Args.'),
    resources: obj('Resources.', { limits: mapOf('Limits.', quantity('Amount.')) }),
    tty: bool('TTY.'),
  },
  { id: 'test.Container' },
);
const Widget = obj(
  'A test kind.',
  {
    ...typeMeta,
    metadata: ObjectMeta,
    spec: obj('Spec.', {
      replicas: int32('Replicas.', { default: 1 }),
      revisionHistoryLimit: int64('History.', { default: 10 }),
      ratio: num('A ratio.'),
      maxSurge: intOrString('Surge.'),
      template: obj('Template.', { spec: obj('Pod spec.', { containers: list('Containers.', Container) }) }),
      raw: freeformObject('Anything.'),
      startedAt: time('When.'),
      blob: bytes('Bytes.'),
      strategy: obj('Strategy.', { type: enumStr('Type.', ['Recreate', 'RollingUpdate'], { default: 'RollingUpdate' }) }),
    }),
  },
  { id: 'test.Widget' },
);

const decode = (input: unknown) => decodeObject(Widget, input);

describe('decodeObject', () => {
  it('keeps known fields and returns a copy', () => {
    const input = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', labels: { b: '2', a: '1' } }, data: { k: 'v' } };
    const snapshot = structuredClone(input);
    const r = decodeObject(ConfigMap, input);
    assert.deepEqual(r.object, input);
    assert.deepEqual(r.unknownFields, []);
    assert.deepEqual(r.errors, []);
    assert.notEqual(r.object.metadata, input.metadata);
    assert.deepEqual(input, snapshot);
  });

  it('drops unknown fields and reports them with kubectl-style paths', () => {
    const input = {
      apiVersion: 'x/v1',
      kind: 'Widget',
      bogus: 1,
      metadata: { name: 'w', nmae: 'typo' },
      spec: { template: { spec: { containers: [{ name: 'a' }, { name: 'b', imagePullPolcy: 'Always', ports: [{ containerPort: 80, hostIP: 'x' }] }] } } },
    };
    const snapshot = structuredClone(input);
    const r = decode(input);
    assert.deepEqual(r.unknownFields.sort(), [
      'bogus',
      'metadata.nmae',
      'spec.template.spec.containers[1].imagePullPolcy',
      'spec.template.spec.containers[1].ports[0].hostIP',
    ]);
    assert.equal('bogus' in r.object, false);
    assert.deepEqual(r.object.metadata, { name: 'w' });
    assert.deepEqual(input, snapshot, 'input is not mutated');
  });

  it('writes fields in schema order and map keys sorted', () => {
    const r = decode({ spec: { replicas: 2 }, metadata: { labels: { z: '1', a: '2' }, name: 'x' }, kind: 'Widget', apiVersion: 'x/v1' });
    assert.deepEqual(Object.keys(r.object), ['apiVersion', 'kind', 'metadata', 'spec']);
    assert.deepEqual(Object.keys(r.object.metadata ?? {}), ['name', 'labels']);
    assert.deepEqual(Object.keys(r.object.metadata?.labels ?? {}), ['a', 'z']);
  });

  it('treats null on a field as absent and null inside a list or map as the zero value', () => {
    const r = decode({ metadata: { name: 'x', labels: null, annotations: { a: null } }, spec: { replicas: null, template: { spec: { containers: [null] } } } });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.object.metadata, { name: 'x', annotations: { a: '' } });
    assert.deepEqual(r.object.spec, { template: { spec: { containers: [{}] } } });
  });

  it('reports type mismatches with field paths', () => {
    const r = decode({
      metadata: { name: 5, labels: { a: true } },
      spec: { replicas: '3', revisionHistoryLimit: 1.5, template: { spec: { containers: { name: 'x' } } }, strategy: 'Recreate' },
    });
    const byField = Object.fromEntries(r.errors.map((e) => [e.field, e]));
    assert.deepEqual(Object.keys(byField).sort(), [
      'metadata.labels[a]',
      'metadata.name',
      'spec.replicas',
      'spec.revisionHistoryLimit',
      'spec.strategy',
      'spec.template.spec.containers',
    ]);
    assert.equal(byField['spec.replicas']?.type, 'FieldValueTypeInvalid');
    assert.equal(byField['spec.replicas']?.value, '3');
    assert.deepEqual(r.object.spec, { template: { spec: {} } });
  });

  it('accepts whole numbers for integers and rejects out-of-range int32', () => {
    assert.deepEqual(decode({ spec: { replicas: 3, revisionHistoryLimit: 2 ** 40 } }).errors, []);
    assert.equal(decode({ spec: { replicas: 2 ** 31 } }).errors[0]?.field, 'spec.replicas');
    assert.deepEqual(decode({ spec: { ratio: 0.25 } }).object.spec, { ratio: 0.25 });
  });

  it('decodes int-or-string and quantities', () => {
    const r = decode({
      spec: {
        maxSurge: '25%',
        template: { spec: { containers: [{ resources: { limits: { cpu: 0.5, memory: '1Gi', pods: 10 } } }] } },
      },
    });
    assert.deepEqual(r.errors, []);
    assert.equal((r.object.spec as { maxSurge: unknown }).maxSurge, '25%');
    const c = (r.object.spec as { template: { spec: { containers: { resources: unknown }[] } } }).template.spec.containers[0];
    assert.deepEqual(c?.resources, { limits: { cpu: '500m', memory: '1Gi', pods: '10' } });
    assert.deepEqual(decode({ spec: { maxSurge: 1 } }).object.spec, { maxSurge: 1 });
    assert.equal(decode({ spec: { maxSurge: 1.5 } }).errors[0]?.field, 'spec.maxSurge');
    assert.equal(decode({ spec: { maxSurge: true } }).errors.length, 1);
    const bad = decode({ spec: { template: { spec: { containers: [{ resources: { limits: { cpu: '12xyz' } } }] } } } });
    assert.equal(bad.errors[0]?.field, 'spec.template.spec.containers[0].resources.limits[cpu]');
  });

  it('leaves enum membership to kind validation, as Go decoding does', () => {
    const r = decode({ spec: { template: { spec: { containers: [{ imagePullPolicy: 'Sometimes' }, { imagePullPolicy: 3 }] } } } });
    assert.deepEqual(r.errors.map((e) => e.field), ['spec.template.spec.containers[1].imagePullPolicy']);
    const containers = (r.object.spec as { template: { spec: { containers: unknown[] } } }).template.spec.containers;
    assert.deepEqual(containers, [{ imagePullPolicy: 'Sometimes' }, {}]);
  });

  it('validates timestamps and stores them in UTC', () => {
    assert.deepEqual(decode({ spec: { startedAt: '2024-05-01T12:00:00Z' } }).object.spec, { startedAt: '2024-05-01T12:00:00Z' });
    assert.deepEqual(decode({ spec: { startedAt: '2024-05-01T14:00:00+02:00' } }).object.spec, { startedAt: '2024-05-01T12:00:00Z' });
    assert.equal(decode({ spec: { startedAt: 'yesterday' } }).errors[0]?.field, 'spec.startedAt');
    assert.equal(decode({ spec: { startedAt: '' } }).errors.length, 1);
  });

  it('checks base64 for byte fields', () => {
    assert.deepEqual(decodeObject(ConfigMap, { binaryData: { a: 'aGVsbG8=' } }).errors, []);
    assert.equal(decodeObject(ConfigMap, { binaryData: { a: 'not base64!' } }).errors[0]?.field, 'binaryData[a]');
  });

  it('keeps free-form values as deep copies', () => {
    const raw = { any: [1, { thing: 'x' }], n: null };
    const r = decode({ spec: { raw } });
    assert.deepEqual((r.object.spec as { raw: unknown }).raw, raw);
    assert.notEqual((r.object.spec as { raw: { any: unknown } }).raw.any, raw.any);
    assert.deepEqual(r.unknownFields, []);
  });

  it('keeps unknown fields where the schema preserves them', () => {
    const Open = Type.Object({ a: Type.Optional(Type.String()) }, { 'x-kubernetes-preserve-unknown-fields': true });
    const r = decodeObject(Open, { a: 'x', b: { c: 1 } });
    assert.deepEqual(r.object, { a: 'x', b: { c: 1 } });
    assert.deepEqual(r.unknownFields, []);
  });

  it('follows $ref in recursive schemas', () => {
    const Tree = Type.Recursive((This) => Type.Object({ name: Type.String(), children: Type.Optional(Type.Array(This)) }), { $id: 'test.Tree' });
    const r = decodeObject(Tree, { name: 'a', children: [{ name: 'b', children: [{ name: 'c', extra: 1 }] }] });
    assert.deepEqual(r.unknownFields, ['children[0].children[0].extra']);
  });

  it('does not copy a __proto__ key into an object prototype', () => {
    const r = decodeObject(ConfigMap, JSON.parse('{"data":{"__proto__":"x","a":"b"}}'));
    const data = r.object.data as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(data), Object.prototype);
    assert.equal(Object.getOwnPropertyDescriptor(data, '__proto__')?.value, 'x');
  });

  it('rejects a non-object body', () => {
    assert.equal(decodeObject(ConfigMap, [1]).errors.length, 1);
    assert.equal(decodeObject(ConfigMap, 'x').errors.length, 1);
  });

  it('decodes a ConfigMap in about ten microseconds', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'default', labels: { app: 'web' } }, data: { a: '1', b: '2' } };
    for (let i = 0; i < 2000; i++) decodeObject(ConfigMap, cm);
    const n = 20000;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) decodeObject(ConfigMap, cm);
    const perOp = Number(process.hrtime.bigint() - t0) / n / 1000;
    assert.ok(perOp < 25, `decode took ${perOp.toFixed(2)} µs`);
  });
});

describe('applySchemaDefaults', () => {
  it('fills absent fields inside present objects only', () => {
    const ports = [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }];
    const o = decode({ spec: { strategy: {}, template: { spec: { containers: [{ ports }] } } } }).object;
    applySchemaDefaults(Widget, o);
    const spec = o.spec as Record<string, unknown>;
    assert.equal(spec.replicas, 1);
    assert.equal(spec.revisionHistoryLimit, 10);
    assert.deepEqual(spec.strategy, { type: 'RollingUpdate' });
    assert.deepEqual((spec.template as { spec: { containers: { ports: unknown }[] } }).spec.containers[0]?.ports, [
      { containerPort: 80, protocol: 'TCP' },
      { containerPort: 53, protocol: 'UDP' },
    ]);
    const bare = decode({ metadata: { name: 'x' } }).object;
    applySchemaDefaults(Widget, bare);
    assert.equal(bare.spec, undefined, 'absent objects are not created');
  });

  it('keeps values that are set', () => {
    const o = decode({ spec: { replicas: 0 } }).object;
    applySchemaDefaults(Widget, o);
    assert.equal((o.spec as { replicas: number }).replicas, 0);
  });

  it('gives each object its own copy of an object default', () => {
    const S = obj('S.', { items: list('Items.', obj('I.', { opts: Type.Object({}, { default: {} }) })) });
    const o = { items: [{}, {}] } as { items: { opts: Record<string, unknown> }[] };
    applySchemaDefaults(S, o);
    assert.deepEqual(o.items[0]?.opts, {});
    assert.notEqual(o.items[0]?.opts, o.items[1]?.opts);
  });

  it('leaves schemas without defaults alone', () => {
    const o = { data: { a: 'b' } };
    applySchemaDefaults(ConfigMap, o);
    assert.deepEqual(o, { data: { a: 'b' } });
  });
});

describe('decodeObject on a real kind', () => {
  it('decodes a large Deployment well under a millisecond', async () => {
    const { Deployment } = await import('./apps/v1/deployment.js');
    const container = (i: number) => ({
      name: `c${i}`,
      image: 'registry.example/app:1.2.3',
      args: ['--port=8080', '--verbose'],
      env: Array.from({ length: 10 }, (_, j) => ({ name: `E${j}`, value: String(j) })),
      ports: [{ containerPort: 8080 + i, name: `http${i}`, protocol: 'TCP' }],
      resources: { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: 0.25, memory: '128Mi' } },
      readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5 },
      volumeMounts: [{ name: 'data', mountPath: '/data' }],
    });
    const dep = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default', labels: { app: 'web', tier: 'frontend' }, annotations: { note: 'x'.repeat(200) } },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [container(0), container(1), container(2)],
            initContainers: [container(3)],
            volumes: [{ name: 'data', emptyDir: {} }],
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }],
          },
        },
      },
    };
    const first = decodeObject(Deployment, dep);
    assert.deepEqual(first.errors, []);
    assert.deepEqual(first.unknownFields, []);
    for (let i = 0; i < 200; i++) decodeObject(Deployment, dep);
    const n = 2000;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) decodeObject(Deployment, dep);
    const perOp = Number(process.hrtime.bigint() - t0) / n / 1000;
    assert.ok(perOp < 500, `decode took ${perOp.toFixed(1)} µs`);
  });
});
