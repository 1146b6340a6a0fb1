// core/v1 PersistentVolume: a piece of storage in the cluster, provisioned by an administrator
// or by a StorageClass, that a PersistentVolumeClaim binds to. Cluster-scoped. Its source (one
// of many volume plugins, pv-sources.ts) is fixed at creation; capacity, class and claim binding
// are not.
import { obj, str, time, strList, enumStr, mapOf, quantity, describeKind, type Static } from '../../schema.js';
import { ObjectMeta, typeMeta } from '../../meta/v1.js';
import { defineKind } from '../../kind.js';
import { persistentVolumeKind as persistentVolumeKindNames } from '../../refs/index.js';
import { validateObjectMeta, immutable } from '../../validation/meta.js';
import { child, key, invalid, required, forbidden, notSupported, type FieldError } from '../../../lib/field-errors.js';
import { ObjectReference } from './object-reference.js';
import { NodeSelector } from './affinity.js';
import { VOLUME_MODES } from './volume-claim-spec.js';
import { normalizeResourceMap } from './container-defaults.js';
import { persistentVolumeSourceFields, PV_SOURCE_NAMES } from './pv-sources.js';
import { validateNodeSelector } from './affinity-validation.js';
import { sameJson } from '../../../lib/json.js';
import {
  validateAccessModes,
  validateStorageClassName,
  validateStorageQuantity,
  validateVolumeMode,
} from './storage-validation.js';

const id = (name: string): string => `io.k8s.api.core.v1.${name}`;

export const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'] as const;
export const PV_PHASES = ['Available', 'Bound', 'Failed', 'Pending', 'Released'] as const;

export const VolumeNodeAffinity = obj(
  'Nodes from which a volume can be reached.',
  { required: NodeSelector },
  { id: id('VolumeNodeAffinity') },
);

export const PersistentVolumeSpec = obj(
  'What a persistent volume is and how it may be used.',
  {
    capacity: mapOf('Size of the volume: {storage: 10Gi}.', quantity('Quantity.')),
    ...persistentVolumeSourceFields,
    accessModes: strList('Ways the volume can be mounted: ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod.', {
      listType: 'atomic',
    }),
    claimRef: ObjectReference,
    persistentVolumeReclaimPolicy: enumStr('What happens to the volume once its claim is released.', RECLAIM_POLICIES),
    storageClassName: str('StorageClass the volume belongs to; empty for none.'),
    mountOptions: strList('Mount options used when the volume is mounted.', { listType: 'atomic' }),
    volumeMode: enumStr('Filesystem or Block; defaults to Filesystem.', VOLUME_MODES),
    nodeAffinity: VolumeNodeAffinity,
    volumeAttributesClassName: str('VolumeAttributesClass the volume belongs to.'),
  },
  { id: id('PersistentVolumeSpec') },
);
export type PersistentVolumeSpec = Static<typeof PersistentVolumeSpec>;

export const PersistentVolumeStatus = obj(
  'Observed state of a persistent volume.',
  {
    phase: enumStr('Pending, Available, Bound, Released or Failed.', PV_PHASES),
    message: str('Human-readable reason for the phase.'),
    reason: str('Machine-readable reason for a failure.'),
    lastPhaseTransitionTime: time('When the volume last changed phase.'),
  },
  { id: id('PersistentVolumeStatus') },
);

export const PersistentVolume = obj(
  'A piece of storage in the cluster that claims bind to.',
  { ...typeMeta, metadata: ObjectMeta, spec: PersistentVolumeSpec, status: PersistentVolumeStatus },
  { id: id('PersistentVolume'), ...describeKind('', 'v1', 'PersistentVolume') },
);
export type PersistentVolume = Static<typeof PersistentVolume>;

function setSources(spec: PersistentVolumeSpec): string[] {
  return PV_SOURCE_NAMES.filter((n) => spec[n] !== undefined && spec[n] !== null);
}

function validateCapacity(cap: Record<string, string | number> | undefined): FieldError[] {
  const entries = Object.entries(cap ?? {});
  if (entries.length === 0) return [required('spec.capacity')];
  return entries.flatMap(([name, q]) =>
    name === 'storage'
      ? validateStorageQuantity(q, key('spec.capacity', name), { positive: false })
      : [notSupported('spec.capacity', name, ['storage'])],
  );
}

function validateSource(spec: PersistentVolumeSpec): FieldError[] {
  const names = setSources(spec);
  if (names.length === 0) return [required('spec', 'must specify a volume type')];
  const out = names.slice(1).map((n) => forbidden(child('spec', n), 'may not specify more than 1 volume type'));
  const hostPath = spec.hostPath?.path;
  if (hostPath !== undefined) {
    if (!hostPath) out.push(required('spec.hostPath.path'));
    else if (hostPath.split('/').includes('..')) out.push(invalid('spec.hostPath.path', hostPath, "must not contain '..'"));
  }
  if (spec.local) {
    if (!spec.local.path) out.push(required('spec.local.path'));
    if (!spec.nodeAffinity) out.push(required('spec.nodeAffinity', 'Local volume requires node affinity'));
  }
  if (spec.csi) {
    if (!spec.csi.driver) out.push(required('spec.csi.driver'));
    if (!spec.csi.volumeHandle) out.push(required('spec.csi.volumeHandle'));
  }
  if (spec.persistentVolumeReclaimPolicy === 'Recycle' && !spec.hostPath && !spec.nfs)
    out.push(notSupported('spec.persistentVolumeReclaimPolicy', 'Recycle', ['Delete', 'Retain']));
  return out;
}

function sourceOf(spec: PersistentVolumeSpec): Record<string, unknown> {
  return Object.fromEntries(setSources(spec).map((n) => [n, spec[n as keyof PersistentVolumeSpec]]));
}

function defaultSources(spec: PersistentVolumeSpec): void {
  if (spec.hostPath) spec.hostPath.type ??= '';
  if (spec.iscsi) spec.iscsi.iscsiInterface ||= 'default';
  if (spec.rbd) {
    spec.rbd.pool ||= 'rbd';
    spec.rbd.user ||= 'admin';
    spec.rbd.keyring ||= '/etc/ceph/keyring';
  }
  if (spec.azureDisk) {
    spec.azureDisk.cachingMode ??= 'ReadWrite';
    spec.azureDisk.fsType ??= 'ext4';
    spec.azureDisk.readOnly ??= false;
    spec.azureDisk.kind ??= 'Shared';
  }
  if (spec.scaleIO) {
    spec.scaleIO.storageMode ||= 'ThinProvisioned';
    spec.scaleIO.fsType ||= 'xfs';
  }
}

export const persistentVolumeKind = defineKind({
  ...persistentVolumeKindNames,
  status: true,
  schema: PersistentVolume,
  defaults(pv) {
    const spec = (pv.spec ??= {});
    spec.persistentVolumeReclaimPolicy ||= 'Retain';
    spec.volumeMode ||= 'Filesystem';
    defaultSources(spec);
    normalizeResourceMap(spec.capacity);
    (pv.status ??= {}).phase ||= 'Pending';
  },
  validate(pv, { old }) {
    const out = validateObjectMeta(pv.metadata, { namespaced: false });
    const spec = pv.spec ?? {};
    out.push(...validateAccessModes(spec.accessModes, 'spec.accessModes', { detail: '' }));
    out.push(...validateCapacity(spec.capacity));
    out.push(...validateSource(spec));
    const policy = spec.persistentVolumeReclaimPolicy;
    if (policy && !(RECLAIM_POLICIES as readonly string[]).includes(policy))
      out.push(notSupported('spec.persistentVolumeReclaimPolicy', policy, RECLAIM_POLICIES));
    out.push(...validateStorageClassName(spec.storageClassName, 'spec.storageClassName'));
    out.push(...validateVolumeMode(spec.volumeMode, 'spec.volumeMode'));
    if (spec.nodeAffinity) {
      const sel = spec.nodeAffinity.required;
      if (!sel) out.push(required('spec.nodeAffinity.required', 'must have at least one node selector term'));
      else out.push(...validateNodeSelector(sel, 'spec.nodeAffinity.required'));
    }
    const phase = pv.status?.phase;
    if (phase && !(PV_PHASES as readonly string[]).includes(phase)) out.push(notSupported('status.phase', phase, PV_PHASES));
    if (old) {
      const before = old.spec ?? {};
      if (!sameJson(sourceOf(spec), sourceOf(before)))
        out.push(forbidden('spec.persistentvolumesource', 'spec.persistentvolumesource is immutable after creation'));
      out.push(...immutable('spec.volumeMode', spec.volumeMode, before.volumeMode));
      if (before.nodeAffinity) out.push(...immutable('spec.nodeAffinity', spec.nodeAffinity, before.nodeAffinity));
    }
    return out;
  },
});
