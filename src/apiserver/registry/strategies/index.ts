// The one map from kind to write strategy. Kinds not listed use the default strategy; the
// workload kinds (and Ingress) track metadata.generation, Endpoints and Leases may be created by
// a PUT, as in Kubernetes.
import type { KindDef } from '../../../api/kind.js';
import { defaultStrategy, type Strategy } from '../strategy.js';
import { podStrategy } from './pods.js';
import { namespaceStrategy } from './namespaces.js';
import { serviceStrategy } from './services.js';
import { jobStrategy } from './jobs.js';
import { daemonSetStrategy } from './daemonsets.js';
import type { ServiceAllocator } from './service-allocator.js';
import { isRbacKind, rbacStrategy, type RbacWriteGuard } from './rbac.js';

export interface StrategyDeps {
  serviceAllocator: ServiceAllocator;
  /** Escalation prevention for roles and bindings; absent, they are written unchecked. */
  rbacGuard?: RbacWriteGuard;
}

const GENERATION_TRACKED = new Set([
  'apps/deployments',
  'apps/replicasets',
  'apps/statefulsets',
  'apps/daemonsets',
  'batch/jobs',
  'batch/cronjobs',
  'networking.k8s.io/ingresses',
]);
const CREATE_ON_UPDATE = new Set(['/endpoints', 'coordination.k8s.io/leases']);

export function strategyFor(kind: KindDef, deps: StrategyDeps): Strategy {
  const id = `${kind.group}/${kind.plural}`;
  const specific: Partial<Record<string, Strategy>> = {
    '/pods': podStrategy,
    '/namespaces': namespaceStrategy,
    '/services': serviceStrategy(deps.serviceAllocator),
    'batch/jobs': jobStrategy,
    'apps/daemonsets': daemonSetStrategy,
  };
  return {
    ...defaultStrategy,
    ...specific[id],
    ...(deps.rbacGuard && isRbacKind(kind) ? rbacStrategy(kind, deps.rbacGuard) : {}),
    tracksGeneration: GENERATION_TRACKED.has(id),
    allowCreateOnUpdate: CREATE_ON_UPDATE.has(id),
  };
}
