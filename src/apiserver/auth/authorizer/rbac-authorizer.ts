// The RBAC authorizer: a request is allowed when some rule of some role bound to the user allows
// it. ClusterRoleBindings apply everywhere; RoleBindings only to requests in their namespace.
// Members of system:masters are allowed everything without looking at any role, as Kubernetes'
// privileged-group authorizer does, so a broken policy can always be repaired by the admin.
// The same walk over the user's rules answers "what may this user do here" (rules reviews,
// escalation checks).
import type { PolicyRule, RoleRef, Subject } from '../../../api/rbac/v1/index.js';
import type { UserInfo } from '../tokens.js';
import type { Attributes, Authorizer, Decision } from './attributes.js';
import type { PolicySource } from './policy-source.js';
import { ruleAllows, subjectMatches } from './rules.js';

export const SUPERUSER_GROUP = 'system:masters';

/** Where a rule came from, for the reason of an allowed request. */
interface Grant {
  binding: string;
  role: RoleRef;
  subject: Subject;
}

export interface RuleSet {
  rules: PolicyRule[];
  /** Bindings that name a missing role; their rules are left out. */
  errors: string[];
}

const describeGrant = (g: Grant): string => {
  const bindingKind = g.binding.includes('/') ? 'RoleBinding' : 'ClusterRoleBinding';
  const who = g.subject.kind === 'ServiceAccount' && g.subject.namespace ? `${g.subject.namespace}/${g.subject.name}` : g.subject.name;
  return `RBAC: allowed by ${bindingKind} "${g.binding}" of ${g.role.kind ?? ''} "${g.role.name ?? ''}" to ${g.subject.kind ?? ''} "${who}"`;
};

export class RbacAuthorizer implements Authorizer {
  constructor(private readonly policy: PolicySource) {}

  authorize(user: UserInfo, attrs: Attributes): Decision {
    if (user.groups.includes(SUPERUSER_GROUP)) return { allowed: true, reason: '' };
    const namespace = attrs.kind === 'resource' ? attrs.namespace : '';
    let reason = '';
    this.visit(user, namespace, (rule, grant) => {
      if (!ruleAllows(rule, attrs)) return false;
      reason = describeGrant(grant);
      return true;
    });
    return { allowed: reason !== '', reason };
  }

  /** Every rule granted to the user that applies in `namespace` ('' for cluster-wide ones only). */
  rulesFor(user: UserInfo, namespace: string): RuleSet {
    const rules: PolicyRule[] = [];
    const errors = this.visit(user, namespace, (rule) => {
      rules.push(rule);
      return false;
    });
    return { rules, errors };
  }

  /** Calls `fn` on each applicable rule until it returns true; returns the problems met. */
  private visit(user: UserInfo, namespace: string, fn: (rule: PolicyRule, grant: Grant) => boolean): string[] {
    const errors: string[] = [];
    const walk = (bindingName: string, bindingNs: string, subjects: readonly Subject[] | undefined, ref: RoleRef | undefined): boolean => {
      if (!ref) return false;
      const subject = (subjects ?? []).find((s) => subjectMatches(s, user, bindingNs));
      if (!subject) return false;
      const role = ref.kind === 'Role' ? this.policy.role(bindingNs, ref.name ?? '') : this.policy.clusterRole(ref.name ?? '');
      if (!role) {
        errors.push(`${ref.kind === 'Role' ? 'role' : 'clusterrole'}.rbac.authorization.k8s.io "${ref.name ?? ''}" not found`);
        return false;
      }
      const grant: Grant = { binding: bindingNs ? `${bindingNs}/${bindingName}` : bindingName, role: ref, subject };
      return (role.rules ?? []).some((r) => fn(r, grant));
    };
    for (const b of this.policy.clusterRoleBindings()) if (walk(b.metadata?.name ?? '', '', b.subjects, b.roleRef)) return errors;
    if (namespace)
      for (const b of this.policy.roleBindings(namespace)) if (walk(b.metadata?.name ?? '', namespace, b.subjects, b.roleRef)) return errors;
    return errors;
  }
}
