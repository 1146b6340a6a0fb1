// The clusterrole-aggregation controller: a ClusterRole with an aggregationRule gets as its rules
// the union of the rules of every other ClusterRole that one of its selectors matches (in name
// order, duplicates dropped). That is how admin, edit and view grow when an add-on installs a
// ClusterRole labelled `rbac.authorization.k8s.io/aggregate-to-view: "true"`, and shrink again
// when it is removed. Any ClusterRole change may affect any aggregated role, so every change
// enqueues all of them; sync(name) recomputes one from the cache and writes only on a difference.
import type { ApiObject } from '../../api/kind.js';
import { clusterRoleKind, type ClusterRole, type PolicyRule } from '../../api/rbac/v1/index.js';
import type { Client, Informer } from '../../client/index.js';
import { StatusError } from '../../lib/errors.js';
import { sameJson } from '../../lib/json.js';
import { labelSelectorAsSelector } from '../../lib/selectors/index.js';
import { WorkQueue, logSyncErrors, runWorkers, type ControllerDeps } from '../runtime/index.js';

type Role = ClusterRole & ApiObject;

/** The rules an aggregated role should have, given every ClusterRole there is. */
export function aggregate(role: Role, all: readonly Role[]): PolicyRule[] {
  const selectors = (role.aggregationRule?.clusterRoleSelectors ?? []).map((s) => labelSelectorAsSelector(s));
  const name = role.metadata?.name ?? '';
  const sources = all
    .filter((r) => (r.metadata?.name ?? '') !== name && selectors.some((s) => s.matches(r.metadata?.labels)))
    .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  const out: PolicyRule[] = [];
  for (const r of sources) for (const rule of r.rules ?? []) if (!out.some((x) => sameJson(x, rule))) out.push(rule);
  return out;
}

export class ClusterRoleAggregationController {
  readonly name = 'clusterrole-aggregation';
  private readonly queue: WorkQueue;
  private readonly client: Client;
  private readonly roles: Informer<Role>;

  constructor(private readonly deps: ControllerDeps) {
    this.client = deps.client;
    this.queue = new WorkQueue({ clock: deps.clock });
    this.roles = deps.informers.for<Role>(clusterRoleKind);
    const enqueueAggregated = (): void => {
      for (const r of this.roles.store.list()) if (r.aggregationRule) this.queue.add(r.metadata?.name ?? '');
    };
    this.roles.addHandlers({ onAdd: enqueueAggregated, onUpdate: enqueueAggregated, onDelete: enqueueAggregated });
  }

  async run(signal: AbortSignal): Promise<void> {
    await this.roles.synced;
    if (signal.aborted) return;
    await runWorkers(this, {
      workers: 1,
      queue: this.queue,
      signal,
      onError: logSyncErrors(this.deps.log),
    });
  }

  async sync(name: string): Promise<void> {
    const role = this.roles.store.get(undefined, name);
    if (!role?.aggregationRule) return;
    const rules = aggregate(role, this.roles.store.list());
    if (sameJson(rules, role.rules ?? [])) return;
    try {
      await this.client.update<Role>(clusterRoleKind, undefined, { ...structuredClone(role), rules });
    } catch (err) {
      // Deleted meanwhile: nothing to do. A conflict means a newer version is on its way to the cache.
      if (err instanceof StatusError && err.reason === 'NotFound') return;
      throw err;
    }
  }
}
