// The RBAC policy every Tugboat cluster starts with, as data: the user-facing roles cluster-admin,
// admin, edit and view (the last three built by aggregation from the system:aggregate-to-*
// roles, so add-ons can extend them by labelling their own ClusterRoles), the roles every
// authenticated user holds (discovery, health and version, asking what they may do), the
// token/access-review delegation role, and system:node, which is what a `tug agent` (kubelet,
// proxy, DNS, ingress) needs with the node token. Kubernetes gives nodes their rights through its
// Node authorizer; we have one shared node token, so a ClusterRole bound to system:nodes does it.
import type { ClusterRole, ClusterRoleBinding, PolicyRule } from '../../api/rbac/v1/index.js';

export const AUTOUPDATE_ANNOTATION = 'rbac.authorization.kubernetes.io/autoupdate';
const BOOTSTRAP_LABEL = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
const AGGREGATE = 'rbac.authorization.k8s.io/aggregate-to-';

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const ALL = [...READ, ...WRITE];

const rule = (verbs: string[], apiGroups: string[], resources: string[]): PolicyRule => ({ verbs, apiGroups, resources });
const urls = (verbs: string[], nonResourceURLs: string[]): PolicyRule => ({ verbs, nonResourceURLs });

function clusterRole(name: string, o: { rules?: PolicyRule[]; labels?: Record<string, string>; aggregateFrom?: string }): ClusterRole {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name, labels: { ...BOOTSTRAP_LABEL, ...o.labels }, annotations: { [AUTOUPDATE_ANNOTATION]: 'true' } },
    ...(o.aggregateFrom ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [`${AGGREGATE}${o.aggregateFrom}`]: 'true' } }] } } : {}),
    rules: o.rules ?? [],
  };
}

const VIEW_RULES: PolicyRule[] = [
  rule(READ, [''], [
    'configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'pods', 'pods/log', 'pods/status',
    'replicationcontrollers', 'replicationcontrollers/scale', 'replicationcontrollers/status', 'serviceaccounts', 'services',
    'services/status', 'bindings', 'events', 'limitranges', 'namespaces', 'namespaces/status', 'resourcequotas', 'resourcequotas/status',
  ]),
  rule(READ, ['apps'], [
    'controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status',
    'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status',
  ]),
  rule(READ, ['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
  rule(READ, ['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status']),
  rule(READ, ['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
  rule(READ, ['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies']),
  rule(READ, ['discovery.k8s.io'], ['endpointslices']),
];

const EDIT_RULES: PolicyRule[] = [
  rule(['create'], [''], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'pods/eviction', 'serviceaccounts/token']),
  rule(READ, [''], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy']),
  rule(['impersonate'], [''], ['serviceaccounts']),
  rule(WRITE, [''], [
    'pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'configmaps', 'endpoints', 'persistentvolumeclaims',
    'replicationcontrollers', 'replicationcontrollers/scale', 'secrets', 'serviceaccounts', 'services', 'services/proxy',
  ]),
  rule(WRITE, ['apps'], [
    'daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale',
  ]),
  rule(WRITE, ['autoscaling'], ['horizontalpodautoscalers']),
  rule(WRITE, ['batch'], ['cronjobs', 'jobs']),
  rule(WRITE, ['policy'], ['poddisruptionbudgets']),
  rule(WRITE, ['networking.k8s.io'], ['ingresses', 'networkpolicies']),
  rule(WRITE, ['discovery.k8s.io'], ['endpointslices']),
  rule(READ, ['coordination.k8s.io'], ['leases']),
];

const ADMIN_RULES: PolicyRule[] = [
  rule(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']),
  rule(ALL, ['rbac.authorization.k8s.io'], ['rolebindings', 'roles']),
  rule(WRITE, ['coordination.k8s.io'], ['leases']),
];

/** What `tug agent` calls with the node token: kubelet, proxy, DNS, ingress and network. */
const NODE_RULES: PolicyRule[] = [
  rule(ALL, [''], ['nodes', 'nodes/status']),
  rule(ALL, [''], ['pods', 'pods/status']),
  rule(['create'], [''], ['pods/eviction', 'pods/binding', 'serviceaccounts/token']),
  rule(['create', 'patch', 'update'], ['', 'events.k8s.io'], ['events']),
  rule(READ, [''], ['configmaps', 'secrets', 'services', 'endpoints', 'namespaces', 'serviceaccounts', 'persistentvolumeclaims', 'persistentvolumes']),
  rule(['patch', 'update'], [''], ['persistentvolumeclaims/status', 'persistentvolumes', 'persistentvolumes/status']),
  rule(ALL, ['coordination.k8s.io'], ['leases']),
  rule(READ, ['discovery.k8s.io'], ['endpointslices']),
  rule(READ, ['networking.k8s.io'], ['ingresses', 'ingressclasses']),
  rule(['create', 'patch', 'update'], ['networking.k8s.io'], ['ingressclasses', 'ingresses/status']),
  rule(READ, ['storage.k8s.io'], ['storageclasses', 'csidrivers', 'csinodes', 'volumeattachments']),
  rule(['create'], ['authentication.k8s.io'], ['tokenreviews']),
  rule(['create'], ['authorization.k8s.io'], ['subjectaccessreviews']),
];

const DISCOVERY_URLS = ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'];
const PUBLIC_INFO_URLS = ['/healthz', '/livez', '/readyz', '/version', '/version/'];

export const BOOTSTRAP_CLUSTER_ROLES: readonly ClusterRole[] = [
  clusterRole('cluster-admin', { rules: [rule(['*'], ['*'], ['*']), urls(['*'], ['*'])] }),
  clusterRole('admin', { aggregateFrom: 'admin' }),
  clusterRole('edit', { aggregateFrom: 'edit', labels: { [`${AGGREGATE}admin`]: 'true' } }),
  clusterRole('view', { aggregateFrom: 'view', labels: { [`${AGGREGATE}edit`]: 'true' } }),
  clusterRole('system:aggregate-to-admin', { rules: ADMIN_RULES, labels: { [`${AGGREGATE}admin`]: 'true' } }),
  clusterRole('system:aggregate-to-edit', { rules: EDIT_RULES, labels: { [`${AGGREGATE}edit`]: 'true' } }),
  clusterRole('system:aggregate-to-view', { rules: VIEW_RULES, labels: { [`${AGGREGATE}view`]: 'true' } }),
  clusterRole('system:discovery', { rules: [urls(['get'], DISCOVERY_URLS)] }),
  clusterRole('system:public-info-viewer', { rules: [urls(['get'], PUBLIC_INFO_URLS)] }),
  clusterRole('system:basic-user', {
    rules: [rule(['create'], ['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']), rule(['create'], ['authentication.k8s.io'], ['selfsubjectreviews'])],
  }),
  clusterRole('system:service-account-issuer-discovery', {
    rules: [urls(['get'], ['/.well-known/openid-configuration', '/.well-known/openid-configuration/', '/openid/v1/jwks', '/openid/v1/jwks/'])],
  }),
  clusterRole('system:auth-delegator', {
    rules: [rule(['create'], ['authentication.k8s.io'], ['tokenreviews']), rule(['create'], ['authorization.k8s.io'], ['subjectaccessreviews'])],
  }),
  clusterRole('system:node', { rules: NODE_RULES }),
];

const group = (name: string): { kind: string; apiGroup: string; name: string } => ({ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name });

function binding(role: string, groups: string[]): ClusterRoleBinding {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: role, labels: { ...BOOTSTRAP_LABEL }, annotations: { [AUTOUPDATE_ANNOTATION]: 'true' } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: groups.map(group),
  };
}

export const BOOTSTRAP_CLUSTER_ROLE_BINDINGS: readonly ClusterRoleBinding[] = [
  binding('cluster-admin', ['system:masters']),
  binding('system:discovery', ['system:authenticated']),
  binding('system:basic-user', ['system:authenticated']),
  binding('system:public-info-viewer', ['system:authenticated', 'system:unauthenticated']),
  binding('system:service-account-issuer-discovery', ['system:serviceaccounts']),
  binding('system:node', ['system:nodes']),
];

/** Aggregated roles' rules as the aggregation controller would compute them from this policy. */
export function aggregatedRules(role: ClusterRole, all: readonly ClusterRole[]): PolicyRule[] {
  const selectors = role.aggregationRule?.clusterRoleSelectors ?? [];
  const matches = (r: ClusterRole): boolean =>
    r !== role && selectors.some((s) => Object.entries(s.matchLabels ?? {}).every(([k, v]) => r.metadata?.labels?.[k] === v));
  const out: PolicyRule[] = [];
  for (const r of all.filter(matches)) {
    const rules = r.aggregationRule ? aggregatedRules(r, all) : (r.rules ?? []);
    for (const x of rules) if (!out.some((y) => JSON.stringify(y) === JSON.stringify(x))) out.push(x);
  }
  return out;
}
