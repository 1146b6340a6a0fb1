// Unit tests for the slice write tracker: a service is stale until the cache shows our writes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EndpointSlice } from '../../api/discovery/v1/index.js';
import { SliceTracker } from './tracker.js';

const slice = (name: string, rv: string): EndpointSlice => ({ metadata: { name, resourceVersion: rv }, addressType: 'IPv4', endpoints: [] });

describe('slice tracker', () => {
  it('is stale until created, updated and deleted slices show in the cache', () => {
    let now = 0;
    const t = new SliceTracker(() => now);
    const cache = new Map<string, EndpointSlice>([['b', slice('b', '5')], ['c', slice('c', '6')]]);
    const lookup = (n: string): EndpointSlice | undefined => cache.get(n);
    t.created('ns/web', 'a');
    t.updated('ns/web', 'b', '5');
    t.deleted('ns/web', 'c');
    assert.equal(t.stale('ns/web', lookup), true);
    cache.set('a', slice('a', '7'));
    cache.set('b', slice('b', '8'));
    assert.equal(t.stale('ns/web', lookup), true, 'the deletion is not seen yet');
    cache.delete('c');
    assert.equal(t.stale('ns/web', lookup), false);
    assert.equal(t.stale('ns/other', lookup), false);
    t.created('ns/web', 'never');
    now += 60_000;
    assert.equal(t.stale('ns/web', lookup), false, 'expectations expire');
  });
});
