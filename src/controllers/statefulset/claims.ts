// The claims of StatefulSet pods and their retention policy. Claims are made before their pod
// and kept when pods go; `persistentVolumeClaimRetentionPolicy` asks for deletion instead, which
// works through owner references the garbage collector follows: whenDeleted=Delete makes the
// set an owner of every claim, whenScaled=Delete makes a condemned pod (one above the replica
// count) the owner of its claims just before the pod is deleted.
import { statefulSetKind, type StatefulSet } from '../../api/apps/v1/index.js';
import type { OwnerReference } from '../../api/meta/v1.js';
import type { Static } from '../../api/schema.js';
import type { PersistentVolumeClaim, Pod } from '../../api/core/v1/index.js';

type OwnerRef = Static<typeof OwnerReference>;

export interface ClaimOwners {
  set: boolean;
  pod: boolean;
}

/** Which owner references a claim of `pod` should carry under the set's policy. */
export function wantedClaimOwners(set: StatefulSet, o: { scaledDown: boolean }): ClaimOwners {
  const policy = set.spec?.persistentVolumeClaimRetentionPolicy ?? {};
  const deleteOnSetDeletion = policy.whenDeleted === 'Delete';
  const deleteOnScaleDown = policy.whenScaled === 'Delete';
  if (deleteOnScaleDown && o.scaledDown) return { set: false, pod: true };
  return { set: deleteOnSetDeletion, pod: false };
}

const setRef = (set: StatefulSet): OwnerRef => ({
  apiVersion: statefulSetKind.apiVersion,
  kind: statefulSetKind.kind,
  name: set.metadata?.name ?? '',
  uid: set.metadata?.uid ?? '',
  controller: true,
  // The claim must outlive the pods using it (PVC protection), so it never blocks the set's deletion.
  blockOwnerDeletion: false,
});

const podRef = (pod: Pod): OwnerRef => ({ apiVersion: 'v1', kind: 'Pod', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' });

/**
 * The claim's owner references made to agree with `want`; undefined when they already do.
 * Only references to this set and this pod are touched.
 */
export function reconcileClaimOwners(claim: PersistentVolumeClaim, o: { set: StatefulSet; pod: Pod | undefined; want: ClaimOwners }): OwnerRef[] | undefined {
  const refs = claim.metadata?.ownerReferences ?? [];
  const setUid = o.set.metadata?.uid ?? '';
  const podUid = o.pod?.metadata?.uid ?? '';
  let next = refs.filter((r) => !(r.uid === setUid && !o.want.set) && !(podUid !== '' && r.uid === podUid && !o.want.pod));
  if (o.want.set && !next.some((r) => r.uid === setUid)) next = [...next, setRef(o.set)];
  if (o.want.pod && o.pod && podUid !== '' && !next.some((r) => r.uid === podUid)) next = [...next, podRef(o.pod)];
  const same = next.length === refs.length && next.every((r, i) => r.uid === refs[i]?.uid);
  return same ? undefined : next;
}

/** A claim to create: the template-built claim with the owners the policy wants for a live pod. */
export function claimToCreate(claim: PersistentVolumeClaim, set: StatefulSet): PersistentVolumeClaim {
  const c = structuredClone(claim);
  if (wantedClaimOwners(set, { scaledDown: false }).set) c.metadata = { ...(c.metadata ?? {}), ownerReferences: [setRef(set)] };
  return c;
}
