// Who a request writes as: the fieldManager parameter, else the User-Agent's product name, else
// the in-process control plane; and the PatchOptions checks Kubernetes makes (422).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../../lib/errors.js';
import { fieldManagerOf, DEFAULT_MANAGER } from './index.js';

const APPLY = 'application/apply-patch+yaml';
const req = (o: Partial<Parameters<typeof fieldManagerOf>[0]>): Parameters<typeof fieldManagerOf>[0] => ({
  query: {},
  method: 'PUT',
  contentType: 'application/json',
  userAgent: undefined,
  subresource: undefined,
  ...o,
});

describe('fieldManagerOf', () => {
  it('names the writer by parameter, User-Agent, or the control plane default', () => {
    assert.deepEqual(fieldManagerOf(req({ query: { fieldManager: 'ci' }, userAgent: 'kubectl/v1.32.0 (linux/amd64)' })), { name: 'ci' });
    assert.deepEqual(fieldManagerOf(req({ userAgent: 'kubectl-edit/v1.32.0 (linux/amd64) kubernetes/abc' })), { name: 'kubectl-edit' });
    assert.deepEqual(fieldManagerOf(req({})), { name: DEFAULT_MANAGER });
    assert.deepEqual(fieldManagerOf(req({ method: 'PATCH', userAgent: 'k/1', subresource: 'scale' })), { name: 'k', subresource: 'scale' });
  });

  it('marks apply requests and reads force', () => {
    const m = fieldManagerOf(req({ method: 'PATCH', contentType: `${APPLY}; charset=utf-8`, query: { fieldManager: 'x', force: 'true' }, subresource: 'status' }));
    assert.deepEqual(m, { name: 'x', subresource: 'status', apply: { force: true } });
  });

  it('answers 422 as Kubernetes does for apply without fieldManager and force on other patches', () => {
    const err = (fn: () => unknown): StatusError => {
      try {
        fn();
      } catch (e) {
        if (e instanceof StatusError) return e;
      }
      assert.fail('expected a StatusError');
    };
    const missing = err(() => fieldManagerOf(req({ method: 'PATCH', contentType: APPLY, userAgent: 'kubectl/1' })));
    assert.equal(missing.code, 422);
    assert.equal(missing.message, 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    const force = err(() => fieldManagerOf(req({ method: 'PATCH', contentType: 'application/merge-patch+json', query: { force: 'true' } })));
    assert.equal(force.message, 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch');
    assert.equal(err(() => fieldManagerOf(req({ query: { fieldManager: 'm'.repeat(129) } }))).code, 422);
  });
});
