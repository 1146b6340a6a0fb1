// Signing and verifying tokens, and the claims inside them: a signed token verifies; expiry,
// not-before and issue time are enforced with a minute of leeway; a changed payload, another
// issuer or audience, or another algorithm (none, HS256 keyed with the public key) is refused.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { buildClaims, kubernetesClaimOf, userOf, type ServiceAccountClaims } from './claims.js';
import { signingKeyFromPem } from './keys.js';
import { claimsIssuer, signToken, TokenRejected, verifyToken } from './signer.js';

const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const T0 = 1_800_000_000;
const at = (seconds: number): Date => new Date(seconds * 1000);

const pem = (): string => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const keyPromise = signingKeyFromPem(pem());

const claims = (over: Partial<Parameters<typeof buildClaims>[0]> = {}): ServiceAccountClaims =>
  buildClaims({
    issuer: ISSUER,
    serviceAccount: { namespace: 'ns', name: 'robot', uid: 'sa-uid' },
    audiences: [ISSUER],
    issuedAt: T0,
    lifetimeSeconds: 3600,
    jti: 'id-1',
    ...over,
  });

function rejection(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof TokenRejected) return err.message;
    throw err;
  }
  assert.fail('the token was accepted');
}

const b64 = (v: object): string => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('service-account token signing', () => {
  it('builds the claims Kubernetes puts in a token', () => {
    const c = claims({ bound: { pod: { name: 'p', uid: 'pod-uid' }, node: { name: 'n1', uid: 'node-uid' } }, warnAfterSeconds: 3607 });
    assert.equal(c.sub, 'system:serviceaccount:ns:robot');
    assert.deepEqual([c.iat, c.nbf, c.exp], [T0, T0, T0 + 3600]);
    assert.deepEqual(c['kubernetes.io'], {
      namespace: 'ns',
      serviceaccount: { name: 'robot', uid: 'sa-uid' },
      pod: { name: 'p', uid: 'pod-uid' },
      node: { name: 'n1', uid: 'node-uid' },
      warnafter: T0 + 3607,
    });
  });

  it('verifies what it signed, with the key id in the header', async () => {
    const key = await keyPromise;
    const token = await signToken(key, claims());
    const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as Record<string, unknown>;
    assert.deepEqual(header, { alg: 'RS256', kid: key.kid });
    assert.ok(claimsIssuer(token, ISSUER));
    assert.equal(claimsIssuer(token, 'https://other'), false);
    assert.equal(claimsIssuer('0123abcd', ISSUER), false);
    const payload = verifyToken(key, token, { issuer: ISSUER, audiences: [ISSUER], now: at(T0 + 10) });
    assert.equal(payload.sub, 'system:serviceaccount:ns:robot');
  });

  it('enforces expiry and not-before with a minute of leeway', async () => {
    const key = await keyPromise;
    const token = await signToken(key, claims());
    const check = (now: number): void => void verifyToken(key, token, { issuer: ISSUER, audiences: [ISSUER], now: at(now) });
    check(T0 + 3600 + 59);
    assert.equal(rejection(() => check(T0 + 3600 + 60)), 'service account token has expired');
    check(T0 - 59);
    assert.equal(rejection(() => check(T0 - 61)), 'service account token is not valid yet');
  });

  it('refuses a changed payload, another issuer or audience', async () => {
    const key = await keyPromise;
    const token = await signToken(key, claims());
    const [h, , s] = token.split('.');
    const forged = `${h}.${b64({ ...claims(), sub: 'system:serviceaccount:kube-system:admin' })}.${s}`;
    const opts = { issuer: ISSUER, audiences: [ISSUER], now: at(T0) };
    assert.equal(rejection(() => verifyToken(key, forged, opts)), 'invalid signature');
    const other = await signToken(key, claims({ issuer: 'https://other' }));
    assert.match(rejection(() => verifyToken(key, other, opts)), /issuer/);
    const vault = await signToken(key, claims({ audiences: ['vault'] }));
    assert.match(rejection(() => verifyToken(key, vault, opts)), /audiences/);
    assert.ok(verifyToken(key, vault, { ...opts, audiences: ['vault', 'x'] }));
  });

  it('refuses tokens signed another way or signed by another key', async () => {
    const key = await keyPromise;
    const opts = { issuer: ISSUER, audiences: [ISSUER], now: at(T0) };
    const body = b64(claims());
    assert.match(rejection(() => verifyToken(key, `${b64({ alg: 'none' })}.${body}.`, opts)), /none/);
    const hsHeader = b64({ alg: 'HS256' });
    const spki = key.publicKey.export({ type: 'spki', format: 'pem' });
    const hs = createHmac('sha256', spki).update(`${hsHeader}.${body}`).digest('base64url');
    assert.match(rejection(() => verifyToken(key, `${hsHeader}.${body}.${hs}`, opts)), /HS256/);
    const stranger = await signToken(await signingKeyFromPem(pem()), claims());
    assert.equal(rejection(() => verifyToken(key, stranger, opts)), 'invalid signature');
    assert.match(rejection(() => verifyToken(key, 'a.b', opts)), /malformed/);
  });

  it('reads the kubernetes.io claim and the user it stands for', () => {
    const c = claims({ bound: { pod: { name: 'p', uid: 'pod-uid' } } });
    const k = kubernetesClaimOf({ ...c });
    assert.ok(k);
    const user = userOf(k, c.jti);
    assert.equal(user.name, 'system:serviceaccount:ns:robot');
    assert.equal(user.uid, 'sa-uid');
    assert.deepEqual(user.groups, ['system:serviceaccounts', 'system:serviceaccounts:ns', 'system:authenticated']);
    assert.deepEqual(user.extra, {
      'authentication.kubernetes.io/credential-id': ['JTI=id-1'],
      'authentication.kubernetes.io/pod-name': ['p'],
      'authentication.kubernetes.io/pod-uid': ['pod-uid'],
    });
    // A subject that does not name the account in the claim is not one of our tokens.
    assert.equal(kubernetesClaimOf({ ...c, sub: 'system:serviceaccount:ns:other' }), undefined);
    assert.equal(kubernetesClaimOf({ sub: c.sub }), undefined);
  });
});
