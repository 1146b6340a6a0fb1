// The cluster's certificate authority and the API server's serving certificate, generated on
// first start and kept in the data dir (ca.crt/ca.key, server.crt/server.key). The CA is what
// kubeconfigs and joining agents trust; the serving certificate is reissued whenever the set of
// names and addresses the server answers on grows, without changing the CA.
// @peculiar/x509 resolves its parsers through tsyringe, which needs the Reflect metadata API
// loaded first; this one polyfill import is the price of that dependency.
import 'reflect-metadata';
import { webcrypto, randomBytes, X509Certificate } from 'node:crypto';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { networkInterfaces, hostname } from 'node:os';
import { isIP } from 'node:net';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKey = webcrypto.CryptoKey;

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

export interface Pki {
  caCertPem: string;
  caKeyPem: string;
  serverCertPem: string;
  serverKeyPem: string;
}

async function exists(path: string): Promise<boolean> {
  return readFile(path).then(
    () => true,
    () => false,
  );
}

async function exportKeyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').trimEnd();
  return `-----BEGIN PRIVATE KEY-----\n${b64}\n-----END PRIVATE KEY-----\n`;
}

async function importKeyPem(pem: string): Promise<CryptoKey> {
  const b64 = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return webcrypto.subtle.importKey('pkcs8', Buffer.from(b64, 'base64'), ALG, true, ['sign']);
}

const serial = (): string => randomBytes(8).toString('hex').replace(/^[89a-f]/, '1');

async function createCa(): Promise<{ certPem: string; keyPem: string }> {
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=tugboat-ca@${Math.floor(now / 1000)}`,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + TEN_YEARS_MS),
    signingAlgorithm: ALG,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await exportKeyPem(keys.privateKey) };
}

/** Every name and address a client may use to reach this server. */
export function serverNames(extra: string[]): string[] {
  const names = new Set([
    'localhost',
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    'kubernetes.default.svc.cluster.local',
    hostname(),
    '127.0.0.1',
    '::1',
    ...extra,
  ]);
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (!a.internal || a.family === 'IPv4') names.add(a.address.split('%')[0] ?? a.address);
  }
  names.delete('');
  names.delete('0.0.0.0');
  names.delete('::');
  return [...names];
}

async function issueServerCert(ca: { certPem: string; keyPem: string }, names: string[]): Promise<{ certPem: string; keyPem: string }> {
  const caCert = new x509.X509Certificate(ca.certPem);
  const caKey = await importKeyPem(ca.keyPem);
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: 'CN=tugboat-apiserver',
    issuer: caCert.subject,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + TEN_YEARS_MS),
    signingAlgorithm: ALG,
    publicKey: keys.publicKey,
    signingKey: caKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
      new x509.SubjectAlternativeNameExtension(names.map((n) => (isIP(n) ? { type: 'ip', value: n } : { type: 'dns', value: n }))),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await exportKeyPem(keys.privateKey) };
}

function certCovers(certPem: string, names: string[]): boolean {
  const cert = new X509Certificate(certPem);
  return names.every((n) => (isIP(n) ? cert.checkIP(n) !== undefined : cert.checkHost(n) !== undefined));
}

/** Loads the PKI from `dir`, creating the CA on first start and (re)issuing the serving cert as needed. */
export async function ensurePki(dir: string, opts: { extraNames?: string[] } = {}): Promise<Pki> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const p = (f: string): string => join(dir, f);
  let ca: { certPem: string; keyPem: string };
  if (await exists(p('ca.crt'))) {
    ca = { certPem: await readFile(p('ca.crt'), 'utf8'), keyPem: await readFile(p('ca.key'), 'utf8') };
  } else {
    ca = await createCa();
    await writeFile(p('ca.key'), ca.keyPem, { mode: 0o600 });
    await writeFile(p('ca.crt'), ca.certPem, { mode: 0o644 });
  }
  const names = serverNames(opts.extraNames ?? []);
  let server: { certPem: string; keyPem: string } | undefined;
  if (await exists(p('server.crt'))) {
    const certPem = await readFile(p('server.crt'), 'utf8');
    if (certCovers(certPem, names)) server = { certPem, keyPem: await readFile(p('server.key'), 'utf8') };
  }
  if (!server) {
    server = await issueServerCert(ca, names);
    await writeFile(p('server.key'), server.keyPem, { mode: 0o600 });
    await writeFile(p('server.crt'), server.certPem, { mode: 0o644 });
  }
  return { caCertPem: ca.certPem, caKeyPem: ca.keyPem, serverCertPem: server.certPem, serverKeyPem: server.keyPem };
}
