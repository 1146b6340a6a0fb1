// Service-account tokens for projected volumes, from the API's TokenRequest (pods' own
// serviceaccounts/token subresource) bound to the pod, so the token dies with it. A token is
// reused until 80 % of its lifetime has passed or it is a day old, as Kubernetes' kubelet does,
// then replaced; the volume's next refresh writes the new one.
import type { Pod } from '../../../api/core/v1/index.js';
import { serviceAccountKind } from '../../../api/refs/index.js';
import type { Client } from '../../../client/index.js';
import type { Clock } from '../../../lib/workqueue.js';
import type { TokenSource } from './types.js';

const MAX_AGE_MS = 24 * 3600 * 1000;

interface Cached {
  token: string;
  issuedAt: number;
  expiresAt: number;
}

interface TokenRequestStatus {
  status?: { token?: string; expirationTimestamp?: string };
}

export class TokenManager implements TokenSource {
  private readonly cache = new Map<string, Cached>();

  constructor(private readonly o: { client: Client; clock: Clock }) {}

  async token(r: { pod: Pod; serviceAccountName: string; audience: string | undefined; expirationSeconds: number }): Promise<string> {
    const m = r.pod.metadata ?? {};
    const key = `${m.uid ?? ''}/${r.serviceAccountName}/${r.audience ?? ''}/${r.expirationSeconds}`;
    const now = this.o.clock.now();
    const hit = this.cache.get(key);
    if (hit && now < hit.issuedAt + Math.min(0.8 * (hit.expiresAt - hit.issuedAt), MAX_AGE_MS)) return hit.token;
    const res = await this.o.client.createSubresource<TokenRequestStatus>(serviceAccountKind, m.namespace, r.serviceAccountName, 'token', {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: {
        ...(r.audience ? { audiences: [r.audience] } : {}),
        expirationSeconds: r.expirationSeconds,
        boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: m.name ?? '', uid: m.uid ?? '' },
      },
    });
    const token = res.status?.token;
    if (!token) throw new Error('the TokenRequest answer holds no token');
    const exp = res.status?.expirationTimestamp ? Date.parse(res.status.expirationTimestamp) : NaN;
    this.cache.set(key, { token, issuedAt: now, expiresAt: Number.isFinite(exp) ? exp : now + r.expirationSeconds * 1000 });
    return token;
  }

  /** Drops the tokens of a pod that is gone. */
  forget(podUid: string): void {
    for (const k of this.cache.keys()) if (k.startsWith(`${podUid}/`)) this.cache.delete(k);
  }
}
