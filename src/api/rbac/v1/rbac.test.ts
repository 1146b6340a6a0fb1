// Tests for the RBAC kinds' defaults and validation: subject API groups defaulted by kind, rules
// that must name verbs and either resources or URLs (URLs only in ClusterRoles), role references
// limited to the right kinds, ServiceAccount subjects needing a namespace cluster-wide, and an
// immutable roleRef.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiObject } from '../../kind.js';
import { formatFieldError } from '../../../lib/field-errors.js';
import { clusterRoleBindingKind, clusterRoleKind, roleBindingKind, roleKind } from './index.js';

const errs = (k: typeof roleKind, o: ApiObject, old?: ApiObject): string[] => k.validate(o, old).map(formatFieldError);
const ref = (kind: string, name = 'view') => ({ apiGroup: 'rbac.authorization.k8s.io', kind, name });

describe('RBAC kinds', () => {
  it('validates rules', () => {
    assert.deepEqual(errs(roleKind, { metadata: { name: 'r', namespace: 'a' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }] }), []);
    assert.deepEqual(errs(roleKind, { metadata: { name: 'r', namespace: 'a' }, rules: [{ verbs: [], apiGroups: [''], resources: ['pods'] }, { verbs: ['get'], nonResourceURLs: ['/x'] }] }), [
      'rules[0].verbs: Required value: verbs must contain at least one value',
      'rules[1].nonResourceURLs: Invalid value: ["/x"]: namespaced rules cannot apply to non-resource URLs',
    ]);
    assert.deepEqual(errs(clusterRoleKind, { metadata: { name: 'system:x' }, rules: [{ verbs: ['get'], nonResourceURLs: ['/x'] }, { verbs: ['get'], resources: ['pods'] }] }), [
      'rules[1].apiGroups: Required value: resource rules must supply at least one api group',
    ]);
    assert.deepEqual(errs(clusterRoleKind, { metadata: { name: 'agg' }, aggregationRule: { clusterRoleSelectors: [] } }), [
      'aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil',
    ]);
  });

  it('defaults subject API groups and validates bindings', () => {
    const b: ApiObject = { metadata: { name: 'b', namespace: 'a' }, roleRef: { kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'User', name: 'jane' }, { kind: 'ServiceAccount', name: 'ci' }] };
    roleBindingKind.defaults(b);
    assert.deepEqual(b.roleRef, ref('ClusterRole'));
    assert.deepEqual(b.subjects, [{ kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' }, { kind: 'ServiceAccount', name: 'ci', apiGroup: '' }]);
    assert.deepEqual(errs(roleBindingKind, b), []);
    assert.deepEqual(errs(clusterRoleBindingKind, { metadata: { name: 'c' }, roleRef: ref('Role'), subjects: [{ kind: 'ServiceAccount', name: 'ci', apiGroup: '' }, { kind: 'Robot', name: 'r' }] }), [
      'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
      'subjects[0].namespace: Required value',
      'subjects[1].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
    ]);
    const changed = { ...b, roleRef: ref('ClusterRole', 'edit') };
    assert.deepEqual(errs(roleBindingKind, changed, b), ['roleRef: Invalid value: {"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"edit"}: cannot change roleRef']);
  });
});
