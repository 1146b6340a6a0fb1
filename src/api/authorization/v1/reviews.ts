// authorization.k8s.io/v1 review objects: create-only questions the API server answers from its
// authorizer without storing anything. SubjectAccessReview asks "may this user do this?",
// LocalSubjectAccessReview the same within one namespace, SelfSubjectAccessReview asks it for
// the caller (`kubectl auth can-i`), SelfSubjectRulesReview lists what the caller may do in a
// namespace (`kubectl auth can-i --list`).
import { obj, str, bool, strList, mapOf, list, describeKind, type Static } from '../../schema.js';
import { ObjectMeta, typeMeta } from '../../meta/v1.js';

const P = 'io.k8s.api.authorization.v1';
export const AUTHORIZATION_GROUP = 'authorization.k8s.io';

export const ResourceAttributes = obj(
  'A request on an API resource, as the authorizer sees it.',
  {
    namespace: str('Namespace of the request; empty means all namespaces (or a cluster-scoped resource).'),
    verb: str('get, list, watch, create, update, patch, delete, deletecollection, or "*".'),
    group: str('API group of the resource; "*" means all.'),
    version: str('API version of the resource; "*" means all.'),
    resource: str('Resource (plural name); "*" means all.'),
    subresource: str('Subresource such as log or status; empty means none.'),
    name: str('Name of the object; empty means all.'),
  },
  { id: `${P}.ResourceAttributes` },
);
export type ResourceAttributes = Static<typeof ResourceAttributes>;

export const NonResourceAttributes = obj(
  'A request on a URL that is not an API resource.',
  { path: str('URL path.'), verb: str('Lower-case HTTP verb: get, post, put, delete...') },
  { id: `${P}.NonResourceAttributes` },
);
export type NonResourceAttributes = Static<typeof NonResourceAttributes>;

export const SubjectAccessReviewStatus = obj(
  'The answer: whether the request would be allowed, and why.',
  {
    allowed: bool('True if the request would be allowed.'),
    denied: bool('True if an authorizer explicitly denies the request.'),
    reason: str('Why the request is allowed or not.'),
    evaluationError: str('An error met while deciding; the answer may still be right.'),
  },
  { id: `${P}.SubjectAccessReviewStatus`, required: ['allowed'] },
);
export type SubjectAccessReviewStatus = Static<typeof SubjectAccessReviewStatus>;

export const SelfSubjectAccessReviewSpec = obj(
  'The request to check for the caller; exactly one of the two attribute sets.',
  { resourceAttributes: ResourceAttributes, nonResourceAttributes: NonResourceAttributes },
  { id: `${P}.SelfSubjectAccessReviewSpec` },
);

export const SubjectAccessReviewSpec = obj(
  'The request to check, and for whom.',
  {
    resourceAttributes: ResourceAttributes,
    nonResourceAttributes: NonResourceAttributes,
    user: str('User name to check for.'),
    groups: strList('Groups to check for.', { listType: 'atomic' }),
    extra: mapOf('Further attributes of the user.', strList('Values.')),
    uid: str('UID of the user.'),
  },
  { id: `${P}.SubjectAccessReviewSpec` },
);
export type SubjectAccessReviewSpec = Static<typeof SubjectAccessReviewSpec>;

const review = (kind: string, description: string, spec: typeof SubjectAccessReviewSpec | typeof SelfSubjectAccessReviewSpec) =>
  obj(description, { ...typeMeta, metadata: ObjectMeta, spec, status: SubjectAccessReviewStatus }, {
    id: `${P}.${kind}`,
    required: ['spec'],
    ...describeKind(AUTHORIZATION_GROUP, 'v1', kind),
  });

export const SubjectAccessReview = review('SubjectAccessReview', 'Asks whether a user may perform an action.', SubjectAccessReviewSpec);
export const LocalSubjectAccessReview = review('LocalSubjectAccessReview', 'Asks whether a user may perform an action in one namespace.', SubjectAccessReviewSpec);
export const SelfSubjectAccessReview = review('SelfSubjectAccessReview', 'Asks whether the caller may perform an action.', SelfSubjectAccessReviewSpec);
export type SubjectAccessReview = Static<typeof SubjectAccessReview>;

export const ResourceRule = obj(
  'Verbs the subject may use on resources.',
  {
    verbs: strList('Verbs; "*" means all.', { listType: 'atomic' }),
    apiGroups: strList('API groups; "*" means all.', { listType: 'atomic' }),
    resources: strList('Resources; "*" means all, "*/foo" subresource foo of all.', { listType: 'atomic' }),
    resourceNames: strList('Names the rule is limited to; empty means all.', { listType: 'atomic' }),
  },
  { id: `${P}.ResourceRule`, required: ['verbs'] },
);
export type ResourceRule = Static<typeof ResourceRule>;

export const NonResourceRule = obj(
  'Verbs the subject may use on non-resource URLs.',
  {
    verbs: strList('Verbs; "*" means all.', { listType: 'atomic' }),
    nonResourceURLs: strList('URL paths; a trailing * matches a prefix.', { listType: 'atomic' }),
  },
  { id: `${P}.NonResourceRule`, required: ['verbs'] },
);
export type NonResourceRule = Static<typeof NonResourceRule>;

export const SubjectRulesReviewStatus = obj(
  'What the subject may do, possibly incomplete.',
  {
    resourceRules: list('Allowed actions on resources.', ResourceRule, { listType: 'atomic' }),
    nonResourceRules: list('Allowed actions on non-resource URLs.', NonResourceRule, { listType: 'atomic' }),
    incomplete: bool('True when the list may miss rules.'),
    evaluationError: str('Problems met while listing the rules.'),
  },
  { id: `${P}.SubjectRulesReviewStatus`, required: ['resourceRules', 'nonResourceRules', 'incomplete'] },
);
export type SubjectRulesReviewStatus = Static<typeof SubjectRulesReviewStatus>;

export const SelfSubjectRulesReviewSpec = obj('The namespace to list the rules of.', { namespace: str('Namespace to evaluate rules for.') }, {
  id: `${P}.SelfSubjectRulesReviewSpec`,
});

export const SelfSubjectRulesReview = obj(
  'Lists what the caller may do in a namespace.',
  { ...typeMeta, metadata: ObjectMeta, spec: SelfSubjectRulesReviewSpec, status: SubjectRulesReviewStatus },
  { id: `${P}.SelfSubjectRulesReview`, required: ['spec'], ...describeKind(AUTHORIZATION_GROUP, 'v1', 'SelfSubjectRulesReview') },
);
export type SelfSubjectRulesReview = Static<typeof SelfSubjectRulesReview>;
