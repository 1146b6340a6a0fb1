// Service-account tokens end to end: a real `tug server` run from the sources (so a stale or
// half-built dist/ does not matter), driven by the real kubectl 1.32 (which sends TokenRequest as
// protobuf) and 1.27. A token from `kubectl create token` logs in as the account (`auth whoami`),
// an expired or tampered one is refused with 401, and a pod-bound one stops working once its pod
// is deleted. Issuer discovery is served to authenticated users only.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually } from '../../../../test/support/eventually.js';
import { kubectl, kubectlOk } from '../../../../test/support/kubectl.js';
import { rawRequest, type RawTarget } from '../../../../test/support/raw-https.js';
import { freePort } from '../../../../test/support/tug-server.js';
import { buildClaims } from './claims.js';
import { signingKeyFromPem } from './keys.js';
import { signToken } from './signer.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const ISSUER = 'https://kubernetes.default.svc.cluster.local';

interface Server {
  dataDir: string;
  kubeconfig: string;
  target: RawTarget;
  child: ChildProcess;
}

async function startServer(): Promise<Server> {
  const dataDir = await mkdtemp(join(tmpdir(), 'tug-sa-'));
  const port = await freePort();
  const args = ['--import', 'tsx', join(ROOT, 'src', 'cmd', 'main.ts'), 'server', '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`, '--datastore', 'sqlite'];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const kubeconfig = join(dataDir, 'admin.kubeconfig');
  await eventually(() => child.exitCode === null && existsSync(kubeconfig), { timeoutMs: 60_000, what: `tug server to start:\n${stderr}` });
  const caCertPem = await readFile(join(dataDir, 'tls', 'ca.crt'), 'utf8');
  const token = (await readFile(join(dataDir, 'admin-token'), 'utf8')).trim();
  return { dataDir, kubeconfig, child, target: { url: `https://127.0.0.1:${port}`, caCertPem, token } };
}

async function stopServer(s: Server): Promise<void> {
  if (s.child.exitCode === null && s.child.signalCode === null) {
    const exited = new Promise((resolve) => s.child.once('exit', resolve));
    s.child.kill('SIGTERM');
    const timer = setTimeout(() => s.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
  await rm(s.dataDir, { recursive: true, force: true });
}

describe('service-account tokens with kubectl', () => {
  let s: Server;
  const k = (args: string[], version = '1.32'): Promise<string> => kubectlOk(args, { kubeconfig: s.kubeconfig, version });
  /** The exit code and output of kubectl logged in with a bearer token instead of the admin's. */
  const as = (token: string, args: string[], version = '1.32'): ReturnType<typeof kubectl> => kubectl([`--token=${token}`, ...args], { kubeconfig: s.kubeconfig, version });

  before(async () => {
    s = await startServer();
    // The serviceaccount controller makes each namespace's default account.
    await eventually(async () => (await kubectl(['get', 'serviceaccount', 'default'], { kubeconfig: s.kubeconfig })).code === 0, { what: 'the default ServiceAccount' });
    // RBAC: the tests below read pods as the account, which needs a grant (test/integration/rbac.test.ts covers denial).
    await k(['create', 'rolebinding', 'default-view', '--clusterrole=view', '--serviceaccount=default:default']);
  });
  after(async () => {
    if (s) await stopServer(s);
  });

  it('kubectl create token gives a JWT that logs in as the service account', async () => {
    const token = (await k(['create', 'token', 'default'])).trim();
    assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    const pods = await as(token, ['get', 'pods']);
    assert.equal(pods.code, 0, pods.stderr);
    const who = await as(token, ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username} {.status.userInfo.groups}']);
    assert.equal(who.code, 0, who.stderr);
    assert.equal(who.stdout, 'system:serviceaccount:default:default ["system:serviceaccounts","system:serviceaccounts:default","system:authenticated"]');
  });

  it('works with kubectl 1.27 (TokenRequest as JSON, SelfSubjectReview v1beta1)', async () => {
    const out = JSON.parse(await k(['create', 'token', 'default', '--duration', '15m', '-o', 'json'], '1.27')) as { spec: { expirationSeconds: number }; status: { token: string; expirationTimestamp: string } };
    assert.equal(out.spec.expirationSeconds, 900);
    const left = Date.parse(out.status.expirationTimestamp) - Date.now();
    assert.ok(left > 13 * 60_000 && left <= 15 * 60_000, `expires in ${left} ms`);
    const who = await as(out.status.token, ['auth', 'whoami'], '1.27');
    assert.equal(who.code, 0, who.stderr);
    assert.match(who.stdout, /Username\s+system:serviceaccount:default:default/);
  });

  it('sends the protobuf body of kubectl 1.32 through to the token', async () => {
    const token = (await k(['create', 'token', 'default', '--duration', '20m', '--audience', 'vault'])).trim();
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { aud: string[]; exp: number; iat: number };
    assert.deepEqual(claims.aud, ['vault']);
    assert.equal(claims.exp - claims.iat, 1200);
    // Meant for Vault, not for this API server.
    assert.equal((await as(token, ['get', 'pods'])).code, 1);
  });

  it('reports Kubernetes errors for bad requests', async () => {
    const short = await kubectl(['create', 'token', 'default', '--duration', '1m'], { kubeconfig: s.kubeconfig });
    assert.match(short.stderr, /spec\.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes/);
    const ghost = await kubectl(['create', 'token', 'ghost'], { kubeconfig: s.kubeconfig });
    assert.match(ghost.stderr, /serviceaccounts "ghost" not found/);
  });

  it('refuses a tampered or expired token with 401', async () => {
    const token = (await k(['create', 'token', 'default'])).trim();
    const [h, p, sig] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, exp: (claims.exp as number) + 86_400 })).toString('base64url')}.${sig}`;
    const r = await rawRequest(s.target, { path: '/api/v1/namespaces/default/pods', token: tampered });
    assert.equal(r.status, 401);

    // Signed with the server's own key, so only the expiry can be wrong with it.
    const key = await signingKeyFromPem(await readFile(join(s.dataDir, 'tls', 'sa.key'), 'utf8'));
    const uid = await k(['get', 'serviceaccount', 'default', '-o', 'jsonpath={.metadata.uid}']);
    const signed = (issuedAt: number): Promise<string> =>
      signToken(key, buildClaims({ issuer: ISSUER, serviceAccount: { namespace: 'default', name: 'default', uid }, audiences: [ISSUER], issuedAt, lifetimeSeconds: 600, jti: 'test' }));
    const now = Math.floor(Date.now() / 1000);
    assert.equal((await rawRequest(s.target, { path: '/api/v1/namespaces/default/pods', token: await signed(now) })).status, 200);
    const expired = await rawRequest(s.target, { path: '/api/v1/namespaces/default/pods', token: await signed(now - 3600) });
    assert.equal(expired.status, 401);
    assert.equal((await as(await signed(now - 3600), ['get', 'pods'])).code, 1);
  });

  it('a pod-bound token stops working when the pod is deleted', async () => {
    await k(['run', 'holder', '--image=busybox', '--restart=Never']);
    const token = (await k(['create', 'token', 'default', '--bound-object-kind', 'Pod', '--bound-object-name', 'holder'])).trim();
    const who = await as(token, ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.extra.authentication\\.kubernetes\\.io/pod-name}']);
    assert.equal(who.stdout, '["holder"]');
    await k(['delete', 'pod', 'holder', '--grace-period=0', '--force']);
    await eventually(async () => (await rawRequest(s.target, { path: '/api/v1/namespaces/default/pods', token })).status === 401, { what: 'the token to die with its pod' });
    const missing = await kubectl(['create', 'token', 'default', '--bound-object-kind', 'Pod', '--bound-object-name', 'holder'], { kubeconfig: s.kubeconfig });
    assert.match(missing.stderr, /pods "holder" not found/);
  });

  it('serves issuer discovery to authenticated users only', async () => {
    const token = (await k(['create', 'token', 'default'])).trim();
    const config = await rawRequest(s.target, { path: '/.well-known/openid-configuration', token });
    assert.equal(config.status, 200);
    assert.deepEqual((config.json as { issuer: string; jwks_uri: string }).issuer, ISSUER);
    assert.equal((config.json as { jwks_uri: string }).jwks_uri, `${s.target.url}/openid/v1/jwks`);
    const jwks = await rawRequest(s.target, { path: '/openid/v1/jwks', token });
    const kid = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()).kid as string;
    assert.deepEqual((jwks.json as { keys: { kid: string }[] }).keys.map((x) => x.kid), [kid]);
    assert.equal((await rawRequest(s.target, { path: '/openid/v1/jwks', token: null })).status, 401);
  });
});
