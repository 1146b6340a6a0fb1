// Whether one RBAC PolicyRule allows one request, and whether a binding's subject is a given
// user. "*" matches every verb, group, resource and URL; `pods/*` every subresource of pods and
// `*/scale` the scale subresource of every resource; a rule with resourceNames only matches
// requests naming one of them (so never a list or a create without a name); a non-resource URL
// ending in `*` matches every path with that prefix.
import type { PolicyRule, Subject } from '../../../api/rbac/v1/index.js';
import type { UserInfo } from '../tokens.js';
import type { Attributes, ResourceAttributes } from './attributes.js';

const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';

const has = (list: readonly string[] | undefined, v: string): boolean => (list ?? []).some((x) => x === '*' || x === v);

function resourceMatches(rule: PolicyRule, a: ResourceAttributes): boolean {
  const combined = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  return (rule.resources ?? []).some((r) => {
    if (r === '*' || r === combined) return true;
    if (!a.subresource) return false;
    return r === `${a.resource}/*` || r === `*/${a.subresource}`;
  });
}

function urlMatches(rule: PolicyRule, path: string): boolean {
  return (rule.nonResourceURLs ?? []).some((u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.slice(0, -1))));
}

export function ruleAllows(rule: PolicyRule, a: Attributes): boolean {
  if (!has(rule.verbs, a.verb)) return false;
  if (a.kind === 'nonResource') return urlMatches(rule, a.path);
  if (!has(rule.apiGroups, a.group) || !resourceMatches(rule, a)) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || (a.name !== '' && names.includes(a.name));
}

/**
 * Whether a binding's subject names the user. A ServiceAccount subject without a namespace (only
 * allowed in RoleBindings) means the binding's own namespace.
 */
export function subjectMatches(s: Subject, user: UserInfo, bindingNamespace: string): boolean {
  switch (s.kind) {
    case 'User':
      return user.name === s.name;
    case 'Group':
      return user.groups.includes(s.name);
    case 'ServiceAccount':
      return user.name === `${SERVICE_ACCOUNT_PREFIX}${s.namespace || bindingNamespace}:${s.name}`;
    default:
      return false;
  }
}
