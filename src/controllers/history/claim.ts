// Ownership bookkeeping for controllers that own objects by label selector (pods, revisions):
// objects they control and that still match are theirs; controlled objects that stopped matching
// are released (the owner reference removed); orphans that match are adopted (a controller
// reference added), but only after re-reading the owner from the API, so an owner that was
// deleted and re-created under the same name never adopts what belonged to its predecessor.
import type { ApiObject, KindDef } from '../../api/kind.js';
import type { Client } from '../../client/index.js';
import type { Selector } from '../../lib/selectors/index.js';
import { StatusError } from '../../lib/errors.js';
import { controllerRefOf, ownerOf } from '../runtime/index.js';

export interface ClaimOptions<T extends ApiObject> {
  client: Client;
  owner: ApiObject;
  ownerKind: KindDef;
  /** Kind of the claimed objects. */
  kind: KindDef;
  selector: Selector;
  /** An extra test an orphan must pass to be adopted (StatefulSets: its name is `<set>-<n>`). */
  adoptable?(obj: T): boolean;
}

const gone = (err: unknown): boolean => err instanceof StatusError && (err.reason === 'NotFound' || err.reason === 'Conflict');

/** Returns the objects the owner controls after adopting and releasing; writes go to the API. */
export async function claimObjects<T extends ApiObject>(objects: readonly T[], o: ClaimOptions<T>): Promise<T[]> {
  const uid = o.owner.metadata?.uid ?? '';
  const ownerDeleting = Boolean(o.owner.metadata?.deletionTimestamp);
  let adoptionChecked: Promise<boolean> | undefined;
  const canAdopt = (): Promise<boolean> => (adoptionChecked ??= ownerStillCurrent(o));
  const claimed: T[] = [];
  for (const obj of objects) {
    const ref = ownerOf(obj);
    const matches = o.selector.matches(obj.metadata?.labels);
    if (ref) {
      if (ref.uid !== uid) continue;
      if (matches) claimed.push(obj);
      else if (!ownerDeleting && !obj.metadata?.deletionTimestamp) await release(obj, o);
      continue;
    }
    if (!matches || ownerDeleting || obj.metadata?.deletionTimestamp) continue;
    if (o.adoptable && !o.adoptable(obj)) continue;
    if (!(await canAdopt())) continue;
    const adopted = await adopt(obj, o);
    if (adopted) claimed.push(adopted);
  }
  return claimed;
}

async function ownerStillCurrent<T extends ApiObject>(o: ClaimOptions<T>): Promise<boolean> {
  const m = o.owner.metadata ?? {};
  try {
    const fresh = await o.client.get(o.ownerKind, m.namespace, m.name ?? '');
    return fresh.metadata?.uid === m.uid && !fresh.metadata?.deletionTimestamp;
  } catch (err) {
    if (err instanceof StatusError && err.reason === 'NotFound') return false;
    throw err;
  }
}

async function adopt<T extends ApiObject>(obj: T, o: ClaimOptions<T>): Promise<T | undefined> {
  const m = obj.metadata ?? {};
  const refs = [...(m.ownerReferences ?? []), controllerRefOf(o.owner, o.ownerKind)];
  try {
    return await o.client.patch<T>(o.kind, m.namespace, m.name ?? '', {
      type: 'merge',
      body: { metadata: { ownerReferences: refs, resourceVersion: m.resourceVersion } },
    });
  } catch (err) {
    if (gone(err)) return undefined;
    throw err;
  }
}

async function release<T extends ApiObject>(obj: T, o: ClaimOptions<T>): Promise<void> {
  const m = obj.metadata ?? {};
  const refs = (m.ownerReferences ?? []).filter((r) => r.uid !== o.owner.metadata?.uid);
  try {
    await o.client.patch(o.kind, m.namespace, m.name ?? '', {
      type: 'merge',
      body: { metadata: { ownerReferences: refs.length > 0 ? refs : null, resourceVersion: m.resourceVersion } },
    });
  } catch (err) {
    if (!gone(err)) throw err;
  }
}
