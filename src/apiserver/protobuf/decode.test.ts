// Decoding protobuf bodies built by a small hand-written encoder: field numbers as Kubernetes
// assigns them, Go's zero-value rules, the special types (IntOrString, Quantity, Time,
// MicroTime, raw JSON), inlined structs, packed lists, unknown fields and malformed input.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from '@sinclair/typebox';
import { StatusError } from '../../lib/errors.js';
import { ConfigMap } from '../../api/core/v1/configmap.js';
import { Pod } from '../../api/core/v1/pod.js';
import { Deployment } from '../../api/apps/v1/deployment.js';
import { Job } from '../../api/batch/v1/job.js';
import { Lease } from '../../api/coordination/v1/lease.js';
import { Scale } from '../../api/autoscaling/v1/scale.js';
import { decodeProtobufBody } from './index.js';

// --- a minimal protobuf writer (each helper returns the bytes of one field) ---
type Bytes = number[];
function varint(v: bigint | number): Bytes {
  let x = BigInt.asUintN(64, BigInt(v));
  const out: Bytes = [];
  do {
    const b = Number(x & 0x7fn);
    x >>= 7n;
    out.push(x ? b | 0x80 : b);
  } while (x);
  return out;
}
const key = (num: number, wire: number): Bytes => varint((BigInt(num) << 3n) | BigInt(wire));
const int = (num: number, v: number | bigint): Bytes => [...key(num, 0), ...varint(v)];
const bool = (num: number, v: boolean): Bytes => int(num, v ? 1 : 0);
const raw = (num: number, b: Bytes | Uint8Array): Bytes => [...key(num, 2), ...varint(b.length), ...b];
const str = (num: number, s: string): Bytes => raw(num, [...Buffer.from(s)]);
const msg = (num: number, ...fields: Bytes[]): Bytes => raw(num, fields.flat());
const entry = (num: number, k: string, value: Bytes): Bytes => msg(num, str(1, k), value);
const packed = (num: number, values: number[]): Bytes => raw(num, values.flatMap((v) => varint(v)));

function body(typeMeta: { apiVersion: string; kind: string }, ...fields: Bytes[]): Buffer {
  return Buffer.from([0x6b, 0x38, 0x73, 0x00, ...msg(1, str(1, typeMeta.apiVersion), str(2, typeMeta.kind)), ...msg(2, ...fields)]);
}

function statusOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  assert.fail('expected a StatusError');
}

describe('decodeProtobufBody', () => {
  it('decodes a ConfigMap with maps, bytes and Go zero-value rules', () => {
    const b = body(
      { apiVersion: 'v1', kind: 'ConfigMap' },
      msg(1, str(1, 'cm'), str(2, ''), int(7, 0), msg(8), entry(11, 'app', str(2, 'web'))), // metadata
      entry(2, 'k', str(2, 'v')),
      entry(2, 'empty', str(2, '')),
      entry(3, 'bin', raw(2, [0x00, 0xff])),
      bool(4, false), // immutable is a *bool: an explicit false stays
    );
    assert.deepEqual(decodeProtobufBody(b, ConfigMap), {
      object: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'cm', labels: { app: 'web' } },
        data: { k: 'v', empty: '' },
        binaryData: { bin: 'AP8=' },
        immutable: false,
      },
      skipped: [],
    });
  });

  it('keeps pointer zeros, drops omitempty zeros, and keeps present structs as {}', () => {
    const container = msg(2, str(1, 'nginx'), str(2, 'nginx'), msg(6, int(2, 0), int(3, 80), str(4, 'TCP')), msg(8, entry(1, 'cpu', msg(2, str(1, '500m')))), bool(16, false), str(13, ''));
    const b = body(
      { apiVersion: 'apps/v1', kind: 'Deployment' },
      msg(1, str(1, 'web'), msg(9, int(1, 1700000000))),
      msg(
        2,
        int(1, 0), // replicas: *int32
        int(5, 0), // minReadySeconds: int32,omitempty
        bool(7, false), // paused: bool,omitempty
        msg(2, entry(1, 'app', str(2, 'web'))),
        msg(3, msg(1, entry(11, 'app', str(2, 'web'))), msg(2, container, int(4, 0))),
        msg(4, msg(2, msg(1, int(1, 0), int(2, 1)), msg(2, int(1, 1), str(3, '25%')))),
      ),
      msg(3),
    );
    assert.deepEqual(decodeProtobufBody(b, Deployment).object, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', deletionTimestamp: '2023-11-14T22:13:20Z' },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: { limits: { cpu: '500m' } } }],
            terminationGracePeriodSeconds: 0,
          },
        },
        strategy: { rollingUpdate: { maxUnavailable: 1, maxSurge: '25%' } },
      },
      status: {},
    });
  });

  it('flattens inlined structs (volume sources, probe handlers, object references, ephemeral containers)', () => {
    const b = body(
      { apiVersion: 'v1', kind: 'Pod' },
      msg(1, str(1, 'p')),
      msg(
        2,
        msg(1, str(1, 'cfg'), msg(2, msg(19, msg(1, str(1, 'settings')), int(3, 420)))),
        msg(
          2,
          str(1, 'app'),
          msg(10, msg(1, msg(2, str(1, '/healthz'), msg(2, int(1, 1), str(3, 'http')))), int(4, 10)),
          msg(7, str(1, 'A'), msg(3, msg(4, msg(1, str(1, 's')), str(2, 'k')))),
        ),
        msg(34, msg(1, str(1, 'debug'), str(2, 'busybox')), str(2, 'app')),
        msg(14, int(2, -1)), // securityContext.runAsUser, a negative ten-byte varint
      ),
    );
    assert.deepEqual(decodeProtobufBody(b, Pod).object, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: {
        volumes: [{ name: 'cfg', configMap: { name: 'settings', defaultMode: 420 } }],
        containers: [
          {
            name: 'app',
            livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10 },
            env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }],
          },
        ],
        ephemeralContainers: [{ name: 'debug', image: 'busybox', targetContainerName: 'app' }],
        securityContext: { runAsUser: -1 },
      },
    });
  });

  it('renders MicroTime with microseconds and Time with seconds only', () => {
    const b = body(
      { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease' },
      msg(1, str(1, 'l'), msg(8, int(1, 1700000000), int(2, 999))),
      msg(2, str(1, ''), msg(4, int(1, 1700000000), int(2, 123456789)), msg(3)),
    );
    assert.deepEqual(decodeProtobufBody(b, Lease).object, {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'l', creationTimestamp: '2023-11-14T22:13:20Z' },
      spec: { holderIdentity: '', renewTime: '2023-11-14T22:13:20.123456Z' },
    });
  });

  it('reads repeated scalars packed or one per field', () => {
    const rules = (values: Bytes[]): Buffer =>
      body({ apiVersion: 'batch/v1', kind: 'Job' }, msg(1, str(1, 'j')), msg(2, msg(11, msg(1, str(1, 'FailJob'), msg(2, str(2, 'In'), ...values)))));
    const expected = { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [1, 42, 7] } }] };
    const get = (b: Buffer): unknown => (decodeProtobufBody(b, Job).object.spec as { podFailurePolicy: unknown }).podFailurePolicy;
    assert.deepEqual(get(rules([packed(3, [1, 42]), int(3, 7)])), expected);
    assert.deepEqual(get(rules([int(3, 1), int(3, 42), int(3, 7)])), expected);
  });

  it('decodes raw JSON fields and keeps a __proto__ map key as data', () => {
    const managed = msg(17, str(1, 'kubectl'), str(2, 'Update'), str(6, 'FieldsV1'), msg(7, str(1, '{"f:data":{"f:k":{}}}')), msg(4, int(1, 0)));
    const b = body({ apiVersion: 'v1', kind: 'ConfigMap' }, msg(1, str(1, 'cm'), entry(11, '__proto__', str(2, 'x')), managed));
    const meta = decodeProtobufBody(b, ConfigMap).object.metadata as Record<string, unknown>;
    assert.deepEqual(meta.managedFields, [
      { manager: 'kubectl', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:k': {} } }, time: '1970-01-01T00:00:00Z' },
    ]);
    const labels = meta.labels as Record<string, unknown>;
    assert.ok(Object.hasOwn(labels, '__proto__'));
    assert.equal(Object.getPrototypeOf(labels), Object.prototype);
  });

  it('drops a non-pointer zero in a subresource body (Scale.spec.replicas)', () => {
    const b = body({ apiVersion: 'autoscaling/v1', kind: 'Scale' }, msg(1, str(1, 'web')), msg(2, int(1, 0)));
    assert.deepEqual(decodeProtobufBody(b, Scale).object, { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web' }, spec: {} });
  });

  it('skips and lists field numbers it does not know', () => {
    const b = body({ apiVersion: 'v1', kind: 'ConfigMap' }, msg(1, str(1, 'cm'), str(50, 'x')), int(99, 1), entry(2, 'k', str(2, 'v')));
    const r = decodeProtobufBody(b, ConfigMap);
    assert.deepEqual(r.object, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { k: 'v' } });
    assert.deepEqual(r.skipped, ['metadata: field 50', '(object): field 99']);
  });

  it('answers malformed bodies with 400', () => {
    const ok = body({ apiVersion: 'v1', kind: 'ConfigMap' }, msg(1, str(1, 'cm')));
    assert.equal(statusOf(() => decodeProtobufBody(Buffer.from('{"kind":"ConfigMap"}'), ConfigMap)).code, 400);
    assert.equal(statusOf(() => decodeProtobufBody(ok.subarray(0, ok.length - 2), ConfigMap)).code, 400);
    const wrongWire = body({ apiVersion: 'v1', kind: 'ConfigMap' }, msg(1, int(1, 5)));
    const err = statusOf(() => decodeProtobufBody(wrongWire, ConfigMap));
    assert.equal(err.code, 400);
    assert.match(err.message, /metadata\.name/);
  });

  it('answers types without field numbers and compressed envelopes with 415', () => {
    const Widget = Type.Object({ metadata: Type.Optional(Type.Object({ name: Type.String() })) }, { $id: 'com.example.v1.Widget' });
    const b = body({ apiVersion: 'example.com/v1', kind: 'Widget' }, msg(1, str(1, 'w')));
    assert.equal(statusOf(() => decodeProtobufBody(b, Widget)).code, 415);
    const gz = Buffer.concat([body({ apiVersion: 'v1', kind: 'ConfigMap' }, msg(1, str(1, 'cm'))), Buffer.from(str(3, 'gzip'))]);
    assert.equal(statusOf(() => decodeProtobufBody(gz, ConfigMap)).code, 415);
  });
});
