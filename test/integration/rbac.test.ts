// RBAC end to end with the real kubectl 1.32 against a `tug server` (run `npm run build` first:
// bin/tug.js prefers dist/). A ServiceAccount's token is refused with Kubernetes' exact 403
// until a RoleBinding grants it `view` in its namespace; then it can read but not delete
// (`kubectl auth can-i`, `--list`), still only there. A namespace admin cannot hand out more
// than it holds (escalation prevention), the `view` role grows when an add-on's ClusterRole is
// labelled to aggregate into it, impersonation (`--as`) needs the impersonate verb, and
// SubjectAccessReview answers for someone else.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { kubectl, kubectlOk, type KubectlResult } from '../support/kubectl.js';
import { eventually } from '../support/eventually.js';
import { rawRequest } from '../support/raw-https.js';
import { startTugServer, type TugServer } from '../support/tug-server.js';

let s: TugServer;
const k = (args: string[], stdin?: string): Promise<string> => kubectlOk(args, { kubeconfig: s.kubeconfig, ...(stdin ? { stdin } : {}) });
const as = (token: string, args: string[]): Promise<KubectlResult> => kubectl([`--token=${token}`, ...args], { kubeconfig: s.kubeconfig });
const tokenOf = async (ns: string, sa: string): Promise<string> => (await k(['create', 'token', sa, '-n', ns])).trim();
const READER = 'system:serviceaccount:team:reader';

describe('RBAC with kubectl', { timeout: 180_000 }, () => {
  let reader = '';

  before(async () => {
    s = await startTugServer();
    await k(['create', 'namespace', 'team']);
    await k(['create', 'serviceaccount', 'reader', '-n', 'team']);
    await k(['create', 'serviceaccount', 'lead', '-n', 'team']);
    reader = await tokenOf('team', 'reader');
  });

  after(async () => {
    await s?.cleanup();
  });

  it('refuses an unbound ServiceAccount with Kubernetes\' message, but lets it discover and ask', async () => {
    const r = await as(reader, ['get', 'pods', '-n', 'team']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), `Error from server (Forbidden): pods is forbidden: User "${READER}" cannot list resource "pods" in API group "" in the namespace "team"`);
    const raw = await rawRequest(s, { path: '/api/v1/namespaces/team/pods', token: reader });
    assert.equal(raw.status, 403);
    assert.deepEqual(raw.json, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `pods is forbidden: User "${READER}" cannot list resource "pods" in API group "" in the namespace "team"`,
      reason: 'Forbidden',
      details: { group: '', kind: 'pods' },
      code: 403,
    });
    const nodes = await as(reader, ['get', 'nodes']);
    assert.match(nodes.stderr, /nodes is forbidden: User "system:serviceaccount:team:reader" cannot list resource "nodes" in API group "" at the cluster scope/);
    const metrics = await as(reader, ['get', '--raw', '/metrics']);
    assert.match(metrics.stderr, /forbidden: User "system:serviceaccount:team:reader" cannot get path "\/metrics"/);
    // Discovery, version and "who am I / what may I do" are every authenticated user's.
    assert.match((await as(reader, ['get', '--raw', '/version'])).stdout, /gitVersion/);
    assert.match((await as(reader, ['api-resources', '--api-group=rbac.authorization.k8s.io', '-o', 'name'])).stdout, /rolebindings\.rbac\.authorization\.k8s\.io/);
    assert.match((await as(reader, ['auth', 'whoami'])).stdout, /system:serviceaccount:team:reader/);
    const can = await as(reader, ['auth', 'can-i', 'list', 'pods', '-n', 'team']);
    assert.deepEqual([can.code, can.stdout.trim()], [1, 'no']);
  });

  it('reads but does not delete once bound to view in its namespace', async () => {
    await k(['create', 'rolebinding', 'reader-view', '--clusterrole=view', '--serviceaccount=team:reader', '-n', 'team']);
    await eventually(async () => (await as(reader, ['get', 'pods', '-n', 'team'])).code === 0, { what: 'the binding to take effect' });
    assert.equal((await as(reader, ['auth', 'can-i', 'list', 'pods', '-n', 'team'])).stdout.trim(), 'yes');
    const del = await as(reader, ['auth', 'can-i', 'delete', 'pods', '-n', 'team']);
    assert.deepEqual([del.code, del.stdout.trim()], [1, 'no']);
    assert.equal((await as(reader, ['auth', 'can-i', 'list', 'pods', '-n', 'default'])).stdout.trim(), 'no', 'only in its namespace');
    assert.equal((await as(reader, ['auth', 'can-i', 'get', 'secrets', '-n', 'team'])).stdout.trim(), 'no', 'view does not read secrets');
    assert.match((await as(reader, ['get', 'pods', '-n', 'default'])).stderr, /cannot list resource "pods" in API group "" in the namespace "default"/);
    const list = (await as(reader, ['auth', 'can-i', '--list', '-n', 'team'])).stdout;
    const row = (name: string): string[] | undefined => list.split('\n').map((l) => l.trim().split(/\s{2,}/)).find((cells) => cells[0] === name);
    assert.deepEqual(row('pods'), ['pods', '[]', '[]', '[get list watch]']);
    assert.deepEqual(row('deployments.apps'), ['deployments.apps', '[]', '[]', '[get list watch]']);
    assert.deepEqual(row('selfsubjectaccessreviews.authorization.k8s.io'), ['selfsubjectaccessreviews.authorization.k8s.io', '[]', '[]', '[create]']);
    assert.equal(row('secrets'), undefined);
    const wide = await k(['get', 'rolebindings', '-n', 'team', '-o', 'wide']);
    assert.match(wide, /reader-view\s+ClusterRole\/view\s+\S+\s+team\/reader/);
    // The admin holds system:masters.
    assert.equal((await k(['auth', 'can-i', '*', '*'])).trim(), 'yes');
    // The admin may impersonate; the account may not.
    assert.equal((await k(['auth', 'can-i', 'list', 'pods', '-n', 'team', `--as=${READER}`])).trim(), 'yes');
    assert.equal((await kubectl(['auth', 'can-i', 'delete', 'pods', '-n', 'team', `--as=${READER}`], { kubeconfig: s.kubeconfig })).stdout.trim(), 'no');
    const imp = await as(reader, ['get', 'pods', '-n', 'team', '--as=jane']);
    assert.match(imp.stderr, /users "jane" is forbidden: User "system:serviceaccount:team:reader" cannot impersonate resource "users" in API group "" at the cluster scope/);
  });

  it('keeps a namespace admin from granting what it does not hold', async () => {
    await k(['create', 'rolebinding', 'lead-admin', '--clusterrole=admin', '--serviceaccount=team:lead', '-n', 'team']);
    const lead = await tokenOf('team', 'lead');
    await eventually(async () => (await as(lead, ['get', 'rolebindings', '-n', 'team'])).code === 0, { what: 'the admin binding' });
    const up = await as(lead, ['create', 'rolebinding', 'grab', '--clusterrole=cluster-admin', '--serviceaccount=team:lead', '-n', 'team']);
    assert.equal(up.code, 1);
    assert.match(up.stderr, /rolebindings\.rbac\.authorization\.k8s\.io "grab" is forbidden: user "system:serviceaccount:team:lead" \(groups=\[.*\]\) is attempting to grant RBAC permissions not currently held:\n\{APIGroups:\["\*"\], Resources:\["\*"\], Verbs:\["\*"\]\}/);
    const role = await as(lead, ['create', 'role', 'node-reader', '--verb=get', '--resource=nodes', '-n', 'team']);
    assert.match(role.stderr, /roles\.rbac\.authorization\.k8s\.io "node-reader" is forbidden: .*not currently held:\n\{APIGroups:\[""\], Resources:\["nodes"\], Verbs:\["get"\]\}/);
    // What it holds it may pass on.
    const ok = await as(lead, ['create', 'rolebinding', 'also-view', '--clusterrole=view', '--serviceaccount=team:reader', '-n', 'team']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal((await as(lead, ['create', 'role', 'pod-reader', '--verb=get', '--resource=pods', '-n', 'team'])).code, 0);
  });

  it('aggregates labelled ClusterRoles into view', async () => {
    const addon = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'widgets-view', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } },
      rules: [{ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get', 'list'] }],
    };
    await k(['apply', '-f', '-'], JSON.stringify(addon));
    const hasWidgets = async (role: string): Promise<boolean> => (await k(['get', 'clusterrole', role, '-o', 'json'])).includes('"widgets"');
    await eventually(() => hasWidgets('view'), { what: 'view to aggregate widgets' });
    await eventually(() => hasWidgets('admin'), { what: 'admin to aggregate widgets through edit' });
    await k(['delete', 'clusterrole', 'widgets-view']);
    await eventually(async () => !(await hasWidgets('view')), { what: 'view to drop widgets' });
  });

  it('answers SubjectAccessReviews for other users', async () => {
    const review = (verb: string) => ({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: { user: READER, groups: ['system:serviceaccounts', 'system:authenticated'], resourceAttributes: { namespace: 'team', verb, resource: 'pods' } },
    });
    const yes = await rawRequest(s, { method: 'POST', path: '/apis/authorization.k8s.io/v1/subjectaccessreviews', body: review('list'), contentType: 'application/json' });
    assert.equal(yes.status, 201);
    const status = (yes.json as { status: { allowed: boolean; reason: string } }).status;
    assert.equal(status.allowed, true);
    assert.match(status.reason, /^RBAC: allowed by RoleBinding "team\/(reader-view|also-view)" of ClusterRole "view" to ServiceAccount "team\/reader"$/);
    const no = await rawRequest(s, { method: 'POST', path: '/apis/authorization.k8s.io/v1/subjectaccessreviews', body: review('delete'), contentType: 'application/json' });
    assert.deepEqual((no.json as { status: unknown }).status, { allowed: false });
    // Asking about others is not for everyone.
    const denied = await rawRequest(s, { method: 'POST', path: '/apis/authorization.k8s.io/v1/subjectaccessreviews', body: review('list'), contentType: 'application/json', token: reader });
    assert.equal(denied.status, 403);
  });
});
