// JSON merge patch (RFC 7386) as `kubectl patch --type merge` uses it: nested merge, null
// deletion, lists replaced whole, and inputs never modified.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyMergePatch } from './merge-patch.js';

const live = () => ({
  metadata: { name: 'web', labels: { app: 'web', tier: 'front' } },
  spec: { replicas: 2, template: { spec: { containers: [{ name: 'app', image: 'nginx' }, { name: 'sidecar', image: 'busybox' }] } } },
});

describe('JSON merge patch', () => {
  it('merges nested maps and deletes keys set to null', () => {
    const out = applyMergePatch(live(), { metadata: { labels: { tier: null, env: 'prod' } }, spec: { replicas: 3 } });
    assert.deepEqual(out, {
      metadata: { name: 'web', labels: { app: 'web', env: 'prod' } },
      spec: { replicas: 3, template: live().spec.template },
    });
  });

  it('replaces lists whole: one container in the patch leaves one container', () => {
    const out = applyMergePatch(live(), { spec: { template: { spec: { containers: [{ name: 'hello', image: 'node-hello' }] } } } });
    assert.deepEqual((out as ReturnType<typeof live>).spec.template.spec.containers, [{ name: 'hello', image: 'node-hello' }]);
  });

  it('drops nulls nested in a value for a key the target lacks', () => {
    const out = applyMergePatch(live(), { spec: { strategy: { type: 'Recreate', rollingUpdate: null } } });
    assert.deepEqual((out as { spec: { strategy: unknown } }).spec.strategy, { type: 'Recreate' });
  });

  it('drops null members of objects inside a stored list, keeping null elements', () => {
    const out = applyMergePatch(live(), { spec: { template: { spec: { containers: [{ name: 'z', args: null }] } } }, list: [null, { a: null, b: 1 }] });
    assert.deepEqual((out as ReturnType<typeof live>).spec.template.spec.containers, [{ name: 'z' }]);
    assert.deepEqual((out as { list: unknown }).list, [null, { b: 1 }]);
  });

  it('replaces a non-object member with an object patch', () => {
    const out = applyMergePatch({ a: 'scalar' }, { a: { b: 1, c: null } });
    assert.deepEqual(out, { a: { b: 1 } });
  });

  it('a non-object patch replaces the document, as the RFC says', () => {
    assert.deepEqual(applyMergePatch(live(), ['x']), ['x']);
    assert.equal(applyMergePatch(live(), null), null);
  });

  it('modifies neither input and shares nothing with them', () => {
    const original = live();
    const patch = { metadata: { labels: { tier: null } }, spec: { extra: { list: [1] } } };
    const before = JSON.stringify([original, patch]);
    const out = applyMergePatch(original, patch) as { metadata: { name: string }; spec: { extra: { list: number[] } } };
    out.metadata.name = 'changed';
    out.spec.extra.list.push(2);
    assert.equal(JSON.stringify([original, patch]), before);
  });
});
