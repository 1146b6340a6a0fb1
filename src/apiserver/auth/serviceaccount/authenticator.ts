// Authenticates bearer tokens that are our service-account JWTs. Beyond the signature and claims
// (signer.ts), a token is only as alive as what it names: its ServiceAccount must still exist
// with the same uid, and so must the Pod, Secret or Node it is bound to. An object whose
// deletion started more than a minute ago counts as gone, so a terminating pod's token keeps
// working through its grace period's first minute only, as on Kubernetes.
import type { ApiObject } from '../../../api/kind.js';
import type { Authenticator, UserInfo } from '../tokens.js';
import { kubernetesClaimOf, userOf, type KubernetesClaim, type ObjectClaim } from './claims.js';
import type { SigningKey } from './keys.js';
import type { BoundKind, ObjectLookup } from './lookup.js';
import { claimsIssuer, CLOCK_LEEWAY_SECONDS, TokenRejected, verifyToken } from './signer.js';

export interface ServiceAccountAuthenticatorOptions {
  key: SigningKey;
  issuer: string;
  /** Audiences that identify this API server; a token must name one of them to log in. */
  apiAudiences: readonly string[];
  lookup: ObjectLookup;
  now(): Date;
}

/** The outcome of checking one token, with the reason when it is refused (for TokenReview). */
export type TokenCheck =
  | { result: 'not-ours' }
  | { result: 'rejected'; reason: string }
  | { result: 'authenticated'; user: UserInfo; audiences: string[] };

export class ServiceAccountAuthenticator implements Authenticator {
  constructor(private readonly o: ServiceAccountAuthenticatorOptions) {}

  authenticate(token: string): UserInfo | undefined {
    const r = this.check(token, { audiences: this.o.apiAudiences });
    return r.result === 'authenticated' ? r.user : undefined;
  }

  /** Checks a token against the audiences a recipient accepts. */
  check(token: string, want: { audiences: readonly string[] }): TokenCheck {
    if (!claimsIssuer(token, this.o.issuer)) return { result: 'not-ours' };
    const now = this.o.now();
    try {
      const payload = verifyToken(this.o.key, token, { issuer: this.o.issuer, audiences: want.audiences, now });
      const k8s = kubernetesClaimOf(payload);
      if (!k8s) throw new TokenRejected('service account token claims could not be validated');
      this.checkLiveness(k8s, now);
      const aud = payload.aud;
      const tokenAudiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
      return {
        result: 'authenticated',
        user: userOf(k8s, typeof payload.jti === 'string' ? payload.jti : undefined),
        audiences: tokenAudiences.filter((a) => want.audiences.includes(a)),
      };
    } catch (err) {
      if (err instanceof TokenRejected) return { result: 'rejected', reason: err.message };
      throw err;
    }
  }

  private checkLiveness(k: KubernetesClaim, now: Date): void {
    const deletedBefore = now.getTime() - CLOCK_LEEWAY_SECONDS * 1000;
    const sa = this.o.lookup.cached('ServiceAccount', { namespace: k.namespace, name: k.serviceaccount.name });
    if (!sa) throw new TokenRejected(`serviceaccounts "${k.serviceaccount.name}" not found`);
    if (deletionStartedBefore(sa, deletedBefore)) throw new TokenRejected(`service account ${k.namespace}/${k.serviceaccount.name} has been deleted`);
    const saUid = sa.metadata?.uid ?? '';
    if (saUid !== k.serviceaccount.uid) throw new TokenRejected(`service account UID (${saUid}) does not match claim (${k.serviceaccount.uid})`);
    if (k.secret) this.checkBound('Secret', { namespace: k.namespace, ref: k.secret, deletedBefore });
    if (k.pod) this.checkBound('Pod', { namespace: k.namespace, ref: k.pod, deletedBefore });
    // A pod-bound token only records its pod's node for information; a node-bound one lives with the node.
    else if (k.node) this.checkBound('Node', { namespace: '', ref: k.node, deletedBefore });
  }

  private checkBound(kind: BoundKind, b: { namespace: string; ref: ObjectClaim; deletedBefore: number }): void {
    const obj = this.o.lookup.cached(kind, { namespace: b.namespace, name: b.ref.name });
    if (!obj || deletionStartedBefore(obj, b.deletedBefore)) throw new TokenRejected('service account token has been invalidated');
    const uid = obj.metadata?.uid ?? '';
    if (uid !== b.ref.uid) throw new TokenRejected(`${kind.toLowerCase()} UID (${uid}) does not match service account ${kind.toLowerCase()} ref claim (${b.ref.uid})`);
  }
}

function deletionStartedBefore(obj: ApiObject, cutoffMs: number): boolean {
  const ts = obj.metadata?.deletionTimestamp;
  return ts !== undefined && Date.parse(ts) < cutoffMs;
}
