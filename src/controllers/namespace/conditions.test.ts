// Unit tests for the namespace deletion conditions: wording, reasons and transition times.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ContentReport } from './content.js';
import { deletionConditions } from './conditions.js';

const report = (o: Partial<ContentReport> = {}): ContentReport => ({ remaining: new Map(), finalizers: new Map(), errors: [], estimateSeconds: 0, ...o });

describe('namespace deletion conditions', () => {
  it('reports remaining content and finalizers the way kubectl describe shows them', () => {
    const r = report({ remaining: new Map([['pods.', 2], ['configmaps.', 1]]), finalizers: new Map([['example.com/hold', 1]]) });
    const byType = new Map(deletionConditions([], r, 'T1').map((c) => [c.type, c]));
    assert.deepEqual(byType.get('NamespaceContentRemaining'), {
      type: 'NamespaceContentRemaining',
      status: 'True',
      lastTransitionTime: 'T1',
      reason: 'SomeResourcesRemain',
      message: 'Some resources are remaining: configmaps. has 1 resource instances, pods. has 2 resource instances',
    });
    assert.equal(byType.get('NamespaceFinalizersRemaining')?.message, 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances');
    assert.equal(byType.get('NamespaceDeletionContentFailure')?.status, 'False');
    assert.equal(byType.get('NamespaceDeletionContentFailure')?.reason, 'ContentDeleted');
    assert.equal(byType.get('NamespaceDeletionDiscoveryFailure')?.reason, 'ResourcesDiscovered');
    assert.equal(byType.size, 5);
  });

  it('moves lastTransitionTime only when the status flips, and keeps foreign conditions', () => {
    const first = deletionConditions([{ type: 'Other', status: 'True' }], report({ remaining: new Map([['pods.', 1]]) }), 'T1');
    const second = deletionConditions(first, report({ remaining: new Map([['pods.', 3]]) }), 'T2');
    const third = deletionConditions(second, report(), 'T3');
    const get = (cs: typeof first, t: string) => cs.find((c) => c.type === t);
    assert.equal(get(second, 'NamespaceContentRemaining')?.lastTransitionTime, 'T1');
    assert.equal(get(second, 'NamespaceContentRemaining')?.message, 'Some resources are remaining: pods. has 3 resource instances');
    assert.equal(get(third, 'NamespaceContentRemaining')?.lastTransitionTime, 'T3');
    assert.equal(get(third, 'NamespaceContentRemaining')?.reason, 'ContentRemoved');
    assert.equal(get(third, 'NamespaceDeletionDiscoveryFailure')?.lastTransitionTime, 'T1');
    assert.deepEqual(get(third, 'Other'), { type: 'Other', status: 'True' });
  });

  it('reports deletion failures', () => {
    const c = deletionConditions([], report({ errors: ['pods.: boom'] }), 'T').find((x) => x.type === 'NamespaceDeletionContentFailure');
    assert.equal(c?.status, 'True');
    assert.equal(c?.reason, 'ContentDeletionFailed');
    assert.equal(c?.message, 'Failed to delete all resource types, 1 remaining: pods.: boom');
  });
});
