// Tests for Endpoints and ServiceAccount: port protocol defaults, address and port validation
// at Kubernetes' field paths, and the names kubectl knows them by.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiObject } from '../../kind.js';
import type { FieldError } from '../../../lib/field-errors.js';
import { decodeObject } from '../../check.js';
import { endpointsKind } from './endpoints.js';
import { serviceAccountKind } from './serviceaccount.js';

const fields = (errs: FieldError[]): string[] => errs.map((e) => `${e.field} ${e.type}`);
const ep = (subsets: unknown[]): ApiObject => ({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', namespace: 'default' }, subsets });

describe('Endpoints', () => {
  it('defaults port protocols to TCP', () => {
    const e = ep([{ addresses: [{ ip: '10.244.0.5' }], ports: [{ port: 8080 }] }]);
    endpointsKind.defaults(e);
    assert.deepEqual(e.subsets, [{ addresses: [{ ip: '10.244.0.5' }], ports: [{ port: 8080, protocol: 'TCP' }] }]);
    assert.deepEqual(endpointsKind.validate(e, undefined), []);
  });

  it('rejects empty subsets, special IPs and unnamed ports among several', () => {
    const e = ep([
      {},
      {
        addresses: [{ ip: '127.0.0.1' }, { ip: 'not-an-ip', hostname: 'Web_1' }],
        ports: [{ port: 80, protocol: 'TCP', name: 'http' }, { port: 0, protocol: 'TCP' }],
      },
    ]);
    assert.deepEqual(fields(endpointsKind.validate(e, undefined)), [
      'subsets[0] FieldValueRequired',
      'subsets[1].addresses[0].ip FieldValueInvalid',
      'subsets[1].addresses[1].ip FieldValueInvalid',
      'subsets[1].addresses[1].hostname FieldValueInvalid',
      'subsets[1].ports[1].name FieldValueRequired',
      'subsets[1].ports[1].port FieldValueInvalid',
    ]);
  });

  it('is known as ep and decodes target references without unknown fields', () => {
    assert.deepEqual([endpointsKind.plural, endpointsKind.singular, endpointsKind.shortNames], ['endpoints', 'endpoints', ['ep']]);
    const r = decodeObject(
      endpointsKind.schema,
      ep([{ addresses: [{ ip: '10.244.0.5', nodeName: 'n1', targetRef: { kind: 'Pod', name: 'web-1', namespace: 'default', uid: 'u' } }], notReadyAddresses: [], ports: [{ port: 80, appProtocol: 'http' }] }]),
    );
    assert.deepEqual([r.unknownFields, r.errors], [[], []]);
  });
});

describe('ServiceAccount', () => {
  it('is known as sa, validates its name and decodes secrets and pull secrets', () => {
    assert.deepEqual([serviceAccountKind.plural, serviceAccountKind.shortNames], ['serviceaccounts', ['sa']]);
    const sa: ApiObject = {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'Builder', namespace: 'ci' },
      secrets: [{ name: 'builder-token' }],
      imagePullSecrets: [{ name: 'registry' }],
      automountServiceAccountToken: false,
    };
    const r = decodeObject(serviceAccountKind.schema, sa);
    assert.deepEqual([r.unknownFields, r.errors], [[], []]);
    assert.deepEqual(fields(serviceAccountKind.validate(sa, undefined)), ['metadata.name FieldValueInvalid']);
  });
});
