// What the local-path provisioner makes: its default StorageClass, and for a claim the
// PersistentVolume on the node the scheduler picked — a `local` volume whose directory under the
// storage root is named after the claim (pvc-<uid>_<namespace>_<name>, as k3s names them), pinned
// to that node by node affinity and pre-bound to the claim so the PV binder completes the bind.
import type { Node, PersistentVolume, PersistentVolumeClaim } from '../../api/core/v1/index.js';
import { DEFAULT_CLASS_ANNOTATION, type StorageClass } from '../../api/storage/v1/index.js';
import { ANN_PROVISIONED_BY } from '../persistentvolume/index.js';

/** The provisioner name, k3s's, so StorageClasses written for k3s work unchanged. */
export const PROVISIONER = 'rancher.io/local-path';
export const CLASS_NAME = 'local-path';
export const DEFAULT_STORAGE_ROOT = '/var/lib/tugboat/storage';
const HOSTNAME_LABEL = 'kubernetes.io/hostname';
const SUPPORTED_MODES = ['ReadWriteOnce', 'ReadWriteOncePod'];

export function defaultStorageClass(): StorageClass {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: CLASS_NAME, annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' } },
    provisioner: PROVISIONER,
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
  };
}

export const volumeNameFor = (c: PersistentVolumeClaim): string => `pvc-${c.metadata?.uid ?? ''}`;

/** Why this claim cannot be provisioned, or undefined. */
export function unsupported(c: PersistentVolumeClaim): string | undefined {
  const bad = (c.spec?.accessModes ?? []).filter((m) => !SUPPORTED_MODES.includes(m));
  if (bad.length > 0) return `NodePath only supports ReadWriteOnce and ReadWriteOncePod access modes, not ${bad.join(', ')}`;
  if (c.spec?.volumeMode === 'Block') return 'NodePath only supports the Filesystem volume mode';
  return undefined;
}

export function volumeFor(o: { claim: PersistentVolumeClaim; cls: StorageClass; nodeName: string; node: Node | undefined; storageRoot: string }): PersistentVolume {
  const m = o.claim.metadata ?? {};
  const hostname = o.node?.metadata?.labels?.[HOSTNAME_LABEL] ?? o.nodeName;
  const dir = `${volumeNameFor(o.claim)}_${m.namespace ?? ''}_${m.name ?? ''}`;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: volumeNameFor(o.claim), annotations: { [ANN_PROVISIONED_BY]: PROVISIONER } },
    spec: {
      capacity: { storage: o.claim.spec?.resources?.requests?.storage ?? '0' },
      accessModes: o.claim.spec?.accessModes ?? ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: o.cls.reclaimPolicy ?? 'Delete',
      storageClassName: o.cls.metadata?.name ?? '',
      volumeMode: 'Filesystem',
      ...(o.cls.mountOptions?.length ? { mountOptions: o.cls.mountOptions } : {}),
      local: { path: `${o.storageRoot.replace(/\/+$/, '')}/${dir}` },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: HOSTNAME_LABEL, operator: 'In', values: [hostname] }] }] } },
      claimRef: {
        kind: 'PersistentVolumeClaim',
        apiVersion: 'v1',
        namespace: m.namespace ?? '',
        name: m.name ?? '',
        uid: m.uid ?? '',
        resourceVersion: m.resourceVersion ?? '',
      },
    },
  };
}
