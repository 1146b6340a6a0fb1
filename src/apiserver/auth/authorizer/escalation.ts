// Escalation prevention for writes of roles and bindings: nobody may use RBAC to give anyone
// (themselves included) a permission they do not hold. Creating or changing the rules of a Role
// or ClusterRole needs every new rule to be held by the writer in that scope, or the `escalate`
// verb on the role; creating a binding needs the writer to hold every rule of the referenced
// role, or the `bind` verb on it. Aggregated ClusterRoles take rules from whatever their
// selectors match, so writing an aggregationRule needs the `escalate` verb or every permission.
// Updates that leave rules (or roleRef) as they were are always allowed.
import type { ApiObject } from '../../../api/kind.js';
import { RBAC_GROUP, type AggregationRule, type PolicyRule, type RoleRef } from '../../../api/rbac/v1/index.js';
import { StatusError } from '../../../lib/errors.js';
import { sameJson } from '../../../lib/json.js';
import type { UserInfo } from '../tokens.js';
import { compactRule, uncovered } from './covers.js';
import type { PolicySource } from './policy-source.js';
import { SUPERUSER_GROUP, type RbacAuthorizer } from './rbac-authorizer.js';

export type RbacKind = 'Role' | 'ClusterRole' | 'RoleBinding' | 'ClusterRoleBinding';

const PLURAL: Record<RbacKind, string> = { Role: 'roles', ClusterRole: 'clusterroles', RoleBinding: 'rolebindings', ClusterRoleBinding: 'clusterrolebindings' };
const EVERYTHING: PolicyRule = { verbs: ['*'], apiGroups: ['*'], resources: ['*'] };

interface RoleLike {
  metadata?: { name?: string; namespace?: string };
  rules?: PolicyRule[];
  aggregationRule?: AggregationRule;
  roleRef?: RoleRef;
}

const view = (o: ApiObject | undefined): RoleLike | undefined => o as RoleLike | undefined;

export class EscalationGuard {
  constructor(
    private readonly authorizer: RbacAuthorizer,
    private readonly policy: PolicySource,
  ) {}

  /** Throws Forbidden when `user` may not write `obj` (replacing `old`, on update). */
  check(kind: RbacKind, objIn: ApiObject, oldIn: ApiObject | undefined, user: UserInfo | undefined): void {
    // Components in this process write without a user; masters may do anything.
    if (!user || user.groups.includes(SUPERUSER_GROUP)) return;
    const obj = view(objIn) ?? {};
    const old = view(oldIn);
    const namespace = kind === 'Role' || kind === 'RoleBinding' ? (obj.metadata?.namespace ?? '') : '';
    const name = obj.metadata?.name ?? '';
    if (kind === 'Role' || kind === 'ClusterRole') {
      if (old && sameJson(old.rules ?? [], obj.rules ?? []) && sameJson(old.aggregationRule ?? null, obj.aggregationRule ?? null)) return;
      if (this.may(user, { verb: 'escalate', resource: PLURAL[kind], namespace, name })) return;
      const held = this.authorizer.rulesFor(user, namespace).rules;
      if (obj.aggregationRule && !sameJson(old?.aggregationRule ?? null, obj.aggregationRule)) {
        if (uncovered(held, [EVERYTHING]).length > 0)
          throw this.forbidden(kind, name, user, 'must have cluster-admin privileges to write an aggregated cluster role');
      }
      this.requireHeld(kind, name, user, held, obj.rules ?? []);
      return;
    }
    const ref = obj.roleRef;
    if (!ref || (old && sameJson(old.roleRef ?? null, ref))) return;
    const roleResource = ref.kind === 'Role' ? 'roles' : 'clusterroles';
    if (this.may(user, { verb: 'bind', resource: roleResource, namespace, name: ref.name ?? '' })) return;
    const role = ref.kind === 'Role' ? this.policy.role(namespace, ref.name ?? '') : this.policy.clusterRole(ref.name ?? '');
    if (!role) throw this.forbidden(kind, name, user, `${ref.kind === 'Role' ? 'role' : 'clusterrole'}.${RBAC_GROUP} "${ref.name ?? ''}" not found`);
    this.requireHeld(kind, name, user, this.authorizer.rulesFor(user, namespace).rules, role.rules ?? []);
  }

  private may(user: UserInfo, a: { verb: string; resource: string; namespace: string; name: string }): boolean {
    return this.authorizer.authorize(user, { kind: 'resource', group: RBAC_GROUP, version: 'v1', subresource: '', ...a }).allowed;
  }

  private requireHeld(kind: RbacKind, name: string, user: UserInfo, held: readonly PolicyRule[], wanted: readonly PolicyRule[]): void {
    const missing = uncovered(held, wanted);
    if (missing.length === 0) return;
    throw this.forbidden(kind, name, user, `is attempting to grant RBAC permissions not currently held:\n${missing.map(compactRule).join('\n')}`);
  }

  private forbidden(kind: RbacKind, name: string, user: UserInfo, why: string): StatusError {
    const who = `user ${JSON.stringify(user.name)} (groups=[${user.groups.map((g) => JSON.stringify(g)).join(' ')}])`;
    return new StatusError('Forbidden', `${PLURAL[kind]}.${RBAC_GROUP} ${JSON.stringify(name)} is forbidden: ${who} ${why}`, {
      details: { name, group: RBAC_GROUP, kind: PLURAL[kind] },
    });
  }
}
