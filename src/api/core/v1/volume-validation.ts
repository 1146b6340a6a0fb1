// Validation of a pod's volumes: names unique DNS labels, exactly one source each, the fields
// each source needs (taken from the schema's required lists, plus the rules Kubernetes adds),
// file modes, projected paths, and claim templates of ephemeral volumes.
import { child, index, invalid, required, forbidden, duplicate, notSupported, type FieldError } from '../../../lib/field-errors.js';
import { dns1123Label, dns1123Subdomain } from '../../validation/names.js';
import { checkFormat, validateLabelSelector } from '../../validation/meta.js';
import { validateDataKeys } from './configmap.js';
import { Volume, VOLUME_SOURCE_FIELDS } from './volume.js';
import { HOST_PATH_TYPES, type KeyToPath, type DownwardAPIVolumeFile } from './volume-sources.js';
import type { VolumeProjection } from './volume-projected.js';
import { validateClaimTemplate } from './volume-claim-validation.js';
import { validateFieldRef, validateResourceFieldRef, VOLUME_FIELD_PATHS } from './container-env-validation.js';
import { localDescendingPath } from './container-mount-validation.js';
import { checkQuantity } from './container-resources-validation.js';

const MAX_MODE = 0o777;

export interface VolumeOptions {
  containerNames: ReadonlySet<string>;
  /** Templates may leave an image volume's reference for a controller to fill in. */
  template: boolean;
}

function mode(v: number | undefined, path: string): FieldError[] {
  return v !== undefined && (v < 0 || v > MAX_MODE || !Number.isInteger(v))
    ? [invalid(path, v, 'must be a number between 0 and 0777 (octal), both inclusive')]
    : [];
}

/** Required fields of the source's schema that are missing or empty. */
function missingRequired(field: (typeof VOLUME_SOURCE_FIELDS)[number], src: Record<string, unknown>, path: string): FieldError[] {
  const schema = Volume.properties[field] as { required?: string[] };
  return (schema.required ?? []).filter((k) => src[k] === undefined || src[k] === '').map((k) => required(child(path, k)));
}

function validateItems(items: KeyToPath[] | undefined, path: string): FieldError[] {
  const out: FieldError[] = [];
  (items ?? []).forEach((it, i) => {
    const p = index(path, i);
    if (!it.key) out.push(required(child(p, 'key')));
    else out.push(...validateDataKeys([it.key], child(p, 'key')));
    if (!it.path) out.push(required(child(p, 'path')));
    else out.push(...localDescendingPath(child(p, 'path'), it.path));
    out.push(...mode(it.mode, child(p, 'mode')));
  });
  return out;
}

function validateDownwardFiles(items: DownwardAPIVolumeFile[] | undefined, path: string, opts: VolumeOptions): FieldError[] {
  const out: FieldError[] = [];
  (items ?? []).forEach((f, i) => {
    const p = index(path, i);
    if (!f.path) out.push(required(child(p, 'path')));
    else out.push(...localDescendingPath(child(p, 'path'), f.path));
    out.push(...mode(f.mode, child(p, 'mode')));
    if (f.fieldRef && f.resourceFieldRef) out.push(invalid(p, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
    else if (!f.fieldRef && !f.resourceFieldRef) out.push(required(p, 'one of fieldRef and resourceFieldRef is required'));
    if (f.fieldRef) out.push(...validateFieldRef(f.fieldRef, child(p, 'fieldRef'), { supported: VOLUME_FIELD_PATHS }));
    if (f.resourceFieldRef)
      out.push(
        ...validateResourceFieldRef(f.resourceFieldRef, child(p, 'resourceFieldRef'), { containerNames: opts.containerNames, containerRequired: true }),
      );
  });
  return out;
}

const PROJECTION_FIELDS = ['secret', 'configMap', 'downwardAPI', 'serviceAccountToken', 'clusterTrustBundle'] as const;

function validateProjection(src: VolumeProjection, path: string, opts: VolumeOptions, filePaths: Set<string>): FieldError[] {
  const out: FieldError[] = [];
  const set = PROJECTION_FIELDS.filter((f) => src[f] !== undefined);
  if (set.length === 0) out.push(required(path, 'must specify exactly 1 volume type'));
  for (const f of set.slice(1)) out.push(forbidden(child(path, f), 'may not specify more than 1 volume type per source'));
  const claim = (p: string, file: string): void => {
    if (filePaths.has(file)) out.push(invalid(p, file, 'conflicting duplicate paths'));
    filePaths.add(file);
  };
  for (const f of ['secret', 'configMap'] as const) {
    const s = src[f];
    if (!s) continue;
    const p = child(path, f);
    if (!s.name) out.push(required(child(p, 'name')));
    out.push(...validateItems(s.items, child(p, 'items')));
    (s.items ?? []).forEach((it, i) => claim(child(index(child(p, 'items'), i), 'path'), it.path));
  }
  if (src.downwardAPI) {
    const p = child(path, 'downwardAPI');
    out.push(...validateDownwardFiles(src.downwardAPI.items, child(p, 'items'), opts));
    (src.downwardAPI.items ?? []).forEach((it, i) => claim(child(index(child(p, 'items'), i), 'path'), it.path));
  }
  const tok = src.serviceAccountToken;
  if (tok) {
    const p = child(path, 'serviceAccountToken');
    const ep = child(p, 'expirationSeconds');
    if (tok.expirationSeconds !== undefined && tok.expirationSeconds < 600)
      out.push(invalid(ep, tok.expirationSeconds, 'may not specify a duration less than 10 minutes'));
    if (tok.expirationSeconds !== undefined && tok.expirationSeconds > 2 ** 32)
      out.push(invalid(ep, tok.expirationSeconds, 'may not specify a duration larger than 2^32 seconds'));
    if (!tok.path) out.push(required(child(p, 'path')));
    else {
      out.push(...localDescendingPath(child(p, 'path'), tok.path));
      claim(child(p, 'path'), tok.path);
    }
  }
  const ctb = src.clusterTrustBundle;
  if (ctb) {
    const p = child(path, 'clusterTrustBundle');
    if (ctb.name && (ctb.signerName || ctb.labelSelector))
      out.push(invalid(p, ctb.name, 'only one of name and signerName may be used'));
    if (!ctb.name && !ctb.signerName) out.push(required(p, 'either name or signerName must be specified'));
    if (ctb.labelSelector) out.push(...validateLabelSelector(ctb.labelSelector, child(p, 'labelSelector')));
    if (!ctb.path) out.push(required(child(p, 'path')));
    else {
      out.push(...localDescendingPath(child(p, 'path'), ctb.path));
      claim(child(p, 'path'), ctb.path);
    }
  }
  return out;
}

const VALIDATION_ORDER = ['emptyDir' as const, ...VOLUME_SOURCE_FIELDS.filter((f) => f !== 'emptyDir')];

const EMPTY_DIR_MEDIA = ['', 'Memory', 'HugePages'];

function validateSource(v: Volume, field: (typeof VOLUME_SOURCE_FIELDS)[number], path: string, opts: VolumeOptions): FieldError[] {
  const src = v[field] as Record<string, unknown>;
  const p = child(path, field);
  const out = missingRequired(field, src, p);
  if (v.hostPath?.type !== undefined && !(HOST_PATH_TYPES as readonly string[]).includes(v.hostPath.type))
    out.push(notSupported(child(p, 'type'), v.hostPath.type, HOST_PATH_TYPES));
  if (v.emptyDir) {
    const medium = v.emptyDir.medium ?? '';
    if (!EMPTY_DIR_MEDIA.includes(medium) && !medium.startsWith('HugePages-'))
      out.push(notSupported(child(p, 'medium'), medium, EMPTY_DIR_MEDIA));
    if (v.emptyDir.sizeLimit !== undefined) checkQuantity(child(p, 'sizeLimit'), v.emptyDir.sizeLimit, out);
  }
  if (v.secret) {
    if (!v.secret.secretName) out.push(required(child(p, 'secretName')));
    else out.push(...checkFormat(child(p, 'secretName'), v.secret.secretName, dns1123Subdomain));
    out.push(...mode(v.secret.defaultMode, child(p, 'defaultMode')), ...validateItems(v.secret.items, child(p, 'items')));
  }
  if (v.configMap) {
    if (!v.configMap.name) out.push(required(child(p, 'name')));
    else out.push(...checkFormat(child(p, 'name'), v.configMap.name, dns1123Subdomain));
    out.push(...mode(v.configMap.defaultMode, child(p, 'defaultMode')), ...validateItems(v.configMap.items, child(p, 'items')));
  }
  if (v.downwardAPI) {
    out.push(...mode(v.downwardAPI.defaultMode, child(p, 'defaultMode')));
    out.push(...validateDownwardFiles(v.downwardAPI.items, child(p, 'items'), opts));
  }
  if (v.projected) {
    out.push(...mode(v.projected.defaultMode, child(p, 'defaultMode')));
    const files = new Set<string>();
    (v.projected.sources ?? []).forEach((s, i) => out.push(...validateProjection(s, index(child(p, 'sources'), i), opts, files)));
  }
  if (v.nfs?.path && !v.nfs.path.startsWith('/')) out.push(invalid(child(p, 'path'), v.nfs.path, 'must be an absolute path'));
  if (v.iscsi) {
    const lun = v.iscsi.lun;
    if (lun !== undefined && (lun < 0 || lun > 255)) out.push(invalid(child(p, 'lun'), lun, 'must be between 0 and 255, inclusive'));
    if (v.iscsi.iqn && !/^(iqn|eui|naa)\./.test(v.iscsi.iqn))
      out.push(invalid(child(p, 'iqn'), v.iscsi.iqn, 'must be valid format starting with iqn, eui, or naa'));
    if ((v.iscsi.chapAuthDiscovery || v.iscsi.chapAuthSession) && !v.iscsi.secretRef?.name)
      out.push(required(child(p, 'secretRef'), 'must be set when CHAP authentication is enabled'));
  }
  if (v.ephemeral) {
    const tpl = v.ephemeral.volumeClaimTemplate;
    if (!tpl) out.push(required(child(p, 'volumeClaimTemplate')));
    else out.push(...validateClaimTemplate(tpl, child(p, 'volumeClaimTemplate')));
  }
  if (v.image) {
    if (!v.image.reference && !opts.template) out.push(required(child(p, 'reference')));
    const pp = v.image.pullPolicy;
    if (pp !== undefined && !['Always', 'IfNotPresent', 'Never'].includes(pp))
      out.push(notSupported(child(p, 'pullPolicy'), pp, ['Always', 'IfNotPresent', 'Never']));
  }
  return out;
}

export function validateVolumes(volumes: Volume[] | undefined, path: string, opts: VolumeOptions): FieldError[] {
  const out: FieldError[] = [];
  const names = new Set<string>();
  (volumes ?? []).forEach((v, i) => {
    const p = index(path, i);
    const np = child(p, 'name');
    if (!v.name) out.push(required(np));
    else {
      out.push(...checkFormat(np, v.name, dns1123Label));
      if (names.has(v.name)) out.push(duplicate(np, v.name));
      names.add(v.name);
    }
    // Kubernetes looks at emptyDir first, so a second source is the one reported.
    const set = VALIDATION_ORDER.filter((f) => v[f] !== undefined);
    if (set.length === 0) out.push(required(p, 'must specify a volume type'));
    for (const f of set.slice(1)) out.push(forbidden(child(p, f), 'may not specify more than 1 volume type'));
    if (set[0]) out.push(...validateSource(v, set[0], p, opts));
  });
  return out;
}
