import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildCatalog, resolveToken, resourceForKind } from './discovery.ts';

describe('discovery catalogue', () => {
  const catalog = buildCatalog([
    { group: '', version: 'v1', resources: [{ name: 'events', kind: 'Event', namespaced: true, verbs: ['list', 'watch'] }, { name: 'pods/log', kind: 'Pod', namespaced: true, verbs: ['get'] }, { name: 'bindings', kind: 'Binding', namespaced: true, verbs: ['create'] }] },
    { group: 'events.k8s.io', version: 'v1', resources: [{ name: 'events', kind: 'Event', namespaced: true, verbs: ['list'] }] },
  ]);
  it('keeps listable resources, and qualifies a plural taken by an earlier group', () => {
    assert.deepEqual(catalog.map((r) => r.token), ['events', 'events.events.k8s.io']);
    assert.equal(resolveToken(catalog, 'events')?.group, '');
    assert.equal(resolveToken(catalog, 'events.events.k8s.io')?.group, 'events.k8s.io');
    assert.equal(resourceForKind(catalog, 'events.k8s.io/v1', 'Event')?.token, 'events.events.k8s.io');
  });
});
