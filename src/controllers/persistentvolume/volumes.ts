// What the PV binder reads off claims and volumes: the annotations it and provisioners use, a
// claim's or volume's class (the old beta annotation wins over the field, as in Kubernetes),
// the requested and offered sizes, and whether a volume is (pre-)bound to a claim.
import type { PersistentVolume, PersistentVolumeClaim } from '../../api/core/v1/index.js';
import { parseQuantity } from '../../lib/quantity.js';

export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
export const ANN_PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
export const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
const ANN_BETA_CLASS = 'volume.beta.kubernetes.io/storage-class';

export const claimClass = (c: PersistentVolumeClaim): string => c.metadata?.annotations?.[ANN_BETA_CLASS] ?? c.spec?.storageClassName ?? '';
export const volumeClass = (v: PersistentVolume): string => v.metadata?.annotations?.[ANN_BETA_CLASS] ?? v.spec?.storageClassName ?? '';

export const hasAnnotation = (o: { metadata?: { annotations?: Record<string, string> } }, key: string): boolean => o.metadata?.annotations?.[key] !== undefined;

/** Bytes asked for (0 when unset or unparsable). */
export const requestedBytes = (c: PersistentVolumeClaim): number => parseQuantity(c.spec?.resources?.requests?.storage ?? '0')?.value ?? 0;
export const capacityBytes = (v: PersistentVolume): number => parseQuantity(v.spec?.capacity?.storage ?? '0')?.value ?? 0;

export const claimKeyOf = (c: PersistentVolumeClaim): string => `${c.metadata?.namespace ?? ''}/${c.metadata?.name ?? ''}`;

/** The volume's claimRef names this claim (and its uid, if the ref carries one). */
export function isBoundToClaim(v: PersistentVolume, c: PersistentVolumeClaim): boolean {
  const ref = v.spec?.claimRef;
  if (!ref || ref.name !== c.metadata?.name || (ref.namespace ?? '') !== (c.metadata?.namespace ?? '')) return false;
  return !ref.uid || ref.uid === c.metadata?.uid;
}

export const volumeModeOf = (spec: { volumeMode?: string } | undefined): string => spec?.volumeMode || 'Filesystem';

/** Every access mode the claim wants is one the volume offers. */
export function accessModesFit(v: PersistentVolume, c: PersistentVolumeClaim): boolean {
  const offered = v.spec?.accessModes ?? [];
  return (c.spec?.accessModes ?? []).every((m) => offered.includes(m));
}
