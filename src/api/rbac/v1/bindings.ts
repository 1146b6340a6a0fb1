// rbac.authorization.k8s.io/v1 RoleBinding and ClusterRoleBinding: grant one role to a list of
// subjects. A RoleBinding grants a Role of its namespace, or a ClusterRole's rules within its
// namespace only; a ClusterRoleBinding grants a ClusterRole everywhere. roleRef cannot change
// (delete and recreate the binding), so whoever may edit a binding cannot repoint it.
import { obj, list, describeKind, type Static } from '../../schema.js';
import { ObjectMeta, typeMeta } from '../../meta/v1.js';
import { defineKind } from '../../kind.js';
import { validateObjectMeta } from '../../validation/meta.js';
import { pathSegmentName } from '../../validation/names.js';
import { invalid, type FieldError } from '../../../lib/field-errors.js';
import { sameJson } from '../../../lib/json.js';
import { RBAC_GROUP, RoleRef, Subject, defaultSubjects, validateRoleRef, validateSubjects } from './policy.js';

const P = 'io.k8s.api.rbac.v1';

const bindingProps = {
  ...typeMeta,
  metadata: ObjectMeta,
  subjects: list('Who the role is granted to.', Subject, { listType: 'atomic' }),
  roleRef: RoleRef,
};

export const RoleBinding = obj('Grants a Role or ClusterRole to subjects within one namespace.', bindingProps, {
  id: `${P}.RoleBinding`,
  required: ['roleRef'],
  ...describeKind(RBAC_GROUP, 'v1', 'RoleBinding'),
});
export type RoleBinding = Static<typeof RoleBinding>;

export const ClusterRoleBinding = obj('Grants a ClusterRole to subjects in every namespace.', bindingProps, {
  id: `${P}.ClusterRoleBinding`,
  required: ['roleRef'],
  ...describeKind(RBAC_GROUP, 'v1', 'ClusterRoleBinding'),
});
export type ClusterRoleBinding = Static<typeof ClusterRoleBinding>;

type Binding = RoleBinding | ClusterRoleBinding;

function defaults(b: Binding): void {
  if (b.roleRef && !b.roleRef.apiGroup) b.roleRef.apiGroup = RBAC_GROUP;
  defaultSubjects(b.subjects);
}

function roleRefUnchanged(b: Binding, old: Binding | undefined): FieldError[] {
  return old && !sameJson(b.roleRef ?? null, old.roleRef ?? null) ? [invalid('roleRef', b.roleRef, 'cannot change roleRef')] : [];
}

export const roleBindingKind = defineKind({
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'RoleBinding',
  plural: 'rolebindings',
  singular: 'rolebinding',
  namespaced: true,
  schema: RoleBinding,
  defaults,
  validate: (b, ctx) => [
    ...validateObjectMeta(b.metadata, { namespaced: true, name: pathSegmentName }),
    ...validateRoleRef(b.roleRef, { kinds: ['Role', 'ClusterRole'] }),
    ...validateSubjects(b.subjects, { namespaced: true }),
    ...roleRefUnchanged(b, ctx.old),
  ],
});

export const clusterRoleBindingKind = defineKind({
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'ClusterRoleBinding',
  plural: 'clusterrolebindings',
  singular: 'clusterrolebinding',
  namespaced: false,
  schema: ClusterRoleBinding,
  defaults,
  validate: (b, ctx) => [
    ...validateObjectMeta(b.metadata, { namespaced: false, name: pathSegmentName }),
    ...validateRoleRef(b.roleRef, { kinds: ['ClusterRole'] }),
    ...validateSubjects(b.subjects, { namespaced: false }),
    ...roleRefUnchanged(b, ctx.old),
  ],
});
