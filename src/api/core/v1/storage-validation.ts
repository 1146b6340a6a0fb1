// Validation PersistentVolumes and PersistentVolumeClaims need beyond the claim-spec and node
// selector checks of volume-claim-validation.ts and affinity-validation.ts: access modes, volume
// modes, storage class names and sizes of a PV, and the data-source rules of a PVC.
import { child, invalid, required, notSupported, type FieldError } from '../../../lib/field-errors.js';
import { parseQuantity } from '../../../lib/quantity.js';
import { checkFormat } from '../../validation/meta.js';
import { dns1123Subdomain } from '../../validation/names.js';
import { ACCESS_MODES, VOLUME_MODES, type PersistentVolumeClaimSpec } from './volume-claim-spec.js';

const oneOf = (values: readonly string[], v: string): boolean => values.includes(v);

export function validateAccessModes(modes: string[] | undefined, path: string, opts: { detail: string }): FieldError[] {
  const list = modes ?? [];
  if (list.length === 0) return [required(path, opts.detail)];
  const out: FieldError[] = [];
  for (const m of list) if (!oneOf(ACCESS_MODES, m)) out.push(notSupported(path, m, ACCESS_MODES));
  if (list.includes('ReadWriteOncePod') && list.length > 1)
    out.push(invalid(path, list, 'may not use ReadWriteOncePod with other access modes'));
  return out;
}

export function validateVolumeMode(mode: string | undefined, path: string): FieldError[] {
  return mode !== undefined && !oneOf(VOLUME_MODES, mode) ? [notSupported(path, mode, VOLUME_MODES)] : [];
}

export function validateStorageClassName(name: string | undefined, path: string): FieldError[] {
  return name ? checkFormat(path, name, dns1123Subdomain) : [];
}

/** A storage size: a valid quantity, and strictly positive when `positive` says so. */
export function validateStorageQuantity(q: string | number, path: string, opts: { positive: boolean }): FieldError[] {
  const parsed = parseQuantity(q);
  if (!parsed) return [invalid(path, q, 'must be a valid quantity')];
  if (opts.positive && parsed.value <= 0) return [invalid(path, q, 'must be greater than zero')];
  if (parsed.value < 0) return [invalid(path, q, 'must be greater than or equal to 0')];
  return [];
}

// Without an API group a data source can only be another claim (the core group has no snapshots).
function coreKindOnly(ref: { apiGroup?: string; kind?: string } | undefined, path: string): FieldError[] {
  if (!ref?.kind) return [];
  if (ref.apiGroup) return checkFormat(child(path, 'apiGroup'), ref.apiGroup, dns1123Subdomain);
  return ref.kind === 'PersistentVolumeClaim' ? [] : [notSupported(child(path, 'kind'), ref.kind, ['PersistentVolumeClaim'])];
}

/** Data-source rules the claim-spec check leaves to the PersistentVolumeClaim kind. */
export function validateClaimDataSources(spec: PersistentVolumeClaimSpec | undefined, path: string): FieldError[] {
  const ds = spec?.dataSource;
  const dsr = spec?.dataSourceRef;
  const out = [...coreKindOnly(ds, child(path, 'dataSource')), ...coreKindOnly(dsr, child(path, 'dataSourceRef'))];
  if (ds && dsr && !dsr.namespace && (ds.kind !== dsr.kind || ds.name !== dsr.name || (ds.apiGroup ?? '') !== (dsr.apiGroup ?? '')))
    out.push(invalid(child(path, 'dataSource'), ds, 'must match dataSourceRef'));
  return out;
}
