// Adoption and release, the way Kubernetes' controller-ref manager does it: an owner claims the
// objects its selector matches. Objects it controls that stop matching are released (its
// ownerReference removed); orphans that match are adopted (a controller ownerReference added),
// but only while the owner is not being deleted, and only after one fresh read of the owner
// confirms it still exists, so a stale cache never adopts into a dead owner.
import type { ApiObject, KindDef } from '../../api/kind.js';
import type { Client } from '../../client/index.js';
import type { Selector } from '../../lib/selectors/index.js';
import { StatusError } from '../../lib/errors.js';
import { controllerRefOf, ownerOf } from '../runtime/index.js';

export interface ClaimOptions<T extends ApiObject> {
  client: Client;
  owner: ApiObject;
  ownerKind: KindDef;
  /** The kind of the claimed objects (pods for a ReplicaSet, ReplicaSets for a Deployment). */
  kind: KindDef;
  selector: Selector;
  candidates: T[];
}

const ignorable = (err: unknown): boolean => err instanceof StatusError && (err.reason === 'NotFound' || err.reason === 'Invalid');

/**
 * The candidates the owner controls after adopting and releasing. Throws (after doing what it
 * could) when a patch failed, so the caller's sync is retried.
 */
export async function claimObjects<T extends ApiObject>(o: ClaimOptions<T>): Promise<T[]> {
  const owner = o.owner;
  const uid = owner.metadata?.uid ?? '';
  const ns = owner.metadata?.namespace;
  const ownerDeleting = Boolean(owner.metadata?.deletionTimestamp);
  let recheck: Promise<void> | undefined;
  const canAdopt = (): Promise<void> => (recheck ??= recheckOwner(o));
  const claimed: T[] = [];
  const errors: unknown[] = [];
  for (const obj of o.candidates) {
    const ref = ownerOf(obj);
    const matches = o.selector.matches(obj.metadata?.labels);
    const objUid = obj.metadata?.uid ?? '';
    const name = obj.metadata?.name ?? '';
    if (ref) {
      if (ref.uid !== uid) continue;
      if (matches) {
        claimed.push(obj);
        continue;
      }
      // An owner being deleted keeps what it has; the garbage collector deals with it.
      if (ownerDeleting) continue;
      const body = { metadata: { ownerReferences: [{ $patch: 'delete', uid }], uid: objUid } };
      await o.client.patch(o.kind, ns, name, { type: 'strategic', body }).catch((err: unknown) => {
        if (!ignorable(err)) errors.push(err);
      });
      continue;
    }
    if (!matches || ownerDeleting || obj.metadata?.deletionTimestamp) continue;
    try {
      await canAdopt();
      const body = { metadata: { ownerReferences: [controllerRefOf(owner, o.ownerKind)], uid: objUid } };
      const adopted = await o.client.patch<T>(o.kind, ns, name, { type: 'strategic', body });
      claimed.push(adopted);
    } catch (err) {
      if (!ignorable(err)) errors.push(err);
    }
  }
  if (errors.length > 0) throw errors[0];
  return claimed;
}

async function recheckOwner<T extends ApiObject>(o: ClaimOptions<T>): Promise<void> {
  const m = o.owner.metadata ?? {};
  const fresh = await o.client.get(o.ownerKind, m.namespace, m.name ?? '');
  if (fresh.metadata?.uid !== m.uid) {
    throw new Error(`original ${o.ownerKind.kind} ${m.namespace}/${m.name} is gone: got uid ${fresh.metadata?.uid}, wanted ${m.uid}`);
  }
  if (fresh.metadata?.deletionTimestamp) {
    throw new Error(`${m.namespace}/${m.name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
  }
}
