// Tests of the aggregation rule: rules come from the other ClusterRoles any selector matches, in
// name order, without duplicates, and never from the role itself.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { aggregate } from './controller.js';

const role = (name: string, labels: Record<string, string>, verbs: string[]) => ({ metadata: { name, labels }, rules: [{ verbs, apiGroups: [''], resources: ['pods'] }] });

describe('clusterrole aggregation', () => {
  it('unions the rules of matching roles in name order', () => {
    const view = { metadata: { name: 'view', labels: { 'aggregate-to-view': 'true' } }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'aggregate-to-view': 'true' } }, { matchExpressions: [{ key: 'extra', operator: 'Exists' as const }] }] }, rules: [] };
    const all = [view, role('z-addon', { 'aggregate-to-view': 'true' }, ['list']), role('a-addon', { 'aggregate-to-view': 'true' }, ['get']), role('dup', { extra: 'x' }, ['get']), role('other', {}, ['delete'])];
    assert.deepEqual(aggregate(view, all), [
      { verbs: ['get'], apiGroups: [''], resources: ['pods'] },
      { verbs: ['list'], apiGroups: [''], resources: ['pods'] },
    ]);
    assert.deepEqual(aggregate(view, [view]), []);
  });
});
