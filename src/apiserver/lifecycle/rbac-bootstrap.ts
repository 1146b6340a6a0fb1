// Creates and reconciles the bootstrap RBAC policy (rbac-bootstrap-policy.ts) at every server
// start, as kube-apiserver does: a missing role or binding is created; an existing one whose
// `rbac.authorization.kubernetes.io/autoupdate` annotation is not "false" gets back whatever of
// the default it lacks (rules, aggregation selectors, subjects, labels and annotations) without
// losing what an administrator added. A binding whose roleRef was changed is recreated, since
// roleRef is immutable. Aggregated roles (admin, edit, view) are written with the rules the
// aggregation controller would compute, so they work before that controller first runs.
import type { ApiObject } from '../../api/kind.js';
import type { ClusterRole, ClusterRoleBinding, PolicyRule, Subject } from '../../api/rbac/v1/index.js';
import { StatusError } from '../../lib/errors.js';
import { sameJson } from '../../lib/json.js';
import type { Registry } from '../registry/registry.js';
import type { WriteContext } from '../registry/strategy.js';
import { AUTOUPDATE_ANNOTATION, BOOTSTRAP_CLUSTER_ROLES, BOOTSTRAP_CLUSTER_ROLE_BINDINGS, aggregatedRules } from './rbac-bootstrap-policy.js';

const RBAC = 'rbac.authorization.k8s.io';
const ctx = (): WriteContext => ({ now: new Date(), user: undefined, dryRun: false, warnings: [] });

const isCode = (e: unknown, reason: string): boolean => e instanceof StatusError && e.reason === reason;

/** Items of `want` missing from `have`, appended to `have`. */
function union<T>(have: readonly T[], want: readonly T[]): T[] {
  const out = [...have];
  for (const w of want) if (!out.some((h) => sameJson(h, w))) out.push(w);
  return out;
}

function mergeMeta(current: ApiObject, wanted: ApiObject): NonNullable<ApiObject['metadata']> {
  const m = current.metadata ?? {};
  return { ...m, labels: { ...wanted.metadata?.labels, ...m.labels }, annotations: { ...wanted.metadata?.annotations, ...m.annotations } };
}

const autoupdate = (o: ApiObject): boolean => o.metadata?.annotations?.[AUTOUPDATE_ANNOTATION] !== 'false';

async function getOrUndefined(registry: Registry, kind: string, name: string): Promise<ApiObject | undefined> {
  return registry
    .byGroupKind(RBAC, kind)
    .reader.get(undefined, name)
    .catch((e: unknown) => {
      if (isCode(e, 'NotFound')) return undefined;
      throw e;
    });
}

async function createQuietly(registry: Registry, kind: string, body: ApiObject): Promise<void> {
  await registry
    .byGroupKind(RBAC, kind)
    .store.create(undefined, structuredClone(body), ctx(), { fieldValidation: 'Strict' })
    .catch((e: unknown) => {
      // Another server sharing the datastore may have created it first.
      if (!isCode(e, 'AlreadyExists')) throw e;
    });
}

async function reconcileRole(registry: Registry, wanted: ClusterRole): Promise<void> {
  const current = (await getOrUndefined(registry, 'ClusterRole', wanted.metadata?.name ?? '')) as ClusterRole | undefined;
  if (!current) return createQuietly(registry, 'ClusterRole', wanted as ApiObject);
  if (!autoupdate(current as ApiObject)) return;
  const next: ClusterRole = { ...current, metadata: mergeMeta(current as ApiObject, wanted as ApiObject) };
  if (wanted.aggregationRule) {
    const selectors = union(current.aggregationRule?.clusterRoleSelectors ?? [], wanted.aggregationRule.clusterRoleSelectors ?? []);
    next.aggregationRule = { clusterRoleSelectors: selectors };
  }
  next.rules = union<PolicyRule>(current.rules ?? [], wanted.rules ?? []);
  if (sameJson(next, current)) return;
  await registry.byGroupKind(RBAC, 'ClusterRole').store.update(undefined, wanted.metadata?.name ?? '', next, ctx(), { fieldValidation: 'Strict' });
}

async function reconcileBinding(registry: Registry, wanted: ClusterRoleBinding): Promise<void> {
  const name = wanted.metadata?.name ?? '';
  const current = (await getOrUndefined(registry, 'ClusterRoleBinding', name)) as ClusterRoleBinding | undefined;
  if (!current) return createQuietly(registry, 'ClusterRoleBinding', wanted as ApiObject);
  if (!autoupdate(current as ApiObject)) return;
  const { store } = registry.byGroupKind(RBAC, 'ClusterRoleBinding');
  if (!sameJson(current.roleRef, wanted.roleRef)) {
    await store.delete(undefined, name, {}, ctx()).catch((e: unknown) => {
      if (!isCode(e, 'NotFound')) throw e;
    });
    return createQuietly(registry, 'ClusterRoleBinding', { ...(wanted as ApiObject), subjects: union<Subject>(current.subjects ?? [], wanted.subjects ?? []) });
  }
  const next: ClusterRoleBinding = { ...current, metadata: mergeMeta(current as ApiObject, wanted as ApiObject), subjects: union<Subject>(current.subjects ?? [], wanted.subjects ?? []) };
  if (sameJson(next, current)) return;
  await store.update(undefined, name, next, ctx(), { fieldValidation: 'Strict' });
}

export async function ensureRbacBootstrapPolicy(registry: Registry): Promise<void> {
  const roles = BOOTSTRAP_CLUSTER_ROLES.map((r) => (r.aggregationRule ? { ...r, rules: aggregatedRules(r, BOOTSTRAP_CLUSTER_ROLES) } : r));
  for (const role of roles) await reconcileRole(registry, role);
  for (const b of BOOTSTRAP_CLUSTER_ROLE_BINDINGS) await reconcileBinding(registry, b);
}
