// Unit tests of the revision bookkeeping kubectl's rollout commands depend on.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment, ReplicaSet } from '../../api/apps/v1/index.js';
import { MAX_REVISION_HISTORY_CHARS, REVISION, REVISION_HISTORY, maxRevision, setNewReplicaSetAnnotations } from './annotations.js';

const d = {
  metadata: { annotations: { 'kubernetes.io/change-cause': 'v2', 'kubectl.kubernetes.io/last-applied-configuration': '{}', [REVISION]: '4' } },
  spec: { replicas: 3 },
} as unknown as Deployment;
const rs = (annotations: Record<string, string> = {}): ReplicaSet => ({ metadata: { annotations } }) as ReplicaSet;

describe('setNewReplicaSetAnnotations', () => {
  it('stamps a new ReplicaSet with revision, replica counts and the change cause, not controller keys', () => {
    const r = rs();
    assert.equal(setNewReplicaSetAnnotations(d, r, { revision: 1, exists: false, maxSurge: 1 }), true);
    assert.deepEqual(r.metadata?.annotations, {
      'kubernetes.io/change-cause': 'v2',
      [REVISION]: '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
    });
  });
  it('re-numbers a ReplicaSet brought back by a rollback and remembers its old revisions', () => {
    const r = rs({ [REVISION]: '2', [REVISION_HISTORY]: '1', 'kubernetes.io/change-cause': 'v2' });
    assert.equal(setNewReplicaSetAnnotations(d, r, { revision: 5, exists: true, maxSurge: 1 }), true);
    assert.equal(r.metadata?.annotations?.[REVISION], '5');
    assert.equal(r.metadata?.annotations?.[REVISION_HISTORY], '1,2');
  });
  it('changes nothing for the current ReplicaSet', () => {
    const r = rs({ [REVISION]: '5', 'kubernetes.io/change-cause': 'v2' });
    assert.equal(setNewReplicaSetAnnotations(d, r, { revision: 5, exists: true, maxSurge: 1 }), false);
  });
  it('drops the oldest revisions when the history grows too long', () => {
    const long = Array.from({ length: 600 }, (_, i) => String(i + 1)).join(',');
    const r = rs({ [REVISION]: '700', [REVISION_HISTORY]: long });
    setNewReplicaSetAnnotations(d, r, { revision: 701, exists: true, maxSurge: 0 });
    const history = r.metadata?.annotations?.[REVISION_HISTORY] ?? '';
    assert.ok(history.length <= MAX_REVISION_HISTORY_CHARS);
    assert.ok(history.endsWith(',600,700'));
    assert.ok(!history.startsWith('1,'));
  });
  it('finds the highest revision, ignoring malformed ones', () => {
    assert.equal(maxRevision([rs({ [REVISION]: '3' }), rs({ [REVISION]: 'x' }), rs(), rs({ [REVISION]: '12' })]), 12);
  });
});
