// The namespaces every cluster starts with (default, kube-system, kube-public,
// kube-node-lease), created when the API server starts. Emptying a Terminating namespace is the
// namespace controller's job (src/controllers/namespace).
import { StatusError } from '../../lib/errors.js';
import type { Registry } from '../registry/registry.js';

export const INITIAL_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export async function ensureNamespaces(registry: Registry): Promise<void> {
  const { store } = registry.byGroupKind('', 'Namespace');
  const ctx = { now: new Date(), user: { name: 'system:apiserver', groups: ['system:masters'] }, dryRun: false, warnings: [] };
  for (const name of INITIAL_NAMESPACES) {
    await store.create(undefined, { metadata: { name } }, ctx, { fieldValidation: 'Strict' }).catch((e: unknown) => {
      if (!(e instanceof StatusError && e.reason === 'AlreadyExists')) throw e;
    });
  }
}
