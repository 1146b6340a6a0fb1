// Writes a workload's status through the status subresource only when it changed; on a conflict
// (the cached copy was stale) it re-reads the object once and writes the same status onto it.
import type { ApiObject, KindDef } from '../../api/kind.js';
import type { Client } from '../../client/index.js';
import { StatusError } from '../../lib/errors.js';
import { sameJson } from '../../lib/json.js';

export async function writeStatus<T extends ApiObject>(client: Client, o: { kind: KindDef; obj: T; status: unknown }): Promise<void> {
  if (sameJson(o.obj.status, o.status)) return;
  const ns = o.obj.metadata?.namespace;
  try {
    await client.update(o.kind, ns, { ...o.obj, status: o.status }, { subresource: 'status' });
  } catch (err) {
    if (!(err instanceof StatusError && err.reason === 'Conflict')) throw err;
    const fresh = await client.get<T>(o.kind, ns, o.obj.metadata?.name ?? '');
    if (fresh.metadata?.uid !== o.obj.metadata?.uid) return;
    await client.update(o.kind, ns, { ...fresh, status: o.status }, { subresource: 'status' });
  }
}
