// Issuing tokens through the TokenRequest logic against an in-memory set of objects: defaults and
// validation as Kubernetes words them, the account and bound objects that must exist (with the
// uid given), a pod that must run as the account, the kubelet's extended lifetime, dry runs.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import type { ApiObject } from '../../../api/kind.js';
import { StatusError } from '../../../lib/errors.js';
import { signingKeyFromPem } from './keys.js';
import type { BoundKind, ObjectLookup, ObjectRef } from './lookup.js';
import { EXTENDED_EXPIRATION_SECONDS, issueToken, type TokenIssuerDeps, type TokenRequestInput } from './token-request.js';

const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const NOW = new Date('2026-01-01T00:00:00Z');
const NOW_S = NOW.getTime() / 1000;

const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const keyPromise = signingKeyFromPem(pem);

function objects(list: { kind: BoundKind; obj: ApiObject }[]): ObjectLookup {
  const find = (kind: BoundKind, ref: ObjectRef): ApiObject | undefined =>
    list.find((o) => o.kind === kind && o.obj.metadata?.name === ref.name && (o.obj.metadata?.namespace ?? '') === ref.namespace)?.obj;
  return { cached: find, fresh: async (kind, ref) => find(kind, ref) };
}

const WORLD = objects([
  { kind: 'ServiceAccount', obj: { metadata: { name: 'robot', namespace: 'ns', uid: 'sa-uid' } } },
  { kind: 'Pod', obj: { metadata: { name: 'web', namespace: 'ns', uid: 'pod-uid' }, spec: { serviceAccountName: 'robot', nodeName: 'n1' } } },
  { kind: 'Pod', obj: { metadata: { name: 'other', namespace: 'ns', uid: 'other-uid' }, spec: { serviceAccountName: 'default' } } },
  { kind: 'Secret', obj: { metadata: { name: 's', namespace: 'ns', uid: 'secret-uid' } } },
  { kind: 'Node', obj: { metadata: { name: 'n1', uid: 'node-uid' } } },
]);

async function deps(): Promise<TokenIssuerDeps> {
  return { key: await keyPromise, issuer: ISSUER, apiAudiences: [ISSUER], lookup: WORLD, now: () => NOW };
}

const input = (spec: Record<string, unknown>, over: Partial<TokenRequestInput> = {}): TokenRequestInput => ({
  namespace: 'ns',
  name: 'robot',
  body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec },
  dryRun: false,
  fieldValidation: 'Strict',
  warnings: [],
  ...over,
});

type Answer = { spec: Record<string, unknown>; status: { token: string; expirationTimestamp: string } };
const issue = async (i: TokenRequestInput): Promise<Answer> => (await issueToken(await deps(), i)) as unknown as Answer;

const payloadOf = (token: string): Record<string, unknown> => JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;

async function failure(i: TokenRequestInput): Promise<StatusError> {
  try {
    await issueToken(await deps(), i);
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  assert.fail('the request was accepted');
}

describe('TokenRequest', () => {
  it('issues an hour-long token for the API server by default', async () => {
    const r = await issue(input({}));
    assert.deepEqual(r.spec, { audiences: [ISSUER], expirationSeconds: 3600, boundObjectRef: null });
    assert.equal(r.status.expirationTimestamp, '2026-01-01T01:00:00Z');
    const p = payloadOf(r.status.token);
    assert.equal(p.sub, 'system:serviceaccount:ns:robot');
    assert.deepEqual(p.aud, [ISSUER]);
    assert.equal(p.exp, NOW_S + 3600);
    assert.equal(typeof p.jti, 'string');
    assert.deepEqual(p['kubernetes.io'], { namespace: 'ns', serviceaccount: { name: 'robot', uid: 'sa-uid' } });
  });

  it('validates the lifetime and the names as Kubernetes does', async () => {
    const short = await failure(input({ expirationSeconds: 599 }));
    assert.equal(short.code, 422);
    assert.equal(short.message, 'TokenRequest.authentication.k8s.io "robot" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes');
    const named = await failure({ ...input({}), body: { spec: {}, metadata: { name: 'someone-else' } } });
    assert.equal(named.code, 422);
    assert.match(named.message, /metadata.name: Invalid value: "someone-else"/);
    const strict = await failure(input({ expirationSecond: 700 }));
    assert.equal(strict.code, 400);
    assert.match(strict.message, /unknown field "spec.expirationSecond"/);
  });

  it('needs the ServiceAccount and the bound object', async () => {
    const missing = await failure(input({}, { name: 'ghost' }));
    assert.equal(missing.code, 404);
    assert.equal(missing.message, 'serviceaccounts "ghost" not found');
    const pod = await failure(input({ boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'gone' } }));
    assert.equal(pod.message, 'pods "gone" not found');
    const kind = await failure(input({ boundObjectRef: { kind: 'ConfigMap', apiVersion: 'v1', name: 'c' } }));
    assert.equal(kind.code, 400);
    const uid = await failure(input({ boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 's', uid: 'old-uid' } }));
    assert.equal(uid.code, 409);
    assert.match(uid.message, /^Operation cannot be fulfilled on Secret "s": the UID in the bound object reference \(old-uid\)/);
    const wrongAccount = await failure(input({ boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'other' } }));
    assert.equal(wrongAccount.code, 400);
  });

  it('binds to a pod, recording its node', async () => {
    const r = await issue(input({ boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web', uid: 'pod-uid' }, audiences: ['vault'] }));
    const k = payloadOf(r.status.token)['kubernetes.io'] as Record<string, unknown>;
    assert.deepEqual(k.pod, { name: 'web', uid: 'pod-uid' });
    assert.deepEqual(k.node, { name: 'n1', uid: 'node-uid' });
    assert.equal(k.warnafter, undefined);
    assert.deepEqual(payloadOf(r.status.token).aud, ['vault']);
  });

  it('binds to a node or a secret', async () => {
    const node = await issue(input({ boundObjectRef: { kind: 'Node', apiVersion: 'v1', name: 'n1' } }));
    assert.deepEqual((payloadOf(node.status.token)['kubernetes.io'] as Record<string, unknown>).node, { name: 'n1', uid: 'node-uid' });
    const secret = await issue(input({ boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 's' } }));
    assert.deepEqual((payloadOf(secret.status.token)['kubernetes.io'] as Record<string, unknown>).secret, { name: 's', uid: 'secret-uid' });
  });

  it("extends a kubelet's pod-bound 3607 s token to a year, reporting the lifetime asked for", async () => {
    const ref = { kind: 'Pod', apiVersion: 'v1', name: 'web' };
    const r = await issue(input({ boundObjectRef: ref, expirationSeconds: 3607 }));
    const p = payloadOf(r.status.token);
    assert.equal(p.exp, NOW_S + EXTENDED_EXPIRATION_SECONDS);
    assert.equal((p['kubernetes.io'] as Record<string, unknown>).warnafter, NOW_S + 3607);
    assert.equal(r.status.expirationTimestamp, new Date((NOW_S + 3607) * 1000).toISOString().replace('.000', ''));
    // Not for other audiences, and not for unbound tokens.
    assert.equal(payloadOf((await issue(input({ boundObjectRef: ref, expirationSeconds: 3607, audiences: ['vault'] }))).status.token).exp, NOW_S + 3607);
    assert.equal(payloadOf((await issue(input({ expirationSeconds: 3607 }))).status.token).exp, NOW_S + 3607);
  });

  it('signs nothing on a dry run', async () => {
    const r = await issue(input({}, { dryRun: true }));
    assert.equal(r.status.token, '');
  });
});
