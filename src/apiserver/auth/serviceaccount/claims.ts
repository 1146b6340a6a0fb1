// What a service-account token says, in the claim layout Kubernetes uses so tools that read
// Kubernetes tokens (and projected-token consumers) understand ours: the registered claims plus a
// private `kubernetes.io` claim naming the namespace, the account and the object the token is
// bound to. Also the user such a token authenticates as. Pure functions: no keys, no clock.
import type { UserInfo } from '../tokens.js';

export interface ObjectClaim {
  name: string;
  uid: string;
}

/** The private `kubernetes.io` claim. */
export interface KubernetesClaim {
  namespace: string;
  serviceaccount: ObjectClaim;
  pod?: ObjectClaim;
  secret?: ObjectClaim;
  node?: ObjectClaim;
  /** Seconds since the epoch after which a user of an extended-lifetime token should have refreshed it. */
  warnafter?: number;
}

export interface ServiceAccountClaims {
  iss: string;
  sub: string;
  aud: string[];
  exp: number;
  iat: number;
  nbf: number;
  jti: string;
  'kubernetes.io': KubernetesClaim;
}

export const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';
export const ALL_SERVICE_ACCOUNTS_GROUP = 'system:serviceaccounts';

export const serviceAccountUsername = (namespace: string, name: string): string => `${SERVICE_ACCOUNT_PREFIX}${namespace}:${name}`;

/** Keys of UserInfo.extra, as Kubernetes names them (audit logs and webhooks read them). */
export const EXTRA = {
  credentialId: 'authentication.kubernetes.io/credential-id',
  podName: 'authentication.kubernetes.io/pod-name',
  podUid: 'authentication.kubernetes.io/pod-uid',
  nodeName: 'authentication.kubernetes.io/node-name',
  nodeUid: 'authentication.kubernetes.io/node-uid',
} as const;

export interface ClaimsInput {
  issuer: string;
  serviceAccount: { namespace: string; name: string; uid: string };
  audiences: string[];
  /** Issue time, in whole seconds since the epoch. */
  issuedAt: number;
  lifetimeSeconds: number;
  /** Set only for extended-lifetime tokens; seconds after issue. */
  warnAfterSeconds?: number;
  jti: string;
  bound?: { pod?: ObjectClaim; secret?: ObjectClaim; node?: ObjectClaim };
}

export function buildClaims(c: ClaimsInput): ServiceAccountClaims {
  const k8s: KubernetesClaim = {
    namespace: c.serviceAccount.namespace,
    serviceaccount: { name: c.serviceAccount.name, uid: c.serviceAccount.uid },
    ...(c.bound?.pod ? { pod: c.bound.pod } : {}),
    ...(c.bound?.secret ? { secret: c.bound.secret } : {}),
    ...(c.bound?.node ? { node: c.bound.node } : {}),
    ...(c.warnAfterSeconds !== undefined ? { warnafter: c.issuedAt + c.warnAfterSeconds } : {}),
  };
  return {
    iss: c.issuer,
    sub: serviceAccountUsername(c.serviceAccount.namespace, c.serviceAccount.name),
    aud: [...c.audiences],
    exp: c.issuedAt + c.lifetimeSeconds,
    iat: c.issuedAt,
    nbf: c.issuedAt,
    jti: c.jti,
    'kubernetes.io': k8s,
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function objectClaim(v: unknown): ObjectClaim | undefined {
  if (!isRecord(v) || typeof v.name !== 'string' || v.name === '') return undefined;
  return { name: v.name, uid: typeof v.uid === 'string' ? v.uid : '' };
}

/**
 * The `kubernetes.io` claim of a verified payload, or undefined when it is not one of ours
 * (missing, malformed, or its subject does not name the account it carries).
 */
export function kubernetesClaimOf(payload: Record<string, unknown>): KubernetesClaim | undefined {
  const k = payload['kubernetes.io'];
  if (!isRecord(k) || typeof k.namespace !== 'string' || k.namespace === '') return undefined;
  const sa = objectClaim(k.serviceaccount);
  if (!sa || payload.sub !== serviceAccountUsername(k.namespace, sa.name)) return undefined;
  const out: KubernetesClaim = { namespace: k.namespace, serviceaccount: sa };
  for (const field of ['pod', 'secret', 'node'] as const) {
    if (k[field] === undefined) continue;
    const ref = objectClaim(k[field]);
    if (!ref) return undefined;
    out[field] = ref;
  }
  if (typeof k.warnafter === 'number') out.warnafter = k.warnafter;
  return out;
}

/** The user a verified token authenticates as. */
export function userOf(k: KubernetesClaim, jti: string | undefined): UserInfo {
  const extra: Record<string, string[]> = {};
  if (jti) extra[EXTRA.credentialId] = [`JTI=${jti}`];
  if (k.pod) {
    extra[EXTRA.podName] = [k.pod.name];
    extra[EXTRA.podUid] = [k.pod.uid];
  }
  if (k.node) {
    extra[EXTRA.nodeName] = [k.node.name];
    extra[EXTRA.nodeUid] = [k.node.uid];
  }
  return {
    name: serviceAccountUsername(k.namespace, k.serviceaccount.name),
    uid: k.serviceaccount.uid,
    groups: [ALL_SERVICE_ACCOUNTS_GROUP, `${ALL_SERVICE_ACCOUNTS_GROUP}:${k.namespace}`, 'system:authenticated'],
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  };
}
