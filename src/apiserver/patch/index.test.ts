// Dispatch of PATCH bodies by Content-Type: the three patch types (with media-type parameters),
// 415 for server-side apply and anything else, raw bodies parsed here, and 400 for bodies or
// results that are not JSON objects.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { obj, str, list } from '../../api/schema.js';
import { StatusError } from '../../lib/errors.js';
import { applyPatch, patchContentType, PATCH_CONTENT_TYPES } from './index.js';

const Schema = obj('Pod-ish.', {
  metadata: obj('Meta.', { name: str('Name.') }),
  spec: obj('Spec.', {
    containers: list('Containers.', obj('Container.', { name: str('Name.'), image: str('Image.') }), { mergeKey: 'name', strategy: 'merge' }),
  }),
});
const live = () => ({ metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'x' }] } });
const addB = { spec: { containers: [{ name: 'b', image: 'y' }] } };

function statusOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof StatusError);
    return e;
  }
  assert.fail('expected a StatusError');
}

describe('applyPatch', () => {
  it('strategic merge patch merges the keyed list, merge patch replaces it', () => {
    const smp = applyPatch('application/strategic-merge-patch+json', live(), addB, Schema);
    assert.deepEqual(smp, { metadata: { name: 'p' }, spec: { containers: [{ name: 'b', image: 'y' }, { name: 'a', image: 'x' }] } });
    const merge = applyPatch('application/merge-patch+json; charset=utf-8', live(), addB, Schema);
    assert.deepEqual(merge, { metadata: { name: 'p' }, spec: { containers: [{ name: 'b', image: 'y' }] } });
  });

  it('applies a JSON patch and parses raw bodies', () => {
    const body = Buffer.from(JSON.stringify([{ op: 'replace', path: '/spec/containers/0/image', value: 'z' }]));
    const out = applyPatch('Application/JSON-Patch+JSON', live(), body, Schema) as ReturnType<typeof live>;
    assert.equal(out.spec.containers[0]!.image, 'z');
    const fromText = applyPatch('application/merge-patch+json', live(), '{"metadata":{"name":"q"}}', Schema);
    assert.deepEqual((fromText as ReturnType<typeof live>).metadata, { name: 'q' });
  });

  it('refuses server-side apply and unknown media types with 415 listing what is accepted', () => {
    for (const ct of ['application/apply-patch+yaml', 'application/json', 'text/plain']) {
      const err = statusOf(() => applyPatch(ct, live(), {}, Schema));
      assert.equal(err.code, 415);
      assert.equal(err.reason, 'UnsupportedMediaType');
      for (const t of PATCH_CONTENT_TYPES) assert.ok(err.message.includes(t), err.message);
    }
    assert.match(statusOf(() => patchContentType('application/apply-patch+yaml')).message, /server-side apply/);
  });

  it('refuses invalid JSON, non-object merge bodies and non-object results with 400', () => {
    assert.equal(statusOf(() => applyPatch('application/merge-patch+json', live(), '{nope', Schema)).code, 400);
    assert.equal(statusOf(() => applyPatch('application/merge-patch+json', live(), [1], Schema)).code, 400);
    assert.equal(statusOf(() => applyPatch('application/strategic-merge-patch+json', live(), null, Schema)).code, 400);
    const toScalar = [{ op: 'replace', path: '', value: 7 }];
    assert.equal(statusOf(() => applyPatch('application/json-patch+json', live(), toScalar, Schema)).code, 400);
  });
});
