// storage.k8s.io/v1 StorageClass: a named way of provisioning PersistentVolumes (which
// provisioner, with what parameters, reclaim policy and binding mode). Cluster-scoped; the
// annotation storageclass.kubernetes.io/is-default-class marks the class for claims that name
// none. What a class provisions cannot change once created.
import { obj, str, bool, strList, list, strMap, enumStr, describeKind, type Static } from '../../schema.js';
import { ObjectMeta, typeMeta } from '../../meta/v1.js';
import { defineKind } from '../../kind.js';
import { validateObjectMeta, checkFormat, immutable } from '../../validation/meta.js';
import { qualifiedName } from '../../validation/names.js';
import { child, index, required, forbidden, notSupported, tooLong, type FieldError } from '../../../lib/field-errors.js';
import { TopologySelectorTerm } from '../../core/v1/index.js';

export const RECLAIM_POLICIES = ['Delete', 'Retain'] as const;
export const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'] as const;
export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
const MAX_PARAMETERS = 512;
const MAX_PARAMETERS_SIZE = 256 * 1024;

export const StorageClass = obj(
  'A class of storage that PersistentVolumes are provisioned from.',
  {
    ...typeMeta,
    metadata: ObjectMeta,
    provisioner: str('Name of the volume plugin or CSI driver that provisions volumes.'),
    parameters: strMap('Provisioner-specific settings, e.g. a disk type.'),
    reclaimPolicy: enumStr('What happens to provisioned volumes when released: Delete (default) or Retain.', RECLAIM_POLICIES),
    mountOptions: strList('Mount options given to provisioned volumes.', { listType: 'atomic' }),
    allowVolumeExpansion: bool('Claims of this class may grow.'),
    volumeBindingMode: enumStr('Immediate, or WaitForFirstConsumer to provision where the first pod is scheduled.', BINDING_MODES),
    allowedTopologies: list('Where volumes may be provisioned; anywhere when empty.', TopologySelectorTerm, { listType: 'atomic' }),
  },
  { id: 'io.k8s.api.storage.v1.StorageClass', required: ['provisioner'], ...describeKind('storage.k8s.io', 'v1', 'StorageClass') },
);
export type StorageClass = Static<typeof StorageClass>;

function validateParameters(params: Record<string, string>): FieldError[] {
  const out: FieldError[] = [];
  const keys = Object.keys(params);
  if (keys.length > MAX_PARAMETERS)
    out.push({ type: 'FieldValueTooMany', field: 'parameters', value: keys.length, detail: `${keys.length}: must have at most ${MAX_PARAMETERS} items` });
  let size = 0;
  for (const [k, v] of Object.entries(params)) {
    if (!k) out.push(required('parameters', 'parameter keys may not be empty'));
    size += k.length + v.length;
  }
  if (size > MAX_PARAMETERS_SIZE) out.push(tooLong('parameters', '', MAX_PARAMETERS_SIZE));
  return out;
}

function validateTopologies(terms: StorageClass['allowedTopologies']): FieldError[] {
  const out: FieldError[] = [];
  (terms ?? []).forEach((t, i) => {
    const tp = index('allowedTopologies', i);
    const exprs = t.matchLabelExpressions ?? [];
    if (exprs.length === 0) out.push(required(child(tp, 'matchLabelExpressions'), 'must have at least one label expression'));
    exprs.forEach((e, j) => {
      const ep = index(child(tp, 'matchLabelExpressions'), j);
      out.push(...checkFormat(child(ep, 'key'), e.key ?? '', qualifiedName));
      if (!e.values?.length) out.push(required(child(ep, 'values'), 'must have at least one value'));
    });
  });
  return out;
}

/** Fields a class provisions with; changing them would make existing volumes inconsistent. */
function validateUpdate(sc: StorageClass, old: StorageClass): FieldError[] {
  const out: FieldError[] = [];
  if (!sameMap(sc.parameters ?? {}, old.parameters ?? {})) out.push(forbidden('parameters', 'updates to parameters are forbidden.'));
  if (sc.provisioner !== old.provisioner) out.push(forbidden('provisioner', 'updates to provisioner are forbidden.'));
  if (sc.reclaimPolicy !== old.reclaimPolicy) out.push(forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
  out.push(...immutable('volumeBindingMode', sc.volumeBindingMode, old.volumeBindingMode));
  return out;
}

function sameMap(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

export const storageClassKind = defineKind({
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'StorageClass',
  plural: 'storageclasses',
  singular: 'storageclass',
  namespaced: false,
  shortNames: ['sc'],
  schema: StorageClass,
  defaults(sc) {
    sc.reclaimPolicy ||= 'Delete';
    sc.volumeBindingMode ||= 'Immediate';
  },
  validate(sc, { old }) {
    const out = validateObjectMeta(sc.metadata, { namespaced: false });
    if (!sc.provisioner) out.push(required('provisioner'));
    else out.push(...checkFormat('provisioner', sc.provisioner.toLowerCase(), qualifiedName));
    out.push(...validateParameters(sc.parameters ?? {}));
    if (sc.reclaimPolicy && !(RECLAIM_POLICIES as readonly string[]).includes(sc.reclaimPolicy))
      out.push(notSupported('reclaimPolicy', sc.reclaimPolicy, RECLAIM_POLICIES));
    if (!sc.volumeBindingMode) out.push(required('volumeBindingMode'));
    else if (!(BINDING_MODES as readonly string[]).includes(sc.volumeBindingMode))
      out.push(notSupported('volumeBindingMode', sc.volumeBindingMode, BINDING_MODES));
    out.push(...validateTopologies(sc.allowedTopologies));
    if (old) out.push(...validateUpdate(sc, old));
    return out;
  },
});
