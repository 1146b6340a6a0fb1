// The rbac.authorization.k8s.io group, version v1: Role, ClusterRole, RoleBinding and
// ClusterRoleBinding, which the API server's RBAC authorizer reads to decide every request.
// Other folders import rbac/v1 only through this file.
import type { KindDef } from '../../kind.js';
import { clusterRoleKind, roleKind } from './roles.js';
import { clusterRoleBindingKind, roleBindingKind } from './bindings.js';

export const rbacV1Kinds: KindDef[] = [roleKind, clusterRoleKind, roleBindingKind, clusterRoleBindingKind];

export { roleKind, clusterRoleKind, roleBindingKind, clusterRoleBindingKind };
export { Role, ClusterRole } from './roles.js';
export { RoleBinding, ClusterRoleBinding } from './bindings.js';
export { PolicyRule, AggregationRule, Subject, RoleRef, RBAC_GROUP } from './policy.js';
