// JSON patch (RFC 6902) on a Deployment-shaped object: every operation, pointer escaping, array
// positions, and the failures kubectl users meet (a failed `test`, a missing path), which must be
// 422 Invalid naming the pointer and leave the original untouched; a malformed body is 400.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../lib/errors.js';
import { applyJsonPatch, parseJsonPointer, MAX_JSON_PATCH_OPERATIONS } from './json-patch.js';

const live = () => ({
  metadata: {
    name: 'web',
    labels: { app: 'web' },
    annotations: { 'example.com/owner': 'team-a', 'odd~key': 'tilde' },
  },
  spec: {
    replicas: 2,
    template: { spec: { containers: [{ name: 'app', image: 'nginx:1.25', args: ['-g', 'daemon off;'] }] } },
  },
});

const apply = (ops: unknown[], original: unknown = live()) => applyJsonPatch(original, ops) as ReturnType<typeof live>;

function statusOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof StatusError, `expected a StatusError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the patch to fail');
}

describe('JSON pointers', () => {
  it('splits and unescapes ~1 to / and ~0 to ~ (in that order)', () => {
    assert.deepEqual(parseJsonPointer(''), []);
    assert.deepEqual(parseJsonPointer('/metadata/annotations/example.com~1owner'), ['metadata', 'annotations', 'example.com/owner']);
    assert.deepEqual(parseJsonPointer('/a~01'), ['a~1']);
    assert.deepEqual(parseJsonPointer('/'), ['']);
  });
});

describe('JSON patch operations', () => {
  it('replaces an image inside a list element', () => {
    const out = apply([{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.27' }]);
    assert.equal(out.spec.template.spec.containers[0]!.image, 'nginx:1.27');
  });

  it('adds a label and an annotation whose key holds a slash', () => {
    const out = apply([
      { op: 'add', path: '/metadata/labels/tier', value: 'front' },
      { op: 'add', path: '/metadata/annotations/example.com~1reviewed', value: 'yes' },
    ]);
    assert.deepEqual(out.metadata.labels, { app: 'web', tier: 'front' });
    assert.equal((out.metadata.annotations as Record<string, string>)['example.com/reviewed'], 'yes');
  });

  it('removes a key whose name holds a tilde', () => {
    const out = apply([{ op: 'remove', path: '/metadata/annotations/odd~0key' }]);
    assert.deepEqual(out.metadata.annotations, { 'example.com/owner': 'team-a' });
  });

  it('appends with "-" and inserts at an index', () => {
    const out = apply([
      { op: 'add', path: '/spec/template/spec/containers/0/args/-', value: 'last' },
      { op: 'add', path: '/spec/template/spec/containers/0/args/0', value: 'first' },
    ]);
    assert.deepEqual(out.spec.template.spec.containers[0]!.args, ['first', '-g', 'daemon off;', 'last']);
  });

  it('moves and copies values', () => {
    const out = apply([
      { op: 'copy', from: '/metadata/labels', path: '/spec/template/metadata' },
      { op: 'move', from: '/metadata/annotations/odd~0key', path: '/metadata/labels/moved' },
    ]);
    assert.deepEqual((out.spec.template as Record<string, unknown>).metadata, { app: 'web' });
    assert.deepEqual(out.metadata.labels, { app: 'web', moved: 'tilde' });
    assert.equal('odd~key' in out.metadata.annotations, false);
  });

  it('a copy is independent of its source', () => {
    const out = apply([
      { op: 'copy', from: '/metadata/labels', path: '/metadata/copied' },
      { op: 'add', path: '/metadata/copied/extra', value: 'x' },
    ]) as unknown as { metadata: { labels: object; copied: object } };
    assert.deepEqual(out.metadata.labels, { app: 'web' });
    assert.deepEqual(out.metadata.copied, { app: 'web', extra: 'x' });
  });

  it('passes a matching test, then applies the rest (optimistic guard)', () => {
    const out = apply([
      { op: 'test', path: '/spec/replicas', value: 2 },
      { op: 'replace', path: '/spec/replicas', value: 3 },
    ]);
    assert.equal(out.spec.replicas, 3);
  });

  it('treats a test for null on an absent member as passing, as Kubernetes does', () => {
    const out = apply([
      { op: 'test', path: '/metadata/labels/tier', value: null },
      { op: 'add', path: '/metadata/labels/tier', value: 'front' },
    ]);
    assert.equal((out.metadata.labels as Record<string, string>).tier, 'front');
  });

  it('replaces the whole document with an empty path', () => {
    assert.deepEqual(applyJsonPatch(live(), [{ op: 'replace', path: '', value: { kind: 'X' } }]), { kind: 'X' });
  });
});

describe('JSON patch failures', () => {
  it('a failed test is 422 Invalid naming the pointer, and nothing is applied', () => {
    const original = live();
    const err = statusOf(() =>
      apply(
        [
          { op: 'replace', path: '/spec/replicas', value: 5 },
          { op: 'test', path: '/metadata/labels/app', value: 'api' },
        ],
        original,
      ),
    );
    assert.equal(err.code, 422);
    assert.equal(err.reason, 'Invalid');
    assert.match(err.message, /operation 1 \(test on "\/metadata\/labels\/app"\)/);
    assert.match(err.message, /"web"/);
    assert.equal(original.spec.replicas, 2);
  });

  it('replace and remove of a missing member are 422', () => {
    for (const op of [{ op: 'replace', path: '/spec/paused', value: true }, { op: 'remove', path: '/metadata/labels/nope' }]) {
      const err = statusOf(() => apply([op]));
      assert.equal(err.code, 422);
      assert.match(err.message, new RegExp(op.path.replace(/\//g, '\\/') + '.*does not exist'));
    }
  });

  it('add under a missing parent is 422 naming the parent', () => {
    const err = statusOf(() => apply([{ op: 'add', path: '/spec/strategy/type', value: 'Recreate' }]));
    assert.equal(err.code, 422);
    assert.match(err.message, /\/spec\/strategy does not exist/);
  });

  it('array indexes out of range, with leading zeros, or "-" for remove are 422', () => {
    const paths = ['/spec/template/spec/containers/0/args/3', '/spec/template/spec/containers/0/args/01', '/spec/template/spec/containers/0/args/-'];
    for (const path of paths) assert.equal(statusOf(() => apply([{ op: 'remove', path }])).code, 422);
    assert.equal(statusOf(() => apply([{ op: 'add', path: '/spec/template/spec/containers/0/args/4', value: 'x' }])).code, 422);
  });

  it('unknown ops, missing fields, bad pointers and moving into a child are 422', () => {
    const bad = [
      { op: 'frobnicate', path: '/spec' },
      { op: 'add', path: '/spec/x' },
      { op: 'move', path: '/spec/x' },
      { op: 'test', path: '/metadata/labels/none' },
      { op: 'add', path: 'spec/x', value: 1 },
      { op: 'add', path: '/spec/~2', value: 1 },
      { op: 'move', from: '/spec', path: '/spec/template/inner' },
    ];
    for (const op of bad) assert.equal(statusOf(() => apply([op])).code, 422, JSON.stringify(op));
  });

  it('a body that is not a list of operation objects is 400', () => {
    assert.equal(statusOf(() => applyJsonPatch(live(), { op: 'add', path: '/x', value: 1 })).code, 400);
    assert.equal(statusOf(() => applyJsonPatch(live(), ['add'])).code, 400);
  });

  it('more than the operation limit is 413', () => {
    const ops = Array.from({ length: MAX_JSON_PATCH_OPERATIONS + 1 }, () => ({ op: 'test', path: '/spec/replicas', value: 2 }));
    assert.equal(statusOf(() => applyJsonPatch(live(), ops)).code, 413);
  });
});
