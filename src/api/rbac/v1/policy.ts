// rbac.authorization.k8s.io/v1 building blocks shared by the four RBAC kinds: PolicyRule (what a
// role allows), AggregationRule (which ClusterRoles a ClusterRole gathers its rules from),
// Subject (who a binding names) and RoleRef (which role it grants), with their validation.
// Kubernetes treats every list here as atomic: a patch replaces a rule or subject list whole.
import { obj, str, strList, list, type Static } from '../../schema.js';
import { LabelSelector } from '../../meta/v1.js';
import { validateLabelSelector, checkFormat } from '../../validation/meta.js';
import { pathSegmentName } from '../../validation/names.js';
import { child, index, invalid, notSupported, required, type FieldError } from '../../../lib/field-errors.js';

const P = 'io.k8s.api.rbac.v1';
export const RBAC_GROUP = 'rbac.authorization.k8s.io';

export const PolicyRule = obj(
  'Actions (verbs) allowed on resources of API groups, or on non-resource URLs; "*" means all.',
  {
    verbs: strList('Verbs allowed on the resources or URLs: get, list, watch, create, update, patch, delete, deletecollection, or "*".', { listType: 'atomic' }),
    apiGroups: strList('API groups of the resources; "" is the core group, "*" every group.', { listType: 'atomic' }),
    resources: strList('Resources (plural names, `pods/log` for a subresource, "*" for all).', { listType: 'atomic' }),
    resourceNames: strList('Names the rule is limited to; empty means every name.', { listType: 'atomic' }),
    nonResourceURLs: strList('URL paths such as /healthz; a trailing * matches a prefix. Only in ClusterRoles bound cluster-wide.', { listType: 'atomic' }),
  },
  { id: `${P}.PolicyRule`, required: ['verbs'] },
);
export type PolicyRule = Static<typeof PolicyRule>;

export const AggregationRule = obj(
  'How a ClusterRole finds the ClusterRoles whose rules it takes on.',
  {
    clusterRoleSelectors: list('ClusterRoles matching any of these selectors contribute their rules.', LabelSelector, { listType: 'atomic' }),
  },
  { id: `${P}.AggregationRule` },
);
export type AggregationRule = Static<typeof AggregationRule>;

export const Subject = obj(
  'A user, group or ServiceAccount a binding grants its role to.',
  {
    kind: str('User, Group or ServiceAccount.'),
    apiGroup: str('"" for ServiceAccount, rbac.authorization.k8s.io for User and Group (the defaults).'),
    name: str('Name of the user, group or ServiceAccount.'),
    namespace: str('Namespace of a ServiceAccount; empty for users and groups.'),
  },
  { id: `${P}.Subject`, required: ['kind', 'name'], 'x-kubernetes-map-type': 'atomic' },
);
export type Subject = Static<typeof Subject>;

export const RoleRef = obj(
  'The role a binding grants. Cannot change once the binding exists.',
  {
    apiGroup: str('rbac.authorization.k8s.io.'),
    kind: str('Role or ClusterRole.'),
    name: str('Name of the role.'),
  },
  { id: `${P}.RoleRef`, required: ['apiGroup', 'kind', 'name'], 'x-kubernetes-map-type': 'atomic' },
);
export type RoleRef = Static<typeof RoleRef>;

/** Subjects' API groups as Kubernetes defaults them. */
export function defaultSubjects(subjects: Subject[] | undefined): void {
  for (const s of subjects ?? []) {
    if (s.apiGroup !== undefined && s.apiGroup !== '') continue;
    if (s.kind === 'User' || s.kind === 'Group') s.apiGroup = RBAC_GROUP;
    else if (s.kind === 'ServiceAccount') s.apiGroup = '';
  }
}

export function validatePolicyRule(rule: PolicyRule, path: string, o: { namespaced: boolean }): FieldError[] {
  const out: FieldError[] = [];
  if ((rule.verbs ?? []).length === 0) out.push(required(child(path, 'verbs'), 'verbs must contain at least one value'));
  const urls = rule.nonResourceURLs ?? [];
  if (urls.length > 0) {
    if (o.namespaced) out.push(invalid(child(path, 'nonResourceURLs'), urls, 'namespaced rules cannot apply to non-resource URLs'));
    if ((rule.apiGroups ?? []).length > 0 || (rule.resources ?? []).length > 0)
      out.push(invalid(child(path, 'nonResourceURLs'), urls, 'rules cannot apply to both regular resources and non-resource URLs'));
    return out;
  }
  if ((rule.apiGroups ?? []).length === 0) out.push(required(child(path, 'apiGroups'), 'resource rules must supply at least one api group'));
  if ((rule.resources ?? []).length === 0) out.push(required(child(path, 'resources'), 'resource rules must supply at least one resource'));
  return out;
}

export function validateRules(rules: PolicyRule[] | undefined, o: { namespaced: boolean }): FieldError[] {
  return (rules ?? []).flatMap((r, i) => validatePolicyRule(r, index('rules', i), o));
}

export function validateAggregationRule(rule: AggregationRule | undefined): FieldError[] {
  if (!rule) return [];
  const path = 'aggregationRule.clusterRoleSelectors';
  const selectors = rule.clusterRoleSelectors ?? [];
  if (selectors.length === 0) return [required(path, 'at least one clusterRoleSelector required if aggregationRule is non-nil')];
  return selectors.flatMap((s, i) => validateLabelSelector(s, index(path, i)));
}

export function validateRoleRef(ref: RoleRef | undefined, o: { kinds: readonly string[] }): FieldError[] {
  if (!ref) return [required('roleRef')];
  const out: FieldError[] = [];
  if (ref.apiGroup !== RBAC_GROUP) out.push(notSupported('roleRef.apiGroup', ref.apiGroup ?? '', [RBAC_GROUP]));
  if (!o.kinds.includes(ref.kind ?? '')) out.push(notSupported('roleRef.kind', ref.kind ?? '', o.kinds));
  if (!ref.name) out.push(required('roleRef.name'));
  else out.push(...checkFormat('roleRef.name', ref.name, pathSegmentName));
  return out;
}

export function validateSubjects(subjects: Subject[] | undefined, o: { namespaced: boolean }): FieldError[] {
  const out: FieldError[] = [];
  (subjects ?? []).forEach((s, i) => {
    const p = index('subjects', i);
    if (!s.name) out.push(required(child(p, 'name')));
    switch (s.kind) {
      case 'ServiceAccount':
        if (s.apiGroup) out.push(notSupported(child(p, 'apiGroup'), s.apiGroup, ['']));
        if (!o.namespaced && !s.namespace) out.push(required(child(p, 'namespace')));
        if (s.name) out.push(...checkFormat(child(p, 'name'), s.name, pathSegmentName));
        break;
      case 'User':
      case 'Group':
        if (s.apiGroup !== RBAC_GROUP) out.push(notSupported(child(p, 'apiGroup'), s.apiGroup ?? '', [RBAC_GROUP]));
        break;
      default:
        out.push(notSupported(child(p, 'kind'), s.kind ?? '', ['ServiceAccount', 'User', 'Group']));
    }
  });
  return out;
}
