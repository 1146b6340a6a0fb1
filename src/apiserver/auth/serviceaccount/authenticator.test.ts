// Authenticating with service-account tokens: a token logs in as its account (with the groups
// and extra Kubernetes gives), only while its account and bound object exist with the same uid
// (a deletion more than a minute old counts as gone), only before it expires and only for the
// API server's audience. Static tokens and other issuers' JWTs are left to other authenticators.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import type { ApiObject } from '../../../api/kind.js';
import { AuthenticatorChain, type Authenticator } from '../tokens.js';
import { ServiceAccountAuthenticator } from './authenticator.js';
import { signingKeyFromPem } from './keys.js';
import type { BoundKind, ObjectLookup } from './lookup.js';
import { issueToken, type TokenIssuerDeps } from './token-request.js';

const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const T0 = new Date('2026-01-01T00:00:00Z');
const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const keyPromise = signingKeyFromPem(pem);

/** A mutable world of objects and a clock the tests move. */
class World implements ObjectLookup {
  readonly objects = new Map<string, ApiObject>();
  now = T0;
  put(kind: BoundKind, obj: ApiObject): void {
    this.objects.set(`${kind}/${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`, obj);
  }
  remove(kind: BoundKind, namespace: string, name: string): void {
    this.objects.delete(`${kind}/${namespace}/${name}`);
  }
  cached(kind: BoundKind, ref: { namespace: string; name: string }): ApiObject | undefined {
    return this.objects.get(`${kind}/${ref.namespace}/${ref.name}`);
  }
  async fresh(kind: BoundKind, ref: { namespace: string; name: string }): Promise<ApiObject | undefined> {
    return this.cached(kind, ref);
  }
}

async function setup(): Promise<{ world: World; auth: ServiceAccountAuthenticator; issue(spec: object): Promise<string> }> {
  const world = new World();
  world.put('ServiceAccount', { metadata: { name: 'robot', namespace: 'ns', uid: 'sa-uid' } });
  world.put('Pod', { metadata: { name: 'web', namespace: 'ns', uid: 'pod-uid' }, spec: { serviceAccountName: 'robot' } });
  world.put('Node', { metadata: { name: 'n1', uid: 'node-uid' } });
  const deps: TokenIssuerDeps = { key: await keyPromise, issuer: ISSUER, apiAudiences: [ISSUER], lookup: world, now: () => world.now };
  const auth = new ServiceAccountAuthenticator(deps);
  const issue = async (spec: object): Promise<string> => {
    const r = await issueToken(deps, { namespace: 'ns', name: 'robot', body: { spec }, dryRun: false, fieldValidation: 'Strict', warnings: [] });
    return (r.status as { token: string }).token;
  };
  return { world, auth, issue };
}

const later = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);

describe('ServiceAccountAuthenticator', () => {
  it('logs a token in as its service account', async () => {
    const { auth, issue } = await setup();
    const user = auth.authenticate(await issue({ boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web' } }));
    assert.ok(user);
    assert.equal(user.name, 'system:serviceaccount:ns:robot');
    assert.equal(user.uid, 'sa-uid');
    assert.deepEqual(user.groups, ['system:serviceaccounts', 'system:serviceaccounts:ns', 'system:authenticated']);
    assert.deepEqual(user.extra?.['authentication.kubernetes.io/pod-name'], ['web']);
    assert.match(user.extra?.['authentication.kubernetes.io/credential-id']?.[0] ?? '', /^JTI=/);
  });

  it('stops at expiry, after the leeway', async () => {
    const { world, auth, issue } = await setup();
    const token = await issue({ expirationSeconds: 600 });
    world.now = later(600 + 59);
    assert.ok(auth.authenticate(token));
    world.now = later(600 + 60);
    assert.equal(auth.authenticate(token), undefined);
    assert.deepEqual(auth.check(token, { audiences: [ISSUER] }), { result: 'rejected', reason: 'service account token has expired' });
  });

  it('refuses tokens meant for someone else', async () => {
    const { auth, issue } = await setup();
    const token = await issue({ audiences: ['vault'] });
    assert.equal(auth.authenticate(token), undefined);
    const r = auth.check(token, { audiences: ['vault'] });
    assert.equal(r.result, 'authenticated');
    assert.deepEqual(r.result === 'authenticated' && r.audiences, ['vault']);
  });

  it('dies with its pod, a minute after the deletion started', async () => {
    const { world, auth, issue } = await setup();
    const token = await issue({ boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web' } });
    world.put('Pod', { metadata: { name: 'web', namespace: 'ns', uid: 'pod-uid', deletionTimestamp: T0.toISOString() }, spec: {} });
    world.now = later(59);
    assert.ok(auth.authenticate(token), 'still valid early in the grace period');
    world.now = later(61);
    assert.deepEqual(auth.check(token, { audiences: [ISSUER] }), { result: 'rejected', reason: 'service account token has been invalidated' });
    world.remove('Pod', 'ns', 'web');
    world.now = T0;
    assert.equal(auth.authenticate(token), undefined);
    // A new pod of the same name is another pod.
    world.put('Pod', { metadata: { name: 'web', namespace: 'ns', uid: 'new-uid' }, spec: { serviceAccountName: 'robot' } });
    assert.equal(auth.authenticate(token), undefined);
  });

  it('dies with its service account and with its node', async () => {
    const { world, auth, issue } = await setup();
    const plain = await issue({});
    const nodeBound = await issue({ boundObjectRef: { kind: 'Node', apiVersion: 'v1', name: 'n1' } });
    assert.ok(auth.authenticate(nodeBound));
    world.remove('Node', '', 'n1');
    assert.equal(auth.authenticate(nodeBound), undefined);
    world.put('ServiceAccount', { metadata: { name: 'robot', namespace: 'ns', uid: 'recreated' } });
    assert.match(auth.check(plain, { audiences: [ISSUER] }).result, /rejected/);
    world.remove('ServiceAccount', 'ns', 'robot');
    assert.equal(auth.authenticate(plain), undefined);
  });

  it('leaves other tokens to the rest of the chain', async () => {
    const { auth, issue } = await setup();
    assert.deepEqual(auth.check('0123456789abcdef', { audiences: [ISSUER] }), { result: 'not-ours' });
    const staticTokens: Authenticator = { authenticate: (t) => (t === 'admin-secret' ? { name: 'admin', groups: ['system:masters'] } : undefined) };
    const chain = new AuthenticatorChain([staticTokens, auth]);
    assert.equal(chain.authenticate('admin-secret')?.name, 'admin');
    assert.equal(chain.authenticate(await issue({}))?.name, 'system:serviceaccount:ns:robot');
    assert.equal(chain.authenticate('nobody'), undefined);
  });
});
