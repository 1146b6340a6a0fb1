// The built-in PriorityClasses every cluster has, system-cluster-critical and
// system-node-critical, created at server start when missing (as kube-apiserver does), so
// manifests of cluster add-ons that name them are admitted.
import { StatusError } from '../../lib/errors.js';
import { SYSTEM_PRIORITY_CLASSES } from '../../api/scheduling/v1/index.js';
import type { Registry } from '../registry/registry.js';

export async function ensurePriorityClasses(registry: Registry): Promise<void> {
  const { store, reader } = registry.byGroupKind('scheduling.k8s.io', 'PriorityClass');
  for (const pc of SYSTEM_PRIORITY_CLASSES) {
    const existing = await reader.get(undefined, pc.name).catch((e: unknown) => {
      if (e instanceof StatusError && e.reason === 'NotFound') return undefined;
      throw e;
    });
    if (existing) continue;
    const body = { metadata: { name: pc.name }, value: pc.value, globalDefault: false, description: pc.description, preemptionPolicy: 'PreemptLowerPriority' };
    await store
      .create(undefined, body, { now: new Date(), user: undefined, dryRun: false, warnings: [] }, { fieldValidation: 'Strict' })
      .catch((e: unknown) => {
        // Another server sharing the datastore may have created it first.
        if (!(e instanceof StatusError && e.reason === 'AlreadyExists')) throw e;
      });
  }
}
