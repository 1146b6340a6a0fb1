// Field numbers of authentication.k8s.io/v1 request bodies: TokenRequest (kubectl 1.32's
// `create token` sends it as protobuf), SelfSubjectReview (`auth whoami`) and TokenReview.
// expirationSeconds is a Go pointer, so a zero on the wire is real; TokenRequestStatus.token has
// no omitempty. UserInfo.extra is a map of ExtraValue messages that our decoder cannot read, but
// it only occurs in statuses, which the server writes and never reads from a request.
import { kept, type FieldTable } from './spec.js';

const P = 'io.k8s.api.authentication.v1';

export const authenticationFields: FieldTable = {
  [`${P}.BoundObjectReference`]: { kind: 1, apiVersion: 2, name: 3, uid: 4 },
  [`${P}.TokenRequest`]: { metadata: 1, spec: 2, status: 3 },
  [`${P}.TokenRequestSpec`]: { audiences: 1, expirationSeconds: kept(4), boundObjectRef: 3 },
  [`${P}.TokenRequestStatus`]: { token: kept(1), expirationTimestamp: 2 },
  [`${P}.SelfSubjectReview`]: { metadata: 1, status: 2 },
  [`${P}.SelfSubjectReviewStatus`]: { userInfo: 1 },
  [`${P}.TokenReview`]: { metadata: 1, spec: 2, status: 3 },
  [`${P}.TokenReviewSpec`]: { token: 1, audiences: 2 },
  [`${P}.TokenReviewStatus`]: { authenticated: 1, user: 2, audiences: 4, error: 3 },
  [`${P}.UserInfo`]: { username: 1, uid: 2, groups: 3, extra: 4 },
};
