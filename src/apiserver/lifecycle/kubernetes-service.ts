// The `kubernetes` Service in the default namespace, which every cluster has: pods find the API
// server at its ClusterIP (the first address of the service CIDR), port 443.
import { StatusError } from '../../lib/errors.js';
import type { Registry } from '../registry/registry.js';
import { firstServiceIP } from '../registry/strategies/service-allocator.js';

export async function ensureKubernetesService(registry: Registry, opts: { port: number; serviceCIDR: string }): Promise<void> {
  const { store, reader } = registry.byGroupKind('', 'Service');
  const existing = await reader.get('default', 'kubernetes').catch((e: unknown) => {
    if (e instanceof StatusError && e.reason === 'NotFound') return undefined;
    throw e;
  });
  if (existing) return;
  const ip = firstServiceIP(opts.serviceCIDR);
  const svc = {
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { type: 'ClusterIP', clusterIP: ip, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: opts.port }] },
  };
  await store
    .create('default', svc, { now: new Date(), user: undefined, dryRun: false, warnings: [] }, { fieldValidation: 'Strict' })
    .catch((e: unknown) => {
      if (!(e instanceof StatusError && e.reason === 'AlreadyExists')) throw e;
    });
}
