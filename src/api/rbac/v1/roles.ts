// rbac.authorization.k8s.io/v1 Role (namespaced) and ClusterRole (cluster-wide): named lists of
// PolicyRules that bindings grant to users, groups and ServiceAccounts. A ClusterRole with an
// aggregationRule has its rules filled in by the clusterrole-aggregation controller from the
// ClusterRoles its selectors match (how admin, edit and view pick up rules of add-ons).
import { list, describeKind, type Static } from '../../schema.js';
import { obj } from '../../schema.js';
import { ObjectMeta, typeMeta } from '../../meta/v1.js';
import { defineKind } from '../../kind.js';
import { validateObjectMeta } from '../../validation/meta.js';
import { pathSegmentName } from '../../validation/names.js';
import { AggregationRule, PolicyRule, RBAC_GROUP, validateAggregationRule, validateRules } from './policy.js';

const P = 'io.k8s.api.rbac.v1';

export const Role = obj(
  'A namespaced set of permissions, granted by RoleBindings in the same namespace.',
  { ...typeMeta, metadata: ObjectMeta, rules: list('The permissions of this role.', PolicyRule, { listType: 'atomic' }) },
  { id: `${P}.Role`, ...describeKind(RBAC_GROUP, 'v1', 'Role') },
);
export type Role = Static<typeof Role>;

export const ClusterRole = obj(
  'A cluster-wide set of permissions, granted by ClusterRoleBindings (everywhere) or RoleBindings (in one namespace).',
  {
    ...typeMeta,
    metadata: ObjectMeta,
    rules: list('The permissions of this role; controller-managed when aggregationRule is set.', PolicyRule, { listType: 'atomic' }),
    aggregationRule: AggregationRule,
  },
  { id: `${P}.ClusterRole`, ...describeKind(RBAC_GROUP, 'v1', 'ClusterRole') },
);
export type ClusterRole = Static<typeof ClusterRole>;

export const roleKind = defineKind({
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'Role',
  plural: 'roles',
  singular: 'role',
  namespaced: true,
  schema: Role,
  validate: (r) => [...validateObjectMeta(r.metadata, { namespaced: true, name: pathSegmentName }), ...validateRules(r.rules, { namespaced: true })],
});

export const clusterRoleKind = defineKind({
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'ClusterRole',
  plural: 'clusterroles',
  singular: 'clusterrole',
  namespaced: false,
  schema: ClusterRole,
  validate: (r) => [
    ...validateObjectMeta(r.metadata, { namespaced: false, name: pathSegmentName }),
    ...validateRules(r.rules, { namespaced: false }),
    ...validateAggregationRule(r.aggregationRule),
  ],
});
