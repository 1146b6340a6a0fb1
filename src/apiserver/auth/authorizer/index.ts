// Authorization for the API server: the RBAC authorizer over the watch cache, the request hook
// that turns a denial into Kubernetes' 403, escalation prevention for RBAC writes, and the
// authorization.k8s.io access reviews. Other folders import the authorizer only through here.
import type { WatchCache } from '../../cache/watch-cache.js';
import { cachePolicySource } from './policy-source.js';
import { RbacAuthorizer } from './rbac-authorizer.js';
import { EscalationGuard } from './escalation.js';
import { authorizationApi, type AuthorizationApi } from './reviews-api.js';

export { requestAttributes, type Attributes, type Authorizer, type Decision, type ResourceAttributes, type NonResourceAttributes } from './attributes.js';
export { authorizeRequest, authorizeStreamUpgrade, type AuthorizedRequest } from './http.js';
export { effectiveUser } from './impersonation.js';
export { forbiddenError } from './forbidden.js';
export { RbacAuthorizer, SUPERUSER_GROUP, type RuleSet } from './rbac-authorizer.js';
export { EscalationGuard } from './escalation.js';
export type { PolicySource } from './policy-source.js';
export type { AuthorizationApi } from './reviews-api.js';

export interface Authorization {
  authorizer: RbacAuthorizer;
  guard: EscalationGuard;
  api: AuthorizationApi;
}

/** The authorizer, escalation guard and review API, all reading policy from the watch cache. */
export function rbacAuthorization(cache: WatchCache): Authorization {
  const policy = cachePolicySource(cache);
  const authorizer = new RbacAuthorizer(policy);
  return { authorizer, guard: new EscalationGuard(authorizer, policy), api: authorizationApi(authorizer) };
}
