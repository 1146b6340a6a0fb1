import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, describeError, withParam } from './client.ts';

describe('ApiError', () => {
  it('carries the Status reason and field causes', () => {
    const e = ApiError.fromStatus(422, {
      kind: 'Status',
      code: 422,
      reason: 'Invalid',
      message: 'Deployment.apps "w" is invalid',
      details: { causes: [{ field: 'spec.replicas', message: 'must be greater than or equal to 0', reason: 'FieldValueInvalid' }] },
    });
    assert.equal(e.status, 422);
    assert.equal(e.reason, 'Invalid');
    assert.equal(e.causes[0]?.field, 'spec.replicas');
    assert.equal(describeError(e), 'Invalid (422): Deployment.apps "w" is invalid');
  });

  it('reads 401, 403 and lost connections in plain words', () => {
    assert.match(describeError(ApiError.fromStatus(401, { message: 'Unauthorized' })), /token was not accepted/);
    assert.match(describeError(ApiError.fromStatus(403, { message: 'no' })), /^Forbidden \(403\): no/);
    assert.match(describeError(new ApiError(0, 'Lost the connection to the API server')), /Lost the connection/);
  });

  it('adds query parameters to paths with or without a query', () => {
    assert.equal(withParam('/api/v1/pods', 'watch', '1'), '/api/v1/pods?watch=1');
    assert.equal(withParam('/api/v1/pods?labelSelector=a%3Db', 'watch', '1'), '/api/v1/pods?labelSelector=a%3Db&watch=1');
  });
});
