// Tables for storage: persistentvolumes and persistentvolumeclaims (CAPACITY, ACCESS MODES as
// RWO/ROX/RWX/RWOP, STATUS, STORAGECLASS, ...) and storageclasses, whose name gets a
// ` (default)` suffix when the class is the cluster default.
import type { ApiObject } from '../../../api/kind.js';
import { since } from '../duration.js';
import { AGE, NAME, canonicalQuantity, column, createdOf, nameOf, view, wide, type WithMeta } from '../columns.js';
import type { Cell, Printer } from '../types.js';

/** The old way of naming a class, still honoured ahead of spec.storageClassName. */
const BETA_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';
const DEFAULT_CLASS_ANNOTATIONS = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];

const MODE_ABBREVIATIONS: [string, string][] = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
  ['ReadWriteOncePod', 'RWOP'],
];

/** Access modes abbreviated, in a fixed order whatever order they were listed in. */
export const accessModes = (modes: readonly string[] | undefined): string =>
  MODE_ABBREVIATIONS.filter(([m]) => modes?.includes(m)).map(([, a]) => a).join(',');

interface VolumeSpecCommon {
  storageClassName?: string;
  volumeAttributesClassName?: string;
  volumeMode?: string;
  accessModes?: string[];
}

interface PersistentVolume extends WithMeta {
  spec?: VolumeSpecCommon & {
    capacity?: Record<string, string>;
    persistentVolumeReclaimPolicy?: string;
    claimRef?: { namespace?: string; name?: string };
  };
  status?: { phase?: string; reason?: string };
}

const className = (obj: WithMeta & { spec?: VolumeSpecCommon }): string =>
  obj.metadata?.annotations?.[BETA_CLASS_ANNOTATION] ?? obj.spec?.storageClassName ?? '';

const phase = (obj: WithMeta & { status?: { phase?: string } }): string =>
  obj.metadata?.deletionTimestamp ? 'Terminating' : (obj.status?.phase ?? '');

const VOLUME_ATTRIBUTES_CLASS = 'Class of mutable volume attributes, if any.';

export const persistentvolumes: Printer = {
  columns: [
    NAME,
    column('Capacity', 'string', 'Storage size of the volume.'),
    column('Access Modes', 'string', 'How the volume can be mounted: RWO, ROX, RWX, RWOP.'),
    column('Reclaim Policy', 'string', 'What happens to the volume when its claim is deleted.'),
    column('Status', 'string', 'Phase of the volume: Available, Bound, Released or Failed.'),
    column('Claim', 'string', 'The claim bound to this volume, as namespace/name.'),
    column('StorageClass', 'string', 'Storage class the volume belongs to.'),
    column('VolumeAttributesClass', 'string', VOLUME_ATTRIBUTES_CLASS),
    column('Reason', 'string', 'Why the volume is in its phase, if failed.'),
    AGE,
    wide('VolumeMode', 'string', 'Filesystem or Block.'),
  ],
  cells(obj: ApiObject, now: Date): Cell[] {
    const pv = view<PersistentVolume>(obj);
    const spec = pv.spec ?? {};
    const claim = spec.claimRef ? `${spec.claimRef.namespace ?? ''}/${spec.claimRef.name ?? ''}` : '';
    return [
      nameOf(pv),
      canonicalQuantity(spec.capacity?.storage),
      accessModes(spec.accessModes),
      spec.persistentVolumeReclaimPolicy ?? '',
      phase(pv),
      claim,
      className(pv),
      spec.volumeAttributesClassName ?? '<unset>',
      pv.status?.reason ?? '',
      since(createdOf(pv), now),
      spec.volumeMode ?? '<unset>',
    ];
  },
};

interface PersistentVolumeClaim extends WithMeta {
  spec?: VolumeSpecCommon & { volumeName?: string };
  status?: { phase?: string; accessModes?: string[]; capacity?: Record<string, string> };
}

export const persistentvolumeclaims: Printer = {
  columns: [
    NAME,
    column('Status', 'string', 'Phase of the claim: Pending, Bound or Lost.'),
    column('Volume', 'string', 'The volume bound to this claim.'),
    column('Capacity', 'string', 'Storage size of the bound volume.'),
    column('Access Modes', 'string', 'Access modes of the bound volume: RWO, ROX, RWX, RWOP.'),
    column('StorageClass', 'string', 'Storage class the claim asks for.'),
    column('VolumeAttributesClass', 'string', VOLUME_ATTRIBUTES_CLASS),
    AGE,
    wide('VolumeMode', 'string', 'Filesystem or Block.'),
  ],
  cells(obj: ApiObject, now: Date): Cell[] {
    const pvc = view<PersistentVolumeClaim>(obj);
    const spec = pvc.spec ?? {};
    // Capacity and access modes describe the bound volume, so they stay blank until binding.
    const bound = Boolean(spec.volumeName);
    return [
      nameOf(pvc),
      phase(pvc),
      spec.volumeName ?? '',
      bound ? canonicalQuantity(pvc.status?.capacity?.storage) : '',
      bound ? accessModes(pvc.status?.accessModes) : '',
      className(pvc),
      spec.volumeAttributesClassName ?? '<unset>',
      since(createdOf(pvc), now),
      spec.volumeMode ?? '<unset>',
    ];
  },
};

interface StorageClass extends WithMeta {
  provisioner?: string;
  reclaimPolicy?: string;
  volumeBindingMode?: string;
  allowVolumeExpansion?: boolean;
}

export const storageclasses: Printer = {
  columns: [
    NAME,
    column('Provisioner', 'string', 'The provisioner that creates volumes of this class.'),
    column('ReclaimPolicy', 'string', 'Reclaim policy given to volumes of this class.'),
    column('VolumeBindingMode', 'string', 'Immediate, or WaitForFirstConsumer to bind once a pod is scheduled.'),
    column('AllowVolumeExpansion', 'string', 'Whether claims of this class may grow.'),
    AGE,
  ],
  cells(obj: ApiObject, now: Date): Cell[] {
    const sc = view<StorageClass>(obj);
    const isDefault = DEFAULT_CLASS_ANNOTATIONS.some((a) => sc.metadata?.annotations?.[a] === 'true');
    return [
      isDefault ? `${nameOf(sc)} (default)` : nameOf(sc),
      sc.provisioner ?? '',
      sc.reclaimPolicy ?? 'Delete',
      sc.volumeBindingMode ?? 'Immediate',
      sc.allowVolumeExpansion ?? false,
      since(createdOf(sc), now),
    ];
  },
};
