// Unit tests of the rolling-update fenceposts: maxSurge rounds percentages up, maxUnavailable
// rounds them down, both at zero becomes one unavailable, and Recreate allows neither.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment } from '../../api/apps/v1/index.js';
import { maxSurge, maxUnavailable, resolveFenceposts, scaledValue } from './replicas.js';

const deploy = (replicas: number, maxSurge: number | string, maxUnavailable: number | string, type = 'RollingUpdate'): Deployment =>
  ({ spec: { replicas, strategy: { type, rollingUpdate: { maxSurge, maxUnavailable } } } }) as Deployment;

describe('fenceposts', () => {
  it('rounds surge up and unavailability down', () => {
    assert.deepEqual(resolveFenceposts({ maxSurge: '25%', maxUnavailable: '25%', desired: 10 }), [3, 2]);
    assert.deepEqual(resolveFenceposts({ maxSurge: '25%', maxUnavailable: '25%', desired: 3 }), [1, 0]);
    assert.deepEqual(resolveFenceposts({ maxSurge: '33%', maxUnavailable: '33%', desired: 100 }), [33, 33]);
    assert.equal(scaledValue('10%', { total: 7, roundUp: true }), 1);
    assert.equal(scaledValue('10%', { total: 7, roundUp: false }), 0);
    assert.equal(scaledValue(4, { total: 7, roundUp: false }), 4);
  });
  it('lets one pod be unavailable when both limits come to zero', () => {
    assert.deepEqual(resolveFenceposts({ maxSurge: 0, maxUnavailable: '10%', desired: 5 }), [0, 1]);
    assert.equal(maxUnavailable(deploy(5, '0%', '10%')), 1);
  });
  it('caps unavailability at the replica count and ignores limits for Recreate', () => {
    assert.equal(maxUnavailable(deploy(2, 0, 5)), 2);
    assert.equal(maxUnavailable(deploy(0, 1, 1)), 0);
    assert.equal(maxSurge(deploy(4, 2, 1, 'Recreate')), 0);
    assert.equal(maxUnavailable(deploy(4, 2, 1, 'Recreate')), 0);
    assert.equal(maxSurge(deploy(4, '50%', 1)), 2);
  });
});
