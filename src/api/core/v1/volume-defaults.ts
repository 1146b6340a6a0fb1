// Kubernetes defaults for pod volumes, applied in place: a volume with no source becomes an
// emptyDir, file modes default to 0644 (420), token projections to one hour, and the in-tree
// plugins get the fixed defaults Kubernetes gives them, so stored objects read back the same.
import type { Volume } from './volume.js';
import { VOLUME_SOURCE_FIELDS } from './volume.js';
import type { PersistentVolumeClaimSpec } from './volume-claim-spec.js';
import type { DownwardAPIVolumeFile } from './volume-sources.js';
import { defaultFieldRef, defaultResourceFieldRef, normalizeResourceMap } from './container-defaults.js';
import { normalizeQuantity } from '../../../lib/quantity.js';

/** 0644: owner read-write, everyone else read. */
export const DEFAULT_FILE_MODE = 0o644;

export function defaultVolume(v: Volume): void {
  if (!VOLUME_SOURCE_FIELDS.some((f) => v[f] !== undefined)) v.emptyDir = {};
  if (v.emptyDir?.sizeLimit !== undefined) v.emptyDir.sizeLimit = normalizeQuantity(v.emptyDir.sizeLimit);
  if (v.hostPath) v.hostPath.type ??= '';
  if (v.secret) v.secret.defaultMode ??= DEFAULT_FILE_MODE;
  if (v.configMap) v.configMap.defaultMode ??= DEFAULT_FILE_MODE;
  if (v.downwardAPI) {
    v.downwardAPI.defaultMode ??= DEFAULT_FILE_MODE;
    defaultDownwardFiles(v.downwardAPI.items);
  }
  if (v.projected) {
    v.projected.defaultMode ??= DEFAULT_FILE_MODE;
    for (const s of v.projected.sources ?? []) {
      if (s.serviceAccountToken) s.serviceAccountToken.expirationSeconds ??= 3600;
      if (s.downwardAPI) defaultDownwardFiles(s.downwardAPI.items);
    }
  }
  if (v.ephemeral?.volumeClaimTemplate?.spec) defaultClaimSpec(v.ephemeral.volumeClaimTemplate.spec);
  if (v.iscsi) v.iscsi.iscsiInterface ??= 'default';
  if (v.rbd) {
    v.rbd.pool ??= 'rbd';
    v.rbd.user ??= 'admin';
    v.rbd.keyring ??= '/etc/ceph/keyring';
  }
  if (v.azureDisk) {
    v.azureDisk.cachingMode ??= 'ReadWrite';
    v.azureDisk.fsType ??= 'ext4';
    v.azureDisk.readOnly ??= false;
    v.azureDisk.kind ??= 'Shared';
  }
  if (v.scaleIO) {
    v.scaleIO.storageMode ??= 'ThinProvisioned';
    v.scaleIO.fsType ??= 'xfs';
  }
}

function defaultDownwardFiles(items: DownwardAPIVolumeFile[] | undefined): void {
  for (const f of items ?? []) {
    if (f.fieldRef) defaultFieldRef(f.fieldRef);
    if (f.resourceFieldRef) defaultResourceFieldRef(f.resourceFieldRef);
  }
}

/** Claim-spec defaults; exported for the PersistentVolumeClaim kind. */
export function defaultClaimSpec(spec: PersistentVolumeClaimSpec): void {
  spec.volumeMode ??= 'Filesystem';
  normalizeResourceMap(spec.resources?.requests);
  normalizeResourceMap(spec.resources?.limits);
}
