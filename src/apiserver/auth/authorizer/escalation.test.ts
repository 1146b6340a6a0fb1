// Unit tests of escalation prevention: rules the writer holds may be granted, others need the
// `escalate` (roles) or `bind` (bindings) verb; aggregation rules need everything; unchanged
// updates and system:masters always pass.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiObject } from '../../../api/kind.js';
import type { ClusterRole, ClusterRoleBinding } from '../../../api/rbac/v1/index.js';
import type { UserInfo } from '../tokens.js';
import { EscalationGuard } from './escalation.js';
import type { PolicySource } from './policy-source.js';
import { RbacAuthorizer } from './rbac-authorizer.js';

const RBAC = 'rbac.authorization.k8s.io';
const roles: ClusterRole[] = [
  { metadata: { name: 'pods' }, rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }] },
  { metadata: { name: 'binder' }, rules: [{ verbs: ['bind'], apiGroups: [RBAC], resources: ['clusterroles'], resourceNames: ['cluster-admin'] }] },
  { metadata: { name: 'escalator' }, rules: [{ verbs: ['escalate'], apiGroups: [RBAC], resources: ['roles'] }] },
  { metadata: { name: 'cluster-admin' }, rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }] },
];
const grant = (user: string, role: string): ClusterRoleBinding => ({
  metadata: { name: `${user}-${role}` },
  roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: role },
  subjects: [{ kind: 'User', name: user, apiGroup: RBAC }],
});
const policy: PolicySource = {
  clusterRoleBindings: () => [grant('jo', 'pods'), grant('bo', 'pods'), grant('bo', 'binder'), grant('eve', 'escalator')],
  roleBindings: () => [],
  clusterRole: (n) => roles.find((r) => r.metadata?.name === n),
  role: () => undefined,
};
const guard = new EscalationGuard(new RbacAuthorizer(policy), policy);
const user = (name: string): UserInfo => ({ name, groups: ['system:authenticated'] });
const role = (verbs: string[], resources = ['pods']): ApiObject => ({ metadata: { name: 'r', namespace: 'a' }, rules: [{ verbs, apiGroups: [''], resources }] });
const binding = (to: string): ApiObject => ({ metadata: { name: 'b', namespace: 'a' }, roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: to }, subjects: [] });

describe('escalation guard', () => {
  it('lets a writer grant what it holds, and only that', () => {
    assert.doesNotThrow(() => guard.check('Role', role(['get']), undefined, user('jo')));
    assert.throws(() => guard.check('Role', role(['delete']), undefined, user('jo')), (e: Error) =>
      e.message === 'roles.rbac.authorization.k8s.io "r" is forbidden: user "jo" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}');
    assert.doesNotThrow(() => guard.check('RoleBinding', binding('pods'), undefined, user('jo')));
    assert.throws(() => guard.check('RoleBinding', binding('cluster-admin'), undefined, user('jo')), /not currently held/);
    assert.throws(() => guard.check('RoleBinding', binding('missing'), undefined, user('jo')), /clusterrole\.rbac\.authorization\.k8s\.io "missing" not found/);
  });

  it('honours the bind and escalate verbs, unchanged updates and masters', () => {
    assert.doesNotThrow(() => guard.check('RoleBinding', binding('cluster-admin'), undefined, user('bo')));
    assert.doesNotThrow(() => guard.check('Role', role(['*'], ['*']), undefined, user('eve')));
    const old = role(['delete']);
    assert.doesNotThrow(() => guard.check('Role', { ...old, metadata: { name: 'r', namespace: 'a', labels: { x: 'y' } } }, old, user('jo')));
    assert.doesNotThrow(() => guard.check('ClusterRole', role(['*'], ['*']), undefined, { name: 'root', groups: ['system:masters'] }));
    const aggregated: ApiObject = { metadata: { name: 'agg' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'b' } }] }, rules: [] };
    assert.throws(() => guard.check('ClusterRole', aggregated, undefined, user('jo')), /must have cluster-admin privileges/);
  });
});
