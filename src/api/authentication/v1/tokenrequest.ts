// authentication.k8s.io/v1 TokenRequest: the body of POST .../serviceaccounts/{name}/token, which
// asks the API server to sign a short-lived token for a ServiceAccount, optionally bound to a
// Pod, Secret or Node so it dies with that object. Not a stored kind: the server answers the
// request with the same object plus a status holding the token.
import { obj, str, int64, strList, time, describeKind, type Static } from '../../schema.js';
import { ObjectMeta, typeMeta } from '../../meta/v1.js';

const P = 'io.k8s.api.authentication.v1';

export const BoundObjectReference = obj(
  'The object a token is tied to: the token stops working once this object is gone.',
  {
    kind: str('Kind of the object: Pod, Secret or Node.'),
    apiVersion: str('API version of the object (v1).'),
    name: str('Name of the object.'),
    uid: str('UID of the object; the server fills in the current one when empty.'),
  },
  { id: `${P}.BoundObjectReference` },
);
export type BoundObjectReference = Static<typeof BoundObjectReference>;

export const TokenRequestSpec = obj(
  'What the client asks of the token.',
  {
    audiences: strList('Who the token is meant for; a recipient rejects tokens not naming it. Empty means the API server.', {
      listType: 'atomic',
    }),
    expirationSeconds: int64('Requested lifetime in seconds (at least 600); the server may issue a different one.'),
    boundObjectRef: BoundObjectReference,
  },
  { id: `${P}.TokenRequestSpec`, required: ['audiences'] },
);
export type TokenRequestSpec = Static<typeof TokenRequestSpec>;

export const TokenRequestStatus = obj(
  'The issued token.',
  {
    token: str('The signed bearer token.'),
    expirationTimestamp: time('When the token stops being valid.'),
  },
  { id: `${P}.TokenRequestStatus`, required: ['token', 'expirationTimestamp'] },
);
export type TokenRequestStatus = Static<typeof TokenRequestStatus>;

export const TokenRequest = obj(
  'A request for a ServiceAccount token, answered with the token in status.',
  {
    ...typeMeta,
    metadata: ObjectMeta,
    spec: TokenRequestSpec,
    status: TokenRequestStatus,
  },
  { id: `${P}.TokenRequest`, required: ['spec'], ...describeKind('authentication.k8s.io', 'v1', 'TokenRequest') },
);
export type TokenRequest = Static<typeof TokenRequest>;
