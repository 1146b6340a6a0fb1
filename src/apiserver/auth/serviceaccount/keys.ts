// The service-account signing key: an RSA key pair (RS256, what Kubernetes uses and what token
// verifiers such as cloud identity federation expect) kept as DATA_DIR/tls/sa.key (PKCS#8,
// private) and sa.pub (SPKI, public). Made on first start and reused afterwards, so tokens
// survive restarts. The key id is the SHA-256 of the public key's DER form, as Kubernetes
// computes it, so a verifier can pick the right key from the JWKS.
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportJWK, exportPKCS8, generateKeyPair, type JWK } from 'jose';

export const SIGNING_ALG = 'RS256';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Goes into every token's header and the published JWK. */
  kid: string;
  /** The public key as published at /openid/v1/jwks. */
  jwk: JWK;
}

export const keyIdOf = (publicKey: KeyObject): string =>
  createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64url');

async function writeAtomically(path: string, text: string, mode: number): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, text, { mode });
  await rename(tmp, path);
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export async function signingKeyFromPem(privatePem: string): Promise<SigningKey> {
  const privateKey = createPrivateKey(privatePem);
  if (privateKey.asymmetricKeyType !== 'rsa') throw new Error(`service-account key must be RSA, not ${privateKey.asymmetricKeyType ?? 'unknown'}`);
  const publicKey = createPublicKey(privateKey);
  const kid = keyIdOf(publicKey);
  const jwk: JWK = { ...(await exportJWK(publicKey)), use: 'sig', alg: SIGNING_ALG, kid };
  return { privateKey, publicKey, kid, jwk };
}

/** Loads DIR/sa.key, or generates it; sa.pub is rewritten from the private key unless it matches. */
export async function ensureSigningKey(dir: string): Promise<SigningKey> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const keyPath = join(dir, 'sa.key');
  const pubPath = join(dir, 'sa.pub');
  let pem = await readOptional(keyPath);
  if (pem === undefined) {
    const pair = await generateKeyPair(SIGNING_ALG, { extractable: true, modulusLength: 2048 });
    pem = await exportPKCS8(pair.privateKey);
    await writeAtomically(keyPath, pem, 0o600);
  }
  const key = await signingKeyFromPem(pem);
  const pub = key.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  if ((await readOptional(pubPath)) !== pub) await writeAtomically(pubPath, pub, 0o644);
  return key;
}
