// Unit tests of the pod-template-hash and of template equality across kubectl's round trip.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PodTemplateSpec } from '../../api/core/v1/index.js';
import { equalIgnoreHash, templateHash } from './template-hash.js';

const t = (extra: Record<string, unknown> = {}, labels: Record<string, string> = { app: 'web' }): PodTemplateSpec =>
  ({ metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx:1.25', ...extra }] } }) as PodTemplateSpec;

describe('templateHash', () => {
  it('is stable, short and uses only the safe alphabet', () => {
    const h = templateHash(t());
    assert.equal(h, templateHash(structuredClone(t())));
    assert.match(h, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  });
  it('changes with the template and the collision count, not with the hash label', () => {
    assert.notEqual(templateHash(t()), templateHash(t({ image: 'nginx:1.26' })));
    assert.notEqual(templateHash(t()), templateHash(t(), 1));
    assert.equal(templateHash(t()), templateHash(t({}, { app: 'web', 'pod-template-hash': 'abc' })));
  });
});

describe('equalIgnoreHash', () => {
  it('ignores the hash label, key order and zero values kubectl drops', () => {
    const stored = t({ tty: false, resources: {}, ports: [{ containerPort: 80, hostPort: 0 }] }, { app: 'web', 'pod-template-hash': 'xyz' });
    const roundTripped = { metadata: { creationTimestamp: null, labels: { app: 'web' } }, spec: { containers: [{ image: 'nginx:1.25', name: 'c', ports: [{ containerPort: 80 }] }] } };
    assert.ok(equalIgnoreHash(stored, roundTripped as unknown as PodTemplateSpec));
  });
  it('keeps zero values of pointer fields, which mean something', () => {
    assert.ok(!equalIgnoreHash(t({ securityContext: { runAsUser: 0 } }), t()));
    assert.ok(!equalIgnoreHash(t({ securityContext: { allowPrivilegeEscalation: false } }), t()));
    assert.ok(!equalIgnoreHash(t({ image: 'nginx:1.26' }), t()));
  });
});
