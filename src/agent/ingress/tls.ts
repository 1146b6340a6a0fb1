// Certificates for the HTTPS listener. Ingress TLS entries name kubernetes.io/tls Secrets
// (tls.crt and tls.key, PEM) in the Ingress's namespace; each becomes a TLS secure context, built
// once per Secret version and reused across route-table rebuilds. The listener's SNI callback
// asks the current table for the context of the requested server name; a client naming no
// known host (or none at all) gets a self-signed default certificate made at start-up, as
// ingress-nginx serves its "fake" certificate.
import { createSecureContext, type SecureContext } from 'node:tls';
import type { Secret } from '../../api/core/v1/index.js';
import { selfSignedCert } from '../../lib/self-signed-cert.js';

const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;
export const DEFAULT_CERT_COMMON_NAME = 'Tugboat Ingress Default Certificate';

export interface KeyPair {
  certPem: string;
  keyPem: string;
}

/** A self-signed certificate for connections that match no Ingress TLS host. */
export async function defaultCertificate(): Promise<KeyPair> {
  const now = Date.now();
  return selfSignedCert({ commonName: DEFAULT_CERT_COMMON_NAME, names: ['ingress.local'], notBefore: new Date(now - 60_000), notAfter: new Date(now + ONE_YEAR_MS) });
}

/** Secure contexts of TLS Secrets, rebuilt only when a Secret's resourceVersion changes. */
export class CertStore {
  private readonly cache = new Map<string, { version: string; ctx: SecureContext | undefined; error?: string }>();

  constructor(private readonly log: (msg: string) => void) {}

  contextFor(secret: Secret | undefined): SecureContext | undefined {
    if (!secret) return undefined;
    const key = `${secret.metadata?.namespace ?? ''}/${secret.metadata?.name ?? ''}`;
    const version = `${secret.metadata?.uid ?? ''}/${secret.metadata?.resourceVersion ?? ''}`;
    const hit = this.cache.get(key);
    if (hit?.version === version) return hit.ctx;
    const crt = secret.data?.['tls.crt'];
    const pem = secret.data?.['tls.key'];
    let ctx: SecureContext | undefined;
    let error: string | undefined;
    if (!crt || !pem) error = 'has no tls.crt and tls.key';
    else {
      try {
        ctx = createSecureContext({ cert: Buffer.from(crt, 'base64'), key: Buffer.from(pem, 'base64') });
      } catch (err) {
        error = `is not a usable certificate and key: ${err instanceof Error ? err.message : String(err)}`;
      }
    }
    if (error && hit?.error !== error) this.log(`ingress: TLS secret ${key} ${error}`);
    this.cache.set(key, { version, ctx, ...(error ? { error } : {}) });
    return ctx;
  }

  /** Drops cached contexts of Secrets no longer referenced. */
  retain(keys: ReadonlySet<string>): void {
    for (const k of this.cache.keys()) if (!keys.has(k)) this.cache.delete(k);
  }
}
