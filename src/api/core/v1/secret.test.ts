// Tests for the Secret kind: type defaults to Opaque, stringData is folded into base64 data,
// well-known types demand their keys, and type and immutable data cannot change.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiObject } from '../../kind.js';
import type { FieldError } from '../../../lib/field-errors.js';
import { secretKind } from './secret.js';

const secret = (body: Record<string, unknown>): ApiObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'creds', namespace: 'default' },
  ...body,
});
const b64 = (s: string): string => Buffer.from(s).toString('base64');
const fields = (errs: FieldError[]): string[] => errs.map((e) => `${e.field} ${e.type}`);

describe('Secret', () => {
  it('defaults type to Opaque and folds stringData into data, overriding it', () => {
    const s = secret({ data: { user: b64('old'), keep: b64('x') }, stringData: { user: 'admin' } });
    secretKind.defaults(s);
    assert.equal(s.type, 'Opaque');
    assert.equal(s.stringData, undefined);
    assert.deepEqual(s.data, { user: b64('admin'), keep: b64('x') });
  });

  it('requires tls.crt and tls.key for kubernetes.io/tls', () => {
    const s = secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': b64('cert') } });
    assert.deepEqual(fields(secretKind.validate(s, undefined)), ['data[tls.key] FieldValueRequired']);
  });

  it('requires the service-account annotation on token secrets and valid JSON docker configs', () => {
    const token = secret({ type: 'kubernetes.io/service-account-token' });
    assert.deepEqual(fields(secretKind.validate(token, undefined)), [
      'metadata.annotations[kubernetes.io/service-account.name] FieldValueRequired',
    ]);
    const docker = secret({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('{not json') } });
    assert.deepEqual(fields(secretKind.validate(docker, undefined)), ['data[.dockerconfigjson] FieldValueInvalid']);
  });

  it('rejects bad data keys', () => {
    assert.deepEqual(fields(secretKind.validate(secret({ data: { 'a/b': b64('x') } }), undefined)), ['data FieldValueInvalid']);
  });

  it('keeps type fixed and immutable data unchanged on update', () => {
    const old = secret({ type: 'Opaque', immutable: true, data: { a: b64('1') } });
    const changed = secret({ type: 'kubernetes.io/basic-auth', immutable: true, data: { a: b64('2'), username: b64('u') } });
    assert.deepEqual(fields(secretKind.validate(changed, old)), ['type FieldValueInvalid', 'data FieldValueForbidden']);
    const unlocked = secret({ type: 'Opaque', immutable: false, data: { a: b64('1') } });
    assert.deepEqual(fields(secretKind.validate(unlocked, old)), ['immutable FieldValueInvalid']);
  });

  it('offers type to field selectors', () => {
    assert.deepEqual(secretKind.fields(secret({ type: 'kubernetes.io/tls' })), { type: 'kubernetes.io/tls' });
  });
});
