// Unit tests of when a finished Job expires; the deletion itself is exercised against a real
// server in src/controllers/job/job.integration.test.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Job } from '../../api/batch/v1/index.js';
import { expiresAt } from './index.js';

function job(o: { ttl?: number; condition?: { type: string; status: 'True' | 'False'; at?: string }; deleting?: boolean }): Job {
  return {
    metadata: { name: 'j', ...(o.deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}) },
    spec: { template: {}, ...(o.ttl !== undefined ? { ttlSecondsAfterFinished: o.ttl } : {}) },
    status: o.condition ? { conditions: [{ type: o.condition.type, status: o.condition.status, ...(o.condition.at ? { lastTransitionTime: o.condition.at } : {}) }] } : {},
  };
}

describe('expiresAt', () => {
  const at = '2024-01-01T10:00:00Z';

  it('counts the TTL from the Complete or Failed transition', () => {
    assert.equal(expiresAt(job({ ttl: 60, condition: { type: 'Complete', status: 'True', at } })), Date.parse(at) + 60_000);
    assert.equal(expiresAt(job({ ttl: 0, condition: { type: 'Failed', status: 'True', at } })), Date.parse(at));
  });

  it('never expires a Job without TTL, unfinished, already being deleted, or without a finish time', () => {
    assert.equal(expiresAt(job({ condition: { type: 'Complete', status: 'True', at } })), undefined);
    assert.equal(expiresAt(job({ ttl: 60 })), undefined);
    assert.equal(expiresAt(job({ ttl: 60, condition: { type: 'SuccessCriteriaMet', status: 'True', at } })), undefined);
    assert.equal(expiresAt(job({ ttl: 60, condition: { type: 'Complete', status: 'False', at } })), undefined);
    assert.equal(expiresAt(job({ ttl: 60, condition: { type: 'Complete', status: 'True', at }, deleting: true })), undefined);
    assert.equal(expiresAt(job({ ttl: 60, condition: { type: 'Complete', status: 'True' } })), undefined);
  });
});
