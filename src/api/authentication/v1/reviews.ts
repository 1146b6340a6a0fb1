// authentication.k8s.io/v1 SelfSubjectReview and TokenReview: create-only "review" objects the
// API server answers without storing anything. SelfSubjectReview reports who the caller is (what
// `kubectl auth whoami` prints); TokenReview says whether a bearer token authenticates and as
// whom (what a kubelet or an add-on server asks before trusting a token).
import { obj, str, bool, strList, mapOf, describeKind, type Static } from '../../schema.js';
import { ObjectMeta, typeMeta } from '../../meta/v1.js';

const P = 'io.k8s.api.authentication.v1';

export const UserInfo = obj(
  'An authenticated user as the API server sees it.',
  {
    username: str('Name of the user, unique among active users.'),
    uid: str('Identifier of the user that changes when a user of the same name is recreated.'),
    groups: strList('Groups the user belongs to.', { listType: 'atomic' }),
    extra: mapOf('Further attributes the authenticator attached.', strList('Values of one attribute.')),
  },
  { id: `${P}.UserInfo` },
);
export type UserInfo = Static<typeof UserInfo>;

export const SelfSubjectReviewStatus = obj(
  'The caller as the API server authenticated it.',
  { userInfo: UserInfo },
  { id: `${P}.SelfSubjectReviewStatus` },
);

export const SelfSubjectReview = obj(
  'Asks the API server who the caller is.',
  {
    ...typeMeta,
    metadata: ObjectMeta,
    status: SelfSubjectReviewStatus,
  },
  { id: `${P}.SelfSubjectReview`, ...describeKind('authentication.k8s.io', 'v1', 'SelfSubjectReview') },
);
export type SelfSubjectReview = Static<typeof SelfSubjectReview>;

export const TokenReviewSpec = obj(
  'The token to check.',
  {
    token: str('The bearer token.'),
    audiences: strList('Audiences the checker accepts; empty means the API server.', { listType: 'atomic' }),
  },
  { id: `${P}.TokenReviewSpec` },
);

export const TokenReviewStatus = obj(
  'Whether the token authenticates, and as whom.',
  {
    authenticated: bool('True when the token belongs to a known user.'),
    user: UserInfo,
    audiences: strList('Audiences of the token that the checker accepts.', { listType: 'atomic' }),
    error: str('Why the token could not be checked.'),
  },
  { id: `${P}.TokenReviewStatus` },
);

export const TokenReview = obj(
  'Asks the API server whether a token authenticates.',
  {
    ...typeMeta,
    metadata: ObjectMeta,
    spec: TokenReviewSpec,
    status: TokenReviewStatus,
  },
  { id: `${P}.TokenReview`, required: ['spec'], ...describeKind('authentication.k8s.io', 'v1', 'TokenReview') },
);
export type TokenReview = Static<typeof TokenReview>;
