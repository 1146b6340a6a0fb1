// Owner-reference helpers every workload controller needs: the controlling owner of an object,
// whether an object is controlled by a given owner, and building the controller reference a
// controller stamps on what it creates.
import type { ApiObject, KindDef } from '../../api/kind.js';
import type { OwnerReference } from '../../api/meta/v1.js';
import type { Static } from '../../api/schema.js';

type OwnerRef = Static<typeof OwnerReference>;

/** The ownerReference with controller=true, if any. */
export function ownerOf(obj: ApiObject): OwnerRef | undefined {
  return (obj.metadata?.ownerReferences ?? []).find((r) => r.controller === true);
}

export function isControlledBy(obj: ApiObject, owner: ApiObject): boolean {
  const ref = ownerOf(obj);
  return ref !== undefined && ref.uid === owner.metadata?.uid;
}

/** The reference a controller puts on objects it creates (controller and blockOwnerDeletion set). */
export function controllerRefOf(owner: ApiObject, kind: KindDef): OwnerRef {
  return {
    apiVersion: kind.apiVersion,
    kind: kind.kind,
    name: owner.metadata?.name ?? '',
    uid: owner.metadata?.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** Enqueues `namespace/name` of obj's controlling owner when it is of the given kind. */
export function enqueueOwner(obj: ApiObject, kind: KindDef, add: (key: string) => void): void {
  const ref = ownerOf(obj);
  if (!ref || ref.kind !== kind.kind || ref.apiVersion.split('/')[0] !== kind.apiVersion.split('/')[0]) return;
  const ns = obj.metadata?.namespace;
  add(ns ? `${ns}/${ref.name}` : ref.name);
}
