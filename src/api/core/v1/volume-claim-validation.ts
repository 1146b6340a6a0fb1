// Validation of PersistentVolumeClaimSpec (access modes, requested storage, volume mode, class
// and data source) and of the claim templates of ephemeral volumes. The PersistentVolumeClaim
// kind can call `validateClaimSpec` for its own spec.
import { child, index, invalid, required, notSupported, type FieldError } from '../../../lib/field-errors.js';
import { dns1123Subdomain } from '../../validation/names.js';
import { checkFormat, validateLabels, validateAnnotations, validateLabelSelector } from '../../validation/meta.js';
import { ACCESS_MODES, VOLUME_MODES, type PersistentVolumeClaimSpec, type PersistentVolumeClaimTemplate } from './volume-claim-spec.js';
import { checkQuantity } from './container-resources-validation.js';

export function validateClaimSpec(spec: PersistentVolumeClaimSpec, path: string): FieldError[] {
  const out: FieldError[] = [];
  const modes = spec.accessModes ?? [];
  const ap = child(path, 'accessModes');
  if (modes.length === 0) out.push(required(ap, 'at least 1 access mode is required'));
  modes.forEach((m, i) => {
    if (!(ACCESS_MODES as readonly string[]).includes(m)) out.push(notSupported(index(ap, i), m, ACCESS_MODES));
  });
  if (modes.includes('ReadWriteOncePod') && modes.length > 1)
    out.push(invalid(ap, modes, 'may not use ReadWriteOncePod with other access modes'));
  if (spec.selector) out.push(...validateLabelSelector(spec.selector, child(path, 'selector')));
  const rp = child(path, 'resources');
  const storage = spec.resources?.requests?.storage;
  if (storage === undefined) out.push(required(`${rp}[storage]`));
  else {
    const q = checkQuantity(`${rp}[storage]`, storage, out);
    if (q && q.value <= 0) out.push(invalid(`${rp}[storage]`, storage, 'must be greater than zero'));
  }
  for (const [name, q] of Object.entries(spec.resources?.limits ?? {})) checkQuantity(`${child(rp, 'limits')}[${name}]`, q, out);
  if (spec.volumeMode !== undefined && !(VOLUME_MODES as readonly string[]).includes(spec.volumeMode))
    out.push(notSupported(child(path, 'volumeMode'), spec.volumeMode, VOLUME_MODES));
  if (spec.storageClassName) out.push(...checkFormat(child(path, 'storageClassName'), spec.storageClassName, dns1123Subdomain));
  for (const f of ['dataSource', 'dataSourceRef'] as const) {
    const ref = spec[f];
    if (!ref) continue;
    if (!ref.kind) out.push(required(child(child(path, f), 'kind')));
    if (!ref.name) out.push(required(child(child(path, f), 'name')));
  }
  return out;
}

export function validateClaimTemplate(tpl: PersistentVolumeClaimTemplate, path: string): FieldError[] {
  const meta = child(path, 'metadata');
  return [
    ...validateLabels(tpl.metadata?.labels, child(meta, 'labels')),
    ...validateAnnotations(tpl.metadata?.annotations, child(meta, 'annotations')),
    ...(tpl.spec ? validateClaimSpec(tpl.spec, child(path, 'spec')) : [required(child(path, 'spec'))]),
  ];
}
