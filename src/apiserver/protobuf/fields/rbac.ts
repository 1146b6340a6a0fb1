// Field numbers of rbac.authorization.k8s.io/v1 (kubectl's `create role|clusterrole|rolebinding|
// clusterrolebinding` send these as protobuf) and of the authorization.k8s.io/v1 reviews
// (`kubectl auth can-i` sends a SelfSubjectAccessReview or SelfSubjectRulesReview as protobuf).
// RoleRef's fields and Subject's kind and name have no omitempty, so an empty string is real.
import { kept, type FieldTable } from './spec.js';

const R = 'io.k8s.api.rbac.v1';
const A = 'io.k8s.api.authorization.v1';

export const rbacFields: FieldTable = {
  [`${R}.AggregationRule`]: { clusterRoleSelectors: 1 },
  [`${R}.ClusterRole`]: { metadata: 1, rules: 2, aggregationRule: 3 },
  [`${R}.ClusterRoleBinding`]: { metadata: 1, subjects: 2, roleRef: 3 },
  [`${R}.PolicyRule`]: { verbs: 1, apiGroups: 2, resources: 3, resourceNames: 4, nonResourceURLs: 5 },
  [`${R}.Role`]: { metadata: 1, rules: 2 },
  [`${R}.RoleBinding`]: { metadata: 1, subjects: 2, roleRef: 3 },
  [`${R}.RoleRef`]: { apiGroup: kept(1), kind: kept(2), name: kept(3) },
  [`${R}.Subject`]: { kind: kept(1), apiGroup: 2, name: kept(3), namespace: 4 },
  [`${A}.LocalSubjectAccessReview`]: { metadata: 1, spec: 2, status: 3 },
  [`${A}.NonResourceAttributes`]: { path: 1, verb: 2 },
  [`${A}.NonResourceRule`]: { verbs: 1, nonResourceURLs: 2 },
  [`${A}.ResourceAttributes`]: { namespace: 1, verb: 2, group: 3, version: 4, resource: 5, subresource: 6, name: 7 },
  [`${A}.ResourceRule`]: { verbs: 1, apiGroups: 2, resources: 3, resourceNames: 4 },
  [`${A}.SelfSubjectAccessReview`]: { metadata: 1, spec: 2, status: 3 },
  [`${A}.SelfSubjectAccessReviewSpec`]: { resourceAttributes: 1, nonResourceAttributes: 2 },
  [`${A}.SelfSubjectRulesReview`]: { metadata: 1, spec: 2, status: 3 },
  [`${A}.SelfSubjectRulesReviewSpec`]: { namespace: 1 },
  [`${A}.SubjectAccessReview`]: { metadata: 1, spec: 2, status: 3 },
  [`${A}.SubjectAccessReviewSpec`]: { resourceAttributes: 1, nonResourceAttributes: 2, user: 3, groups: 4, extra: 5, uid: 6 },
  [`${A}.SubjectAccessReviewStatus`]: { allowed: kept(1), denied: 4, reason: 2, evaluationError: 3 },
  [`${A}.SubjectRulesReviewStatus`]: { resourceRules: 1, nonResourceRules: 2, incomplete: kept(3), evaluationError: 4 },
};
