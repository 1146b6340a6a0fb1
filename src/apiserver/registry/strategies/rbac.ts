// Write strategy of the four RBAC kinds: escalation prevention. Before a Role, ClusterRole or
// binding is created or changed, the guard (the authorizer's EscalationGuard) checks that the
// writer already holds what the object would grant; it throws Forbidden otherwise.
import type { ApiObject, KindDef } from '../../../api/kind.js';
import type { UserInfo } from '../../auth/tokens.js';
import type { Strategy, WriteContext } from '../strategy.js';

export interface RbacWriteGuard {
  check(kind: 'Role' | 'ClusterRole' | 'RoleBinding' | 'ClusterRoleBinding', obj: ApiObject, old: ApiObject | undefined, user: UserInfo | undefined): void;
}

const RBAC_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

export const isRbacKind = (kind: KindDef): boolean => kind.group === 'rbac.authorization.k8s.io' && RBAC_KINDS.has(kind.kind);

export function rbacStrategy(kind: KindDef, guard: RbacWriteGuard): Partial<Strategy> {
  const k = kind.kind as 'Role' | 'ClusterRole' | 'RoleBinding' | 'ClusterRoleBinding';
  return {
    prepareForCreate: (obj: ApiObject, ctx: WriteContext) => guard.check(k, obj, undefined, ctx.user),
    prepareForUpdate: (obj: ApiObject, old: ApiObject, ctx: WriteContext) => guard.check(k, obj, old, ctx.user),
  };
}
