// Tests for EndpointSlice: port defaults, address-type checks per endpoint, required addresses,
// duplicate port names and the immutable address type.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiObject } from '../../kind.js';
import type { FieldError } from '../../../lib/field-errors.js';
import { decodeObject } from '../../check.js';
import { endpointSliceKind } from './index.js';

const fields = (errs: FieldError[]): string[] => errs.map((e) => `${e.field} ${e.type}`);
const slice = (body: Record<string, unknown>): ApiObject => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name: 'web-abc12', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
  ...body,
});

describe('EndpointSlice', () => {
  it('defaults port name and protocol and decodes a full slice', () => {
    const s = slice({
      addressType: 'IPv4',
      endpoints: [
        {
          addresses: ['10.244.0.5'],
          conditions: { ready: true, serving: true, terminating: false },
          hostname: 'web-0',
          nodeName: 'node-1',
          zone: 'a',
          targetRef: { kind: 'Pod', name: 'web-0', namespace: 'default', uid: 'u' },
          hints: { forZones: [{ name: 'a' }] },
        },
      ],
      ports: [{ port: 8080 }],
    });
    const r = decodeObject(endpointSliceKind.schema, s);
    assert.deepEqual([r.unknownFields, r.errors], [[], []]);
    endpointSliceKind.defaults(r.object);
    assert.deepEqual(r.object.ports, [{ port: 8080, name: '', protocol: 'TCP' }]);
    assert.deepEqual(endpointSliceKind.validate(r.object, undefined), []);
  });

  it('checks the address type, addresses and ports', () => {
    const s = slice({
      addressType: 'IPv6',
      endpoints: [{ addresses: ['10.0.0.1'] }, { addresses: [] }],
      ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'http', port: 81, protocol: 'QUIC' }],
    });
    assert.deepEqual(fields(endpointSliceKind.validate(s, undefined)), [
      'endpoints[0].addresses[0] FieldValueInvalid',
      'endpoints[1].addresses FieldValueRequired',
      'ports[1].name FieldValueDuplicate',
      'ports[1].protocol FieldValueNotSupported',
    ]);
    assert.deepEqual(fields(endpointSliceKind.validate(slice({ addressType: 'IPX', endpoints: [] }), undefined)), ['addressType FieldValueNotSupported']);
  });

  it('keeps the address type fixed', () => {
    const old = slice({ addressType: 'FQDN', endpoints: [{ addresses: ['db.example.com'] }] });
    const now = slice({ addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.1'] }] });
    assert.deepEqual(fields(endpointSliceKind.validate(now, old)), ['addressType FieldValueInvalid']);
    assert.deepEqual([endpointSliceKind.plural, endpointSliceKind.shortNames], ['endpointslices', []]);
  });
});
