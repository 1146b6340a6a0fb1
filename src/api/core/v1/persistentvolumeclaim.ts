// core/v1 PersistentVolumeClaim: a user's request for storage of some size, access mode and
// class, bound by the PV controller to a matching PersistentVolume. The spec schema is shared
// with ephemeral volumes (volume-claim-spec.ts). Once created, a claim may only grow its storage
// request (when bound) and learn its volume name.
import { Type } from '@sinclair/typebox';
import { obj, str, time, strList, enumStr, list, mapOf, quantity, describeKind, type Static } from '../../schema.js';
import { ObjectMeta, typeMeta } from '../../meta/v1.js';
import { defineKind } from '../../kind.js';
import { persistentVolumeClaimKind as persistentVolumeClaimKindNames } from '../../refs/index.js';
import { validateObjectMeta } from '../../validation/meta.js';
import { invalid, forbidden, notSupported, type FieldError } from '../../../lib/field-errors.js';
import { parseQuantity, compareQuantities } from '../../../lib/quantity.js';
import { PersistentVolumeClaimSpec } from './volume-claim-spec.js';
import { defaultClaimSpec } from './volume-defaults.js';
import { validateClaimSpec } from './volume-claim-validation.js';
import { validateClaimDataSources } from './storage-validation.js';
import { sameJson } from '../../../lib/json.js';

const id = (name: string): string => `io.k8s.api.core.v1.${name}`;

export const PVC_PHASES = ['Bound', 'Lost', 'Pending'] as const;

export const PersistentVolumeClaimCondition = obj(
  'One observation about a claim, e.g. that a resize is waiting for the node.',
  {
    type: str('Type of condition, e.g. Resizing or FileSystemResizePending.'),
    status: str('True, False or Unknown.'),
    lastProbeTime: time('When the condition was last checked.'),
    lastTransitionTime: time('When the status last changed.'),
    reason: str('Machine-readable reason in CamelCase.'),
    message: str('Human-readable details.'),
  },
  { id: id('PersistentVolumeClaimCondition'), required: ['type', 'status'] },
);

export const ModifyVolumeStatus = obj(
  'Progress of changing a volume to another VolumeAttributesClass.',
  {
    targetVolumeAttributesClassName: str('Class the volume is being changed to.'),
    status: enumStr('Pending, InProgress or Infeasible.', ['InProgress', 'Infeasible', 'Pending']),
  },
  { id: id('ModifyVolumeStatus'), required: ['status'] },
);

export const PersistentVolumeClaimStatus = obj(
  'Observed state of a claim.',
  {
    phase: enumStr('Pending, Bound or Lost.', PVC_PHASES),
    accessModes: strList('Access modes of the bound volume.', { listType: 'atomic' }),
    capacity: mapOf('Actual resources of the bound volume.', quantity('Quantity.')),
    conditions: list('Current conditions of the claim.', PersistentVolumeClaimCondition, {
      mergeKey: 'type',
      strategy: 'merge',
      listType: 'map',
      mapKeys: ['type'],
    }),
    allocatedResources: mapOf('Resources allocated to the claim, which may exceed the request during a resize.', quantity('Quantity.')),
    allocatedResourceStatuses: Type.Record(Type.String(), Type.String(), {
      description: 'State of each resource being resized, e.g. ControllerResizeInProgress.',
      'x-kubernetes-map-type': 'granular',
    }),
    currentVolumeAttributesClassName: str('VolumeAttributesClass currently applied to the volume.'),
    modifyVolumeStatus: ModifyVolumeStatus,
  },
  { id: id('PersistentVolumeClaimStatus') },
);

export const PersistentVolumeClaim = obj(
  'A request for storage, bound to a persistent volume.',
  { ...typeMeta, metadata: ObjectMeta, spec: PersistentVolumeClaimSpec, status: PersistentVolumeClaimStatus },
  { id: id('PersistentVolumeClaim'), ...describeKind('', 'v1', 'PersistentVolumeClaim') },
);
export type PersistentVolumeClaim = Static<typeof PersistentVolumeClaim>;

const IMMUTABLE_SPEC = 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims';

/** The spec with the fields that may change after creation taken out, for comparison. */
function fixedPart(spec: PersistentVolumeClaim['spec'], opts: { keepVolumeName: boolean }): Record<string, unknown> {
  const { resources, volumeAttributesClassName: _v, volumeName, ...rest } = spec ?? {};
  const { requests: _r, ...otherResources } = resources ?? {};
  return { ...rest, resources: otherResources, volumeName: opts.keepVolumeName ? volumeName : undefined };
}

function validateClaimUpdate(pvc: PersistentVolumeClaim, old: PersistentVolumeClaim): FieldError[] {
  const out: FieldError[] = [];
  // The binder fills volumeName in once; after that it is as fixed as the rest of the spec.
  const keepVolumeName = !!old.spec?.volumeName;
  // Compared structurally: admission may have added fields in another key order.
  if (!sameJson(fixedPart(pvc.spec, { keepVolumeName }), fixedPart(old.spec, { keepVolumeName }))) out.push(forbidden('spec', IMMUTABLE_SPEC));
  const now = pvc.spec?.resources?.requests?.storage;
  const before = old.spec?.resources?.requests?.storage;
  if (now === undefined || before === undefined || String(now) === String(before)) return out;
  if (old.status?.phase !== 'Bound') return [...out, forbidden('spec', IMMUTABLE_SPEC)];
  const q = parseQuantity(now);
  const floor = old.status?.capacity?.storage ?? before;
  const f = parseQuantity(floor);
  if (q && f && compareQuantities(q, f) < 0) {
    const what = old.status?.capacity?.storage !== undefined ? 'status.capacity' : 'previous value';
    out.push(forbidden('spec.resources.requests.storage', `field can not be less than ${what}`));
  }
  return out;
}

export const persistentVolumeClaimKind = defineKind({
  ...persistentVolumeClaimKindNames,
  status: true,
  schema: PersistentVolumeClaim,
  defaults(pvc) {
    const spec = (pvc.spec ??= {});
    defaultClaimSpec(spec);
    // Either data-source field implies the other, as Kubernetes keeps them in step.
    if (spec.dataSource && !spec.dataSourceRef) spec.dataSourceRef = { ...spec.dataSource };
    else if (spec.dataSourceRef && !spec.dataSource && !spec.dataSourceRef.namespace) {
      const { namespace: _n, ...ref } = spec.dataSourceRef;
      spec.dataSource = ref;
    }
    (pvc.status ??= {}).phase ||= 'Pending';
  },
  validate(pvc, { old }) {
    const out = validateObjectMeta(pvc.metadata, { namespaced: true });
    out.push(...validateClaimSpec(pvc.spec ?? {}, 'spec'), ...validateClaimDataSources(pvc.spec, 'spec'));
    const phase = pvc.status?.phase;
    if (phase && !(PVC_PHASES as readonly string[]).includes(phase)) out.push(notSupported('status.phase', phase, PVC_PHASES));
    for (const [name, q] of Object.entries(pvc.status?.capacity ?? {}))
      if (!parseQuantity(q)) out.push(invalid(`status.capacity[${name}]`, q, 'must be a valid quantity'));
    if (old) out.push(...validateClaimUpdate(pvc, old));
    return out;
  },
});
