// Certificates for the HTTPS listener. Ingress TLS entries name kubernetes.io/tls Secrets
// (tls.crt and tls.key, PEM) in the Ingress's namespace; each becomes a TLS secure context, built
// once per Secret version and reused across route-table rebuilds. The listener's SNI callback
// asks the current table for the context of the requested server name; a client naming no
// known host (or none at all) gets a self-signed default certificate made at start-up, as
// ingress-nginx serves its "fake" certificate.
// @peculiar/x509 needs the Reflect metadata polyfill loaded before it.
import 'reflect-metadata';
import { randomBytes, webcrypto } from 'node:crypto';
import { createSecureContext, type SecureContext } from 'node:tls';
import * as x509 from '@peculiar/x509';
import type { Secret } from '../../api/core/v1/index.js';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;
export const DEFAULT_CERT_COMMON_NAME = 'Tugboat Ingress Default Certificate';

export interface KeyPair {
  certPem: string;
  keyPem: string;
}

/** A self-signed certificate for connections that match no Ingress TLS host. */
export async function defaultCertificate(): Promise<KeyPair> {
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: `01${randomBytes(8).toString('hex')}`,
    name: `CN=${DEFAULT_CERT_COMMON_NAME}`,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + ONE_YEAR_MS),
    signingAlgorithm: ALG,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
      new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'ingress.local' }]),
    ],
  });
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${der.replace(/(.{64})/g, '$1\n').trimEnd()}\n-----END PRIVATE KEY-----\n`;
  return { certPem: cert.toString('pem'), keyPem };
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
