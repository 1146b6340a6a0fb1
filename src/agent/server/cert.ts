// The agent's HTTPS serving certificate, like the kubelet's self-signed one in
// /var/lib/kubelet/pki: generated on first start (ECDSA P-256, ten years, valid for the node's
// names and addresses) and kept under DATA_DIR/tls so restarts present the same certificate.
// The API server does not verify it yet (see docs/design/streaming.md): it is there so the
// stream is encrypted, and so the agent can demand the API server's client certificate.
// @peculiar/x509 needs the Reflect metadata polyfill loaded before it.
import 'reflect-metadata';
import { randomBytes, webcrypto } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

export interface ServingCert {
  certPem: string;
  keyPem: string;
}

async function pkcs8Pem(key: webcrypto.CryptoKey): Promise<string> {
  const b64 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key)).toString('base64');
  return `-----BEGIN PRIVATE KEY-----\n${b64.replace(/(.{64})/g, '$1\n').trimEnd()}\n-----END PRIVATE KEY-----\n`;
}

export async function selfSignedCert(o: { commonName: string; names: string[] }): Promise<ServingCert> {
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const now = Date.now();
  const names = [...new Set(o.names.filter(Boolean))];
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: `01${randomBytes(8).toString('hex')}`,
    name: `CN=${o.commonName}`,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + TEN_YEARS_MS),
    signingAlgorithm: ALG,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
      new x509.SubjectAlternativeNameExtension(names.map((n) => (isIP(n) ? { type: 'ip', value: n } : { type: 'dns', value: n }))),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await pkcs8Pem(keys.privateKey) };
}

/** Loads DIR/kubelet.crt and .key, creating them on first use; without a dir, a fresh in-memory pair. */
export async function ensureServingCert(dir: string | undefined, o: { commonName: string; names: string[] }): Promise<ServingCert> {
  if (!dir) return selfSignedCert(o);
  const certPath = join(dir, 'kubelet.crt');
  const keyPath = join(dir, 'kubelet.key');
  try {
    return { certPem: await readFile(certPath, 'utf8'), keyPem: await readFile(keyPath, 'utf8') };
  } catch {
    const c = await selfSignedCert(o);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(keyPath, c.keyPem, { mode: 0o600 });
    await writeFile(certPath, c.certPem);
    return c;
  }
}
