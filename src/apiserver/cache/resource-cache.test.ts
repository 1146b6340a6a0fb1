import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiObject } from '../../api/kind.js';
import { configMapKind } from '../../api/core/v1/configmap.js';
import { StatusError } from '../../lib/errors.js';
import { CachedObject, ResourceCache, type WatchEventType } from './resource-cache.js';

const obj = (name: string, labels: Record<string, string> = {}): ApiObject => ({ metadata: { name, namespace: 'ns', labels } });
const key = (name: string): string => `/registry/core/configmaps/ns/${name}`;

function put(cache: ResourceCache, name: string, rev: number, labels: Record<string, string> = {}): void {
  const prev = cache.get(key(name));
  cache.apply({ type: prev ? 'MODIFIED' : 'ADDED', revision: rev, key: key(name), object: new CachedObject(key(name), obj(name, labels), rev), prev });
}

function recorder(match: (o: ApiObject) => boolean = () => true): { seen: string[]; w: Parameters<ResourceCache['watch']>[0] } {
  const seen: string[] = [];
  return {
    seen,
    w: { prefix: '/registry/core/configmaps/ns/', matches: match, deliver: (t: WatchEventType, o: CachedObject) => seen.push(`${t} ${o.object.metadata?.name ?? ''}@${o.revision}`) },
  };
}

describe('ResourceCache', () => {
  it('replays the events after a revision, then streams new ones', () => {
    const cache = new ResourceCache(configMapKind, 10);
    cache.reset([], 1);
    put(cache, 'a', 2);
    put(cache, 'b', 3);
    const r = recorder();
    cache.watch(r.w, 2);
    put(cache, 'a', 4);
    assert.deepEqual(r.seen, ['ADDED b@3', 'MODIFIED a@4']);
  });

  it('answers 410 Expired once the requested revision has left the window', () => {
    const cache = new ResourceCache(configMapKind, 3);
    cache.reset([], 1);
    for (let rev = 2; rev <= 9; rev++) put(cache, `o${rev}`, rev);
    // Events 7, 8 and 9 are kept: watching after 6 works, after 5 does not.
    const ok = recorder();
    cache.watch(ok.w, 6);
    assert.deepEqual(ok.seen, ['ADDED o7@7', 'ADDED o8@8', 'ADDED o9@9']);
    assert.throws(() => cache.watch(recorder().w, 5), (e: unknown) => e instanceof StatusError && e.code === 410);
  });

  it('turns label changes into ADDED and DELETED for a selective watcher', () => {
    const cache = new ResourceCache(configMapKind, 10);
    cache.reset([], 1);
    const r = recorder((o) => o.metadata?.labels?.app === 'web');
    cache.watch(r.w, 1);
    put(cache, 'a', 2);
    put(cache, 'a', 3, { app: 'web' });
    put(cache, 'a', 4, { app: 'web', v: '2' });
    put(cache, 'a', 5, { app: 'db' });
    assert.deepEqual(r.seen, ['ADDED a@3', 'MODIFIED a@4', 'DELETED a@5']);
  });

  it('lists by prefix in key order', () => {
    const cache = new ResourceCache(configMapKind, 10);
    cache.reset([new CachedObject(key('b'), obj('b'), 1), new CachedObject(key('a'), obj('a'), 1)], 1);
    put(cache, 'c', 2);
    assert.deepEqual(cache.list('/registry/core/configmaps/ns/').map((o) => o.object.metadata?.name), ['a', 'b', 'c']);
    assert.deepEqual(cache.list('/registry/core/configmaps/other/'), []);
  });
});
