// Unit tests of the RBAC authorizer: request attributes from method and URL, rule matching
// (wildcards, subresources, resourceNames, non-resource URLs), subjects, cluster-wide versus
// namespaced bindings, the superuser group, the exact Forbidden wording, and rules coverage.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding } from '../../../api/rbac/v1/index.js';
import type { UserInfo } from '../tokens.js';
import { requestAttributes, type Attributes } from './attributes.js';
import { ruleAllows } from './rules.js';
import { RbacAuthorizer } from './rbac-authorizer.js';
import type { PolicySource } from './policy-source.js';
import { forbiddenError } from './forbidden.js';
import { compactRule, uncovered } from './covers.js';
import { authorizeStreamUpgrade } from './http.js';
import { effectiveUser } from './impersonation.js';

const attrs = (method: string, path: string): Attributes => requestAttributes(method, new URL(path, 'https://x'));
const res = (verb: string, resource: string, o: Partial<{ group: string; subresource: string; namespace: string; name: string }> = {}): Attributes => ({
  kind: 'resource',
  verb,
  group: o.group ?? '',
  version: 'v1',
  resource,
  subresource: o.subresource ?? '',
  namespace: o.namespace ?? '',
  name: o.name ?? '',
});

function policy(o: { clusterRoles?: ClusterRole[]; roles?: Role[]; crbs?: ClusterRoleBinding[]; rbs?: RoleBinding[] }): PolicySource {
  return {
    clusterRoleBindings: () => o.crbs ?? [],
    roleBindings: (ns) => (o.rbs ?? []).filter((b) => b.metadata?.namespace === ns),
    clusterRole: (name) => (o.clusterRoles ?? []).find((r) => r.metadata?.name === name),
    role: (ns, name) => (o.roles ?? []).find((r) => r.metadata?.namespace === ns && r.metadata?.name === name),
  };
}

const sa = (ns: string, name: string): UserInfo => ({ name: `system:serviceaccount:${ns}:${name}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'] });

describe('request attributes', () => {
  it('maps methods and paths to verbs like Kubernetes', () => {
    assert.deepEqual(attrs('GET', '/api/v1/namespaces/default/pods'), res('list', 'pods', { namespace: 'default' }));
    assert.deepEqual(attrs('GET', '/api/v1/namespaces/default/pods?watch=true'), res('watch', 'pods', { namespace: 'default' }));
    assert.deepEqual(attrs('GET', '/api/v1/watch/namespaces/default/pods'), res('watch', 'pods', { namespace: 'default' }));
    assert.deepEqual(attrs('GET', '/api/v1/namespaces/default/pods?fieldSelector=metadata.name%3Dweb'), res('list', 'pods', { namespace: 'default', name: 'web' }));
    assert.deepEqual(attrs('GET', '/api/v1/namespaces/default/pods/web/log'), res('get', 'pods', { namespace: 'default', name: 'web', subresource: 'log' }));
    assert.deepEqual(attrs('POST', '/api/v1/namespaces/default/pods/web/exec'), res('create', 'pods', { namespace: 'default', name: 'web', subresource: 'exec' }));
    assert.deepEqual(attrs('DELETE', '/apis/apps/v1/namespaces/a/deployments'), res('deletecollection', 'deployments', { group: 'apps', namespace: 'a' }));
    assert.deepEqual(attrs('PATCH', '/apis/apps/v1/namespaces/a/deployments/d/scale'), res('patch', 'deployments', { group: 'apps', namespace: 'a', name: 'd', subresource: 'scale' }));
    assert.deepEqual(attrs('PUT', '/api/v1/nodes/n1/status'), res('update', 'nodes', { name: 'n1', subresource: 'status' }));
    // A namespace is in itself.
    assert.deepEqual(attrs('GET', '/api/v1/namespaces/team'), res('get', 'namespaces', { namespace: 'team', name: 'team' }));
    assert.deepEqual(attrs('GET', '/api/v1/namespaces'), res('list', 'namespaces'));
  });

  it('treats discovery and everything else as non-resource paths', () => {
    assert.deepEqual(attrs('GET', '/apis/apps/v1/'), { kind: 'nonResource', verb: 'get', path: '/apis/apps/v1' });
    assert.deepEqual(attrs('GET', '/api'), { kind: 'nonResource', verb: 'get', path: '/api' });
    assert.deepEqual(attrs('GET', '/openapi/v3/apis/apps/v1'), { kind: 'nonResource', verb: 'get', path: '/openapi/v3/apis/apps/v1' });
    assert.deepEqual(attrs('POST', '/metrics'), { kind: 'nonResource', verb: 'post', path: '/metrics' });
  });
});

describe('rule matching', () => {
  const r = (o: PolicyRule): PolicyRule => o;
  it('honours wildcards, subresources and resourceNames', () => {
    assert.ok(ruleAllows(r({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }), res('delete', 'deployments', { group: 'apps', subresource: 'scale' })));
    assert.ok(ruleAllows(r({ verbs: ['get'], apiGroups: [''], resources: ['pods/log'] }), res('get', 'pods', { subresource: 'log', name: 'p' })));
    assert.ok(!ruleAllows(r({ verbs: ['get'], apiGroups: [''], resources: ['pods'] }), res('get', 'pods', { subresource: 'log', name: 'p' })), 'pods does not grant pods/log');
    assert.ok(ruleAllows(r({ verbs: ['get'], apiGroups: [''], resources: ['pods/*'] }), res('get', 'pods', { subresource: 'exec', name: 'p' })));
    assert.ok(ruleAllows(r({ verbs: ['update'], apiGroups: ['*'], resources: ['*/scale'] }), res('update', 'statefulsets', { group: 'apps', subresource: 'scale' })));
    assert.ok(!ruleAllows(r({ verbs: ['get'], apiGroups: ['apps'], resources: ['pods'] }), res('get', 'pods')), 'wrong group');
    assert.ok(!ruleAllows(r({ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }), res('watch', 'pods')), 'wrong verb');
    const named = r({ verbs: ['get', 'list'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['app'] });
    assert.ok(ruleAllows(named, res('get', 'configmaps', { name: 'app' })));
    assert.ok(!ruleAllows(named, res('get', 'configmaps', { name: 'other' })));
    assert.ok(!ruleAllows(named, res('list', 'configmaps')), 'a named rule never allows an unnamed list');
  });

  it('matches non-resource URLs exactly or by a trailing *', () => {
    const rule = r({ verbs: ['get'], nonResourceURLs: ['/healthz', '/apis/*'] });
    assert.ok(ruleAllows(rule, { kind: 'nonResource', verb: 'get', path: '/healthz' }));
    assert.ok(ruleAllows(rule, { kind: 'nonResource', verb: 'get', path: '/apis/apps/v1' }));
    assert.ok(!ruleAllows(rule, { kind: 'nonResource', verb: 'get', path: '/healthz/ping' }));
    assert.ok(!ruleAllows(rule, { kind: 'nonResource', verb: 'post', path: '/healthz' }));
    assert.ok(!ruleAllows(rule, res('get', 'pods')), 'a URL rule grants no resource');
  });
});

describe('RBAC authorizer', () => {
  const view: ClusterRole = { metadata: { name: 'view' }, rules: [{ verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['pods'] }] };
  const deployer: Role = { metadata: { name: 'deployer', namespace: 'team' }, rules: [{ verbs: ['create'], apiGroups: ['apps'], resources: ['deployments'] }] };
  const p = policy({
    clusterRoles: [view, { metadata: { name: 'nodes-reader' }, rules: [{ verbs: ['list'], apiGroups: [''], resources: ['nodes'] }] }],
    roles: [deployer],
    crbs: [{ metadata: { name: 'ops' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'nodes-reader' }, subjects: [{ kind: 'Group', name: 'ops', apiGroup: 'rbac.authorization.k8s.io' }] }],
    rbs: [
      { metadata: { name: 'v', namespace: 'team' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'ServiceAccount', name: 'ci' }] },
      { metadata: { name: 'd', namespace: 'team' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'deployer' }, subjects: [{ kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' }] },
      { metadata: { name: 'gone', namespace: 'team' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'missing' }, subjects: [{ kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' }] },
    ],
  });
  const a = new RbacAuthorizer(p);

  it('grants a RoleBinding only in its namespace, to a ServiceAccount of that namespace by default', () => {
    const d = a.authorize(sa('team', 'ci'), res('list', 'pods', { namespace: 'team' }));
    assert.deepEqual(d, { allowed: true, reason: 'RBAC: allowed by RoleBinding "team/v" of ClusterRole "view" to ServiceAccount "ci"' });
    assert.equal(a.authorize(sa('team', 'ci'), res('list', 'pods', { namespace: 'other' })).allowed, false);
    assert.equal(a.authorize(sa('team', 'ci'), res('list', 'pods')).allowed, false, 'not across all namespaces');
    assert.equal(a.authorize(sa('other', 'ci'), res('list', 'pods', { namespace: 'team' })).allowed, false, 'same name, other namespace');
    assert.equal(a.authorize(sa('team', 'ci'), res('delete', 'pods', { namespace: 'team', name: 'x' })).allowed, false);
  });

  it('grants ClusterRoleBindings everywhere, by group, and Roles to users', () => {
    const ops: UserInfo = { name: 'sam', groups: ['ops', 'system:authenticated'] };
    assert.equal(a.authorize(ops, res('list', 'nodes')).allowed, true);
    assert.equal(a.authorize({ name: 'ops', groups: [] }, res('list', 'nodes')).allowed, false, 'a user named like the group is not in it');
    assert.equal(a.authorize({ name: 'jane', groups: [] }, res('create', 'deployments', { group: 'apps', namespace: 'team' })).allowed, true);
  });

  it('lets system:masters do anything and lists the rules that apply', () => {
    assert.equal(a.authorize({ name: 'admin', groups: ['system:masters'] }, res('delete', 'anything', { group: 'x' })).allowed, true);
    const set = a.rulesFor({ name: 'jane', groups: [] }, 'team');
    assert.deepEqual(set.rules, deployer.rules);
    assert.deepEqual(set.errors, ['role.rbac.authorization.k8s.io "missing" not found']);
  });
});

describe('forbidden wording', () => {
  const user = sa('default', 'default');
  it('matches Kubernetes for namespaced, cluster-scoped, named and non-resource requests', () => {
    const e = forbiddenError(user, res('list', 'pods', { namespace: 'default' }));
    assert.equal(e.code, 403);
    assert.equal(e.message, 'pods is forbidden: User "system:serviceaccount:default:default" cannot list resource "pods" in API group "" in the namespace "default"');
    assert.deepEqual(e.toStatus().details, { group: '', kind: 'pods' });
    assert.equal(
      forbiddenError(user, res('get', 'deployments', { group: 'apps', namespace: 'a', name: 'web', subresource: 'scale' })).message,
      'deployments.apps "web" is forbidden: User "system:serviceaccount:default:default" cannot get resource "deployments/scale" in API group "apps" in the namespace "a"',
    );
    assert.equal(forbiddenError(user, res('list', 'nodes')).message, 'nodes is forbidden: User "system:serviceaccount:default:default" cannot list resource "nodes" in API group "" at the cluster scope');
    assert.equal(forbiddenError(user, { kind: 'nonResource', verb: 'get', path: '/metrics' }).message, 'forbidden: User "system:serviceaccount:default:default" cannot get path "/metrics"');
  });
});

describe('rules coverage', () => {
  it('finds what a requested rule grants beyond the owned ones', () => {
    const owned: PolicyRule[] = [
      { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', 'pods/*'] },
      { verbs: ['*'], apiGroups: ['apps'], resources: ['deployments'] },
      { verbs: ['get'], nonResourceURLs: ['/logs/*'] },
    ];
    assert.deepEqual(uncovered(owned, [{ verbs: ['get'], apiGroups: [''], resources: ['pods', 'pods/log'] }]), []);
    assert.deepEqual(uncovered(owned, [{ verbs: ['delete', 'update'], apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['web'] }]), []);
    assert.deepEqual(uncovered(owned, [{ verbs: ['get'], nonResourceURLs: ['/logs/kube'] }]), []);
    assert.deepEqual(
      uncovered(owned, [{ verbs: ['get', 'delete'], apiGroups: [''], resources: ['pods'] }]).map(compactRule),
      ['{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}'],
    );
    // Holding every verb that exists is not holding "*".
    assert.equal(uncovered([{ verbs: ['get', 'list'], apiGroups: ['*'], resources: ['*'] }], [{ verbs: ['*'], apiGroups: [''], resources: ['pods'] }]).length, 1);
    assert.equal(uncovered(owned, [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }]).length, 1);
  });
});

describe('streaming upgrades', () => {
  const readExec: ClusterRole = { metadata: { name: 'exec-get' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods/exec'] }] };
  const fullExec: ClusterRole = { metadata: { name: 'exec-all' }, rules: [{ verbs: ['get', 'create'], apiGroups: [''], resources: ['pods/exec'] }] };
  const bind = (user: string, role: string): ClusterRoleBinding => ({
    metadata: { name: user },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: [{ kind: 'User', name: user, apiGroup: 'rbac.authorization.k8s.io' }],
  });
  const a = new RbacAuthorizer(policy({ clusterRoles: [readExec, fullExec], crbs: [bind('reader', 'exec-get'), bind('operator', 'exec-all')] }));
  const url = new URL('https://x/api/v1/namespaces/d/pods/web/exec?command=sh&stdin=true');

  it('needs create as well as get for a WebSocket exec', () => {
    assert.throws(() => authorizeStreamUpgrade(a, { name: 'reader', groups: [] }, { method: 'GET', url }), /pods "web" is forbidden: User "reader" cannot create resource "pods\/exec" in API group "" in the namespace "d"/);
    assert.doesNotThrow(() => authorizeStreamUpgrade(a, { name: 'operator', groups: [] }, { method: 'GET', url }));
    assert.throws(() => authorizeStreamUpgrade(a, { name: 'nobody', groups: [] }, { method: 'POST', url }), /cannot create resource "pods\/exec"/);
  });
});

describe('impersonation', () => {
  const impersonator: ClusterRole = { metadata: { name: 'imp' }, rules: [{ verbs: ['impersonate'], apiGroups: [''], resources: ['users', 'groups'], resourceNames: ['jane', 'devs'] }] };
  const a = new RbacAuthorizer(
    policy({
      clusterRoles: [impersonator],
      crbs: [{ metadata: { name: 'imp' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'imp' }, subjects: [{ kind: 'User', name: 'sam', apiGroup: 'rbac.authorization.k8s.io' }] }],
    }),
  );
  const sam: UserInfo = { name: 'sam', groups: ['system:authenticated'] };

  it('acts as the named user only when allowed to impersonate it and each group', () => {
    assert.equal(effectiveUser(a, sam, {}), sam);
    assert.deepEqual(effectiveUser(a, sam, { 'impersonate-user': 'jane', 'impersonate-group': ['devs'] }), { name: 'jane', groups: ['devs', 'system:authenticated'] });
    assert.throws(() => effectiveUser(a, sam, { 'impersonate-user': 'root' }), /users "root" is forbidden: User "sam" cannot impersonate resource "users" in API group "" at the cluster scope/);
    assert.throws(() => effectiveUser(a, sam, { 'impersonate-user': 'jane', 'impersonate-group': 'system:masters' }), /groups "system:masters" is forbidden/);
    assert.throws(() => effectiveUser(a, sam, { 'impersonate-user': 'system:serviceaccount:a:b' }), /serviceaccounts "b" is forbidden: .* in the namespace "a"/);
    const admin: UserInfo = { name: 'admin', groups: ['system:masters'] };
    assert.deepEqual(effectiveUser(a, admin, { 'impersonate-user': 'system:serviceaccount:a:b' }), {
      name: 'system:serviceaccount:a:b',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:a', 'system:authenticated'],
    });
  });
});
