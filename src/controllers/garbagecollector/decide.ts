// What the garbage collector does with one dependent, decided from the state of each of its
// owners: an owner is *solid* (exists, not being deleted in the foreground), *waiting* (exists
// but is deleting in the foreground, so it wants its dependents gone first) or *dangling* (gone,
// or replaced by a new object of the same name). Any solid owner keeps the dependent alive and
// only the other references are dropped; otherwise the dependent is deleted — in the foreground
// when a waiting owner is involved and the dependent has dependents of its own, so the chain is
// torn down from the leaves up.
import type { ApiObject } from '../../api/kind.js';
import type { DeleteOptions } from '../../client/index.js';
import { hasFinalizer, type OwnerRef } from './graph.js';

export type OwnerState = 'solid' | 'waiting' | 'dangling';

export type Policy = NonNullable<DeleteOptions['propagationPolicy']>;

export type Decision =
  | { action: 'keep' }
  | { action: 'removeRefs'; uids: string[] }
  | { action: 'delete'; policy: Policy };

export interface Classified {
  solid: OwnerRef[];
  waiting: OwnerRef[];
  dangling: OwnerRef[];
}

export function classify(refs: OwnerRef[], stateOf: (ref: OwnerRef) => OwnerState): Classified {
  const out: Classified = { solid: [], waiting: [], dangling: [] };
  for (const ref of refs) out[stateOf(ref)].push(ref);
  return out;
}

export function decide(dep: ApiObject, owners: Classified, o: { hasDependents: boolean }): Decision {
  if (owners.solid.length > 0) {
    const uids = [...owners.dangling, ...owners.waiting].map((r) => r.uid);
    return uids.length > 0 ? { action: 'removeRefs', uids } : { action: 'keep' };
  }
  if (owners.waiting.length > 0 && o.hasDependents) return { action: 'delete', policy: 'Foreground' };
  // A dependent that already asked for a policy through its own finalizers gets that policy.
  if (hasFinalizer(dep, 'orphan')) return { action: 'delete', policy: 'Orphan' };
  if (hasFinalizer(dep, 'foregroundDeletion')) return { action: 'delete', policy: 'Foreground' };
  return { action: 'delete', policy: 'Background' };
}

/**
 * Owner uids verified absent (by a live read or a deletion event). uids are never reused, so an
 * entry never goes stale; the bound only caps memory. Saves one GET per dependent when a
 * thousand pods lose the same ReplicaSet.
 */
export class AbsentOwners {
  private readonly uids = new Set<string>();

  constructor(private readonly max = 1024) {}

  has(uid: string): boolean {
    return this.uids.has(uid);
  }

  add(uid: string): void {
    if (this.uids.has(uid)) return;
    if (this.uids.size >= this.max) {
      const oldest = this.uids.values().next().value;
      if (oldest !== undefined) this.uids.delete(oldest);
    }
    this.uids.add(uid);
  }
}
