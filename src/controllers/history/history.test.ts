// Revision helpers: hashes are stable across key order and change with content or collision
// count, revision data is the patch kubectl sends back, and pruning keeps live revisions.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { daemonSetKind, type ControllerRevision } from '../../api/apps/v1/index.js';
import { canonicalJson, fnv1a32, hashOf, safeEncode } from './hash.js';
import { newRevision, nextRevision, revisionsToPrune, templateHash, templateOf, templatePatch } from './revisions.js';

const template = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'busybox:1', volumeMounts: [] }] } };

describe('revision hashing', () => {
  it('FNV-1a matches the published test vectors', () => {
    assert.equal(fnv1a32(''), 0x811c9dc5);
    assert.equal(fnv1a32('a'), 0xe40c292c);
    assert.equal(fnv1a32('foobar'), 0xbf9cf968);
  });

  it('renders digits in the vowel-free alphabet', () => {
    assert.match(safeEncode(1234567890), /^[bcdfghjklmnpqrstvwxz2456789]{10}$/);
    assert.notEqual(safeEncode(1), safeEncode(2));
  });

  it('ignores key order, but not content or the collision count', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: 2, c: 3 } }), '{"a":{"c":3,"d":2},"b":1}');
    assert.equal(hashOf({ a: 1, b: 2 }), hashOf({ b: 2, a: 1 }));
    assert.notEqual(hashOf({ a: 1 }), hashOf({ a: 2 }));
    assert.notEqual(hashOf({ a: 1 }, 1), hashOf({ a: 1 }));
    assert.equal(hashOf({ a: 1 }, 0), hashOf({ a: 1 }));
  });

  it('treats Go-omitted empties as absent', () => {
    const bare = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'busybox:1' }] } };
    assert.equal(templateHash(template), templateHash(bare));
    assert.notEqual(templateHash(template), templateHash({ ...bare, spec: { containers: [{ name: 'c', image: 'busybox:2' }] } }));
  });
});

describe('revision data', () => {
  it('is a replace patch of the template in Go-like form, and restores it', () => {
    const patch = templatePatch(template);
    assert.equal(
      JSON.stringify(patch),
      '{"spec":{"template":{"$patch":"replace","metadata":{"creationTimestamp":null,"labels":{"app":"x"}},"spec":{"containers":[{"image":"busybox:1","name":"c","resources":{}}]}}}}',
    );
    const rev = { metadata: { name: 'x-1' }, data: patch, revision: 1 } as ControllerRevision;
    assert.deepEqual(templateOf(rev), { metadata: { labels: { app: 'x' } }, spec: { containers: [{ image: 'busybox:1', name: 'c', resources: {} }] } });
  });

  it('names the revision after its owner and labels it with the hash', () => {
    const owner = { metadata: { name: 'agent', namespace: 'ns', uid: 'u1', annotations: { 'kubernetes.io/change-cause': 'why' } } };
    const rev = newRevision({ owner, ownerKind: daemonSetKind, template, revision: 3 });
    const hash = templateHash(template);
    assert.equal(rev.metadata?.name, `agent-${hash}`);
    assert.deepEqual(rev.metadata?.labels, { app: 'x', 'controller-revision-hash': hash });
    assert.equal(rev.metadata?.annotations?.['kubernetes.io/change-cause'], 'why');
    assert.equal(rev.metadata?.ownerReferences?.[0]?.uid, 'u1');
    assert.equal(rev.metadata?.ownerReferences?.[0]?.controller, true);
    assert.equal(rev.revision, 3);
  });
});

describe('revision history', () => {
  const rev = (name: string, revision: number): ControllerRevision => ({ metadata: { name }, data: {}, revision });

  it('numbers the next revision after the highest', () => {
    assert.equal(nextRevision([]), 1);
    assert.equal(nextRevision([rev('a', 4), rev('b', 2)]), 5);
  });

  it('prunes the oldest non-live revisions beyond the limit', () => {
    const revisions = [rev('r5', 5), rev('r1', 1), rev('r2', 2), rev('r3', 3), rev('r4', 4)];
    const pruned = revisionsToPrune({ revisions, live: new Set(['r5', 'r1']), limit: 1 });
    assert.deepEqual(pruned.map((r) => r.metadata?.name), ['r2', 'r3']);
    assert.deepEqual(revisionsToPrune({ revisions, live: new Set(), limit: 10 }), []);
  });
});
