// authentication.k8s.io/v1: schemas of request bodies the API server answers without storing
// them (TokenRequest, SelfSubjectReview, TokenReview). None is a served kind.
export { BoundObjectReference, TokenRequest, TokenRequestSpec, TokenRequestStatus } from './tokenrequest.js';
export { SelfSubjectReview, SelfSubjectReviewStatus, TokenReview, TokenReviewSpec, TokenReviewStatus, UserInfo } from './reviews.js';
