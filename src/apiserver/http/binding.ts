// POST /api/v1/namespaces/{ns}/pods/{name}/binding: the HTTP face of pod binding (see
// registry/bind.ts). Only create is served, as on Kubernetes; the answer is a Success Status
// with code 201.
import { StatusError } from '../../lib/errors.js';
import { bindPod } from '../registry/bind.js';
import type { Store } from '../registry/store.js';
import type { WriteContext } from '../registry/strategy.js';

/** True for the one subresource this file serves. */
export const isBindingSubresource = (store: Store, sub: string | undefined): boolean =>
  sub === 'binding' && store.kind.group === '' && store.kind.plural === 'pods';

export async function createBinding(
  store: Store,
  req: { method: string; namespace: string | undefined; name: string; body: unknown; ctx: WriteContext },
): Promise<object> {
  if (req.method !== 'POST') throw new StatusError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
  return bindPod(store, { namespace: req.namespace ?? '', name: req.name, body: req.body, now: req.ctx.now, dryRun: req.ctx.dryRun });
}
