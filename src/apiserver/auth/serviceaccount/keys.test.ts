// The signing key on disk: made once with private permissions, reused on the next start (same
// key id, so earlier tokens still verify), its public half kept in step, and the key id being
// the SHA-256 of the public key's DER form as Kubernetes computes it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureSigningKey } from './keys.js';

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'sa-keys-'));
  try {
    await fn(join(dir, 'tls'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('ensureSigningKey', () => {
  it('creates an RSA key pair once and reuses it', () =>
    withDir(async (dir) => {
      const first = await ensureSigningKey(dir);
      assert.equal(first.privateKey.asymmetricKeyType, 'rsa');
      assert.equal((await stat(join(dir, 'sa.key'))).mode & 0o777, 0o600);
      const pub = await readFile(join(dir, 'sa.pub'), 'utf8');
      assert.match(pub, /^-----BEGIN PUBLIC KEY-----/);
      const second = await ensureSigningKey(dir);
      assert.equal(second.kid, first.kid);
      assert.equal(await readFile(join(dir, 'sa.pub'), 'utf8'), pub);
    }));

  it('derives the key id and JWK from the public key', () =>
    withDir(async (dir) => {
      const key = await ensureSigningKey(dir);
      const der = createPublicKey(await readFile(join(dir, 'sa.pub'), 'utf8')).export({ type: 'spki', format: 'der' });
      assert.equal(key.kid, createHash('sha256').update(der).digest('base64url'));
      assert.deepEqual(
        { kty: key.jwk.kty, alg: key.jwk.alg, use: key.jwk.use, kid: key.jwk.kid, e: key.jwk.e },
        { kty: 'RSA', alg: 'RS256', use: 'sig', kid: key.kid, e: 'AQAB' },
      );
      assert.equal(key.jwk.d, undefined, 'the published JWK must not hold the private exponent');
    }));

  it('rewrites a public key file that does not match the private key', () =>
    withDir(async (dir) => {
      await ensureSigningKey(dir);
      const good = await readFile(join(dir, 'sa.pub'), 'utf8');
      await writeFile(join(dir, 'sa.pub'), 'stale\n');
      await ensureSigningKey(dir);
      assert.equal(await readFile(join(dir, 'sa.pub'), 'utf8'), good);
    }));
});
