// authorization.k8s.io/v1: schemas of the access-review request bodies the API server answers
// from its authorizer without storing them. None is a served kind.
export {
  AUTHORIZATION_GROUP,
  ResourceAttributes,
  NonResourceAttributes,
  SubjectAccessReviewSpec,
  SubjectAccessReviewStatus,
  SubjectAccessReview,
  LocalSubjectAccessReview,
  SelfSubjectAccessReview,
  SelfSubjectRulesReview,
  SubjectRulesReviewStatus,
  ResourceRule,
  NonResourceRule,
} from './reviews.js';
