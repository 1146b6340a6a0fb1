// Claim naming and the retention policy's owner references: the set owns claims under
// whenDeleted=Delete, a condemned pod owns them under whenScaled=Delete, and references to
// anything else are left alone.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { StatefulSet } from '../../api/apps/v1/index.js';
import type { PersistentVolumeClaim, Pod } from '../../api/core/v1/index.js';
import { claimToCreate, reconcileClaimOwners, wantedClaimOwners } from './claims.js';
import { claimsFor, parseName } from './identity.js';

type Policy = 'Retain' | 'Delete';

function set(whenDeleted: Policy, whenScaled: Policy): StatefulSet {
  return {
    metadata: { name: 'web', namespace: 'ns', uid: 'set-uid' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [] } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted, whenScaled },
      volumeClaimTemplates: [{ metadata: { name: 'www', labels: { tier: 'data' } }, spec: { accessModes: ['ReadWriteOnce'] }, status: { phase: 'Pending' } }],
    },
  };
}

const pod: Pod = { metadata: { name: 'web-3', uid: 'pod-uid' }, spec: { containers: [] } };

describe('StatefulSet claims', () => {
  it('parses ordinals from names', () => {
    assert.deepEqual(parseName('web-12'), { parent: 'web', ordinal: 12 });
    assert.deepEqual(parseName('my-db-0'), { parent: 'my-db', ordinal: 0 });
    assert.equal(parseName('web').ordinal, -1);
  });

  it('builds claims named <template>-<set>-<ordinal> with the selector labels and no status', () => {
    const c = claimsFor(set('Retain', 'Retain'), 3).get('www') as PersistentVolumeClaim;
    assert.equal(c.metadata?.name, 'www-web-3');
    assert.deepEqual(c.metadata?.labels, { tier: 'data', app: 'web' });
    assert.equal(c.status, undefined);
  });

  it('wants owners by policy', () => {
    assert.deepEqual(wantedClaimOwners(set('Retain', 'Retain'), { scaledDown: true }), { set: false, pod: false });
    assert.deepEqual(wantedClaimOwners(set('Delete', 'Retain'), { scaledDown: true }), { set: true, pod: false });
    assert.deepEqual(wantedClaimOwners(set('Retain', 'Delete'), { scaledDown: false }), { set: false, pod: false });
    assert.deepEqual(wantedClaimOwners(set('Retain', 'Delete'), { scaledDown: true }), { set: false, pod: true });
    assert.deepEqual(wantedClaimOwners(set('Delete', 'Delete'), { scaledDown: true }), { set: false, pod: true });
    assert.deepEqual(wantedClaimOwners(set('Delete', 'Delete'), { scaledDown: false }), { set: true, pod: false });
  });

  it('adds and removes only its own references', () => {
    const s = set('Delete', 'Delete');
    const other = { apiVersion: 'v1', kind: 'ConfigMap', name: 'x', uid: 'other' };
    const claim: PersistentVolumeClaim = { metadata: { name: 'www-web-3', ownerReferences: [other] } };
    const withSet = reconcileClaimOwners(claim, { set: s, pod, want: { set: true, pod: false } });
    assert.deepEqual(withSet?.map((r) => r.uid), ['other', 'set-uid']);
    assert.equal(withSet?.[1]?.controller, true);
    const owned: PersistentVolumeClaim = { metadata: { name: 'www-web-3', ownerReferences: withSet ?? [] } };
    assert.equal(reconcileClaimOwners(owned, { set: s, pod, want: { set: true, pod: false } }), undefined, 'already right');
    assert.deepEqual(reconcileClaimOwners(owned, { set: s, pod, want: { set: false, pod: true } })?.map((r) => r.uid), ['other', 'pod-uid']);
    assert.deepEqual(claimToCreate(claimsFor(s, 0).get('www') as PersistentVolumeClaim, s).metadata?.ownerReferences?.map((r) => r.uid), ['set-uid']);
    const retained = set('Retain', 'Delete');
    assert.equal(claimToCreate(claimsFor(retained, 0).get('www') as PersistentVolumeClaim, retained).metadata?.ownerReferences, undefined);
  });
});
