// apps/v1 StatefulSet: pods with stable names (web-0, web-1, ...) and, through volume claim
// templates, stable storage, created and updated in order. Schema, Kubernetes defaults, and the
// validation that keeps most of the spec fixed after creation.
import { obj, str, int32, int64, enumStr, intOrString, list, describeKind, type Static } from '../../schema.js';
import { LabelSelector, ObjectMeta, typeMeta } from '../../meta/v1.js';
import { defineKind } from '../../kind.js';
import { checkFormat, validateObjectMeta } from '../../validation/meta.js';
import { dns1123Subdomain } from '../../validation/names.js';
import { PodTemplateSpec } from '../../core/v1/pod-spec.js';
import { defaultPodSpec } from '../../core/v1/pod-defaults.js';
import { validatePodTemplateSpec } from '../../core/v1/pod-validation.js';
import { dns1123Label } from '../../validation/names.js';
import { PersistentVolumeClaim } from '../../core/v1/persistentvolumeclaim.js';
import { defaultClaimSpec } from '../../core/v1/volume-defaults.js';
import { child, duplicate, forbidden, index, invalid, notSupported, required, type FieldError } from '../../../lib/field-errors.js';
import {
  conditionList,
  conditionSchema,
  intOrPercentValue,
  nonNegative,
  sameValue,
  validateControllerSelector,
  validateIntOrPercent,
  validateLongRunningTemplate,
} from './workload.js';

const P = 'io.k8s.api.apps.v1';

const POD_MANAGEMENT = ['OrderedReady', 'Parallel'] as const;
const UPDATE_TYPES = ['RollingUpdate', 'OnDelete'] as const;
const RETENTION = ['Retain', 'Delete'] as const;

export const RollingUpdateStatefulSetStrategy = obj(
  'Parameters of a StatefulSet rolling update.',
  {
    partition: int32('Only pods with an ordinal at or above this number are updated; lower ones keep the old revision. Defaults to 0.'),
    maxUnavailable: intOrString('How many pods (a count or a percentage) may be unavailable at once during the update; defaults to 1.'),
  },
  { id: `${P}.RollingUpdateStatefulSetStrategy` },
);

export const StatefulSetUpdateStrategy = obj(
  'How the StatefulSet moves its pods to a new template: RollingUpdate (the default) replaces them one at a time ' +
    'from the highest ordinal down; OnDelete only uses the new template for pods you delete yourself.',
  {
    type: enumStr('RollingUpdate or OnDelete; defaults to RollingUpdate.', UPDATE_TYPES),
    rollingUpdate: RollingUpdateStatefulSetStrategy,
  },
  { id: `${P}.StatefulSetUpdateStrategy` },
);

export const StatefulSetPersistentVolumeClaimRetentionPolicy = obj(
  'What happens to claims created from volumeClaimTemplates when the StatefulSet is deleted or scaled down.',
  {
    whenDeleted: enumStr('Retain (default) keeps the claims when the StatefulSet is deleted; Delete removes them.', RETENTION),
    whenScaled: enumStr('Retain (default) keeps the claims of pods removed by a scale-down; Delete removes them.', RETENTION),
  },
  { id: `${P}.StatefulSetPersistentVolumeClaimRetentionPolicy` },
);

export const StatefulSetOrdinals = obj(
  'How the pods of a StatefulSet are numbered.',
  { start: int32('The ordinal of the first pod; pods are numbered start to start+replicas-1. Defaults to 0.') },
  { id: `${P}.StatefulSetOrdinals` },
);

export const StatefulSetSpec = obj(
  'The desired state of a StatefulSet.',
  {
    replicas: int32('Number of pods wanted; defaults to 1.'),
    selector: LabelSelector,
    template: PodTemplateSpec,
    volumeClaimTemplates: list(
      'Claims each pod gets its own copy of (named <template>-<pod>); pods mount them as volumes of the same name.',
      PersistentVolumeClaim,
      { listType: 'atomic' },
    ),
    serviceName: str('Headless Service that gives the pods their DNS names (<pod>.<service>.<namespace>.svc).'),
    podManagementPolicy: enumStr(
      'OrderedReady (default) creates and removes pods one at a time in ordinal order; Parallel does so all at once.',
      POD_MANAGEMENT,
    ),
    updateStrategy: StatefulSetUpdateStrategy,
    revisionHistoryLimit: int32('How many old ControllerRevisions to keep; defaults to 10.'),
    minReadySeconds: int32('Seconds a new pod must be ready without crashing before it counts as available; defaults to 0.'),
    persistentVolumeClaimRetentionPolicy: StatefulSetPersistentVolumeClaimRetentionPolicy,
    ordinals: StatefulSetOrdinals,
  },
  { id: `${P}.StatefulSetSpec`, required: ['selector', 'template'] },
);

export const StatefulSetCondition = conditionSchema({
  id: `${P}.StatefulSetCondition`,
  description: 'One observation about a StatefulSet.',
});

export const StatefulSetStatus = obj(
  'The most recently observed state of a StatefulSet.',
  {
    observedGeneration: int64('The spec generation the controller last acted on.'),
    replicas: int32('Pods the controller has created.'),
    readyReplicas: int32('Pods with a Ready condition.'),
    currentReplicas: int32('Pods at currentRevision.'),
    updatedReplicas: int32('Pods at updateRevision.'),
    currentRevision: str('Revision the pods below the partition run.'),
    updateRevision: str('Revision generated from the current template.'),
    collisionCount: int32('Counts hash collisions of revision names; mixed into the next name to avoid them.'),
    conditions: conditionList('Current observations of the StatefulSet.', StatefulSetCondition),
    availableReplicas: int32('Pods ready for at least minReadySeconds.'),
  },
  { id: `${P}.StatefulSetStatus`, required: ['replicas'] },
);

export const StatefulSet = obj(
  'Runs pods with stable identities and storage, created, scaled and updated in order.',
  {
    ...typeMeta,
    metadata: ObjectMeta,
    spec: StatefulSetSpec,
    status: StatefulSetStatus,
  },
  { id: `${P}.StatefulSet`, ...describeKind('apps', 'v1', 'StatefulSet') },
);
export type StatefulSet = Static<typeof StatefulSet>;
export type StatefulSetSpec = Static<typeof StatefulSetSpec>;
export type StatefulSetStatus = Static<typeof StatefulSetStatus>;

export function defaultStatefulSet(sts: StatefulSet): void {
  const spec = sts.spec;
  if (!spec) return;
  spec.podManagementPolicy ||= 'OrderedReady';
  const strategy = (spec.updateStrategy ??= {});
  if (!strategy.type) {
    strategy.type = 'RollingUpdate';
    strategy.rollingUpdate ??= {};
  }
  if (strategy.type === 'RollingUpdate' && strategy.rollingUpdate) strategy.rollingUpdate.partition ??= 0;
  const retention = (spec.persistentVolumeClaimRetentionPolicy ??= {});
  retention.whenDeleted ||= 'Retain';
  retention.whenScaled ||= 'Retain';
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  if (spec.template?.spec) defaultPodSpec(spec.template.spec);
  for (const claim of spec.volumeClaimTemplates ?? []) {
    // Templates are stored as whole claims, so they read back with their type and a Pending phase.
    claim.apiVersion ||= 'v1';
    claim.kind ||= 'PersistentVolumeClaim';
    if (claim.spec) defaultClaimSpec(claim.spec);
    const status = (claim.status ??= {});
    status.phase ||= 'Pending';
  }
}

function validateUpdateStrategy(strategy: StatefulSetSpec['updateStrategy'], path: string): FieldError[] {
  const s = strategy ?? {};
  const ruPath = child(path, 'rollingUpdate');
  if (!s.type) return [required(path, '')];
  switch (s.type) {
    case 'OnDelete':
      return s.rollingUpdate ? [invalid(ruPath, s.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'")] : [];
    case 'RollingUpdate': {
      const ru = s.rollingUpdate;
      if (!ru) return [];
      const out = nonNegative(child(ruPath, 'partition'), ru.partition);
      if (ru.maxUnavailable !== undefined) {
        const p = child(ruPath, 'maxUnavailable');
        out.push(...validateIntOrPercent(ru.maxUnavailable, p, { atMost100Percent: true }));
        if (intOrPercentValue(ru.maxUnavailable) === 0) out.push(invalid(p, ru.maxUnavailable, 'must be greater than 0'));
      }
      return out;
    }
    default:
      return [invalid(path, s, "must be 'RollingUpdate' or 'OnDelete'")];
  }
}

/**
 * The template as its pods will be: every claim template becomes a volume of the same name, so
 * containers may mount claims the template itself does not declare. Invalid claim names are
 * reported on volumeClaimTemplates, so they are not added.
 */
function withClaimVolumes(s: Partial<StatefulSetSpec>): StatefulSetSpec["template"] | undefined {
  const tpl = s.template;
  const claims = [...new Set((s.volumeClaimTemplates ?? []).map((c) => c.metadata?.name).filter((n): n is string => !!n && dns1123Label(n).length === 0))];
  if (!tpl?.spec || claims.length === 0) return tpl;
  const have = new Set((tpl.spec.volumes ?? []).map((v) => v.name));
  const extra = claims.filter((n) => !have.has(n)).map((n) => ({ name: n, persistentVolumeClaim: { claimName: n } }));
  return { ...tpl, spec: { ...tpl.spec, volumes: [...(tpl.spec.volumes ?? []), ...extra] } };
}

function validateClaimTemplates(claims: StatefulSetSpec['volumeClaimTemplates'], path: string): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  (claims ?? []).forEach((c, i) => {
    const p = child(index(path, i), 'metadata.name');
    const name = c.metadata?.name;
    if (!name) {
      out.push(required(p, 'name is required'));
      return;
    }
    out.push(...checkFormat(p, name, dns1123Subdomain));
    if (seen.has(name)) out.push(duplicate(p, name));
    seen.add(name);
  });
  return out;
}

export function validateStatefulSetSpec(spec: StatefulSetSpec | undefined, path: string): FieldError[] {
  const s: Partial<StatefulSetSpec> = spec ?? {};
  const out: FieldError[] = [];
  const pmp = child(path, 'podManagementPolicy');
  if (!s.podManagementPolicy) out.push(required(pmp, ''));
  else if (!POD_MANAGEMENT.includes(s.podManagementPolicy)) {
    out.push(invalid(pmp, s.podManagementPolicy, "must be 'OrderedReady' or 'Parallel'"));
  }
  out.push(...validateUpdateStrategy(s.updateStrategy, child(path, 'updateStrategy')));
  const retention = s.persistentVolumeClaimRetentionPolicy;
  if (retention) {
    const rp = child(path, 'persistentVolumeClaimRetentionPolicy');
    for (const f of ['whenDeleted', 'whenScaled'] as const) {
      if (!RETENTION.includes(retention[f] as (typeof RETENTION)[number])) out.push(notSupported(child(rp, f), retention[f] ?? '', RETENTION));
    }
  }
  out.push(...nonNegative(child(path, 'revisionHistoryLimit'), s.revisionHistoryLimit));
  out.push(...nonNegative(child(path, 'replicas'), s.replicas));
  out.push(...nonNegative(child(path, 'minReadySeconds'), s.minReadySeconds));
  out.push(...nonNegative(child(path, 'ordinals.start'), s.ordinals?.start));
  out.push(...validateControllerSelector(s.selector, s.template, { path, kind: 'statefulset' }));
  // A missing template is checked as an empty one, so the error names the missing containers.
  out.push(...validatePodTemplateSpec(withClaimVolumes(s), child(path, 'template')));
  out.push(...validateLongRunningTemplate(s.template, { path, kind: 'StatefulSet' }));
  out.push(...validateClaimTemplates(s.volumeClaimTemplates, child(path, 'volumeClaimTemplates')));
  return out;
}

/** The spec fields a StatefulSet update may change; the rest would strand existing pods or claims. */
const MUTABLE = [
  'replicas',
  'ordinals',
  'template',
  'updateStrategy',
  'revisionHistoryLimit',
  'persistentVolumeClaimRetentionPolicy',
  'minReadySeconds',
] as const;

function validateSpecUpdate(now: StatefulSetSpec | undefined, before: StatefulSetSpec | undefined): FieldError[] {
  const strip = (s: StatefulSetSpec | undefined): Record<string, unknown> => {
    const rest: Record<string, unknown> = { ...s };
    for (const f of MUTABLE) delete rest[f];
    return rest;
  };
  if (sameValue(strip(now), strip(before))) return [];
  return [
    forbidden(
      'spec',
      "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', " +
        "'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ),
  ];
}

function validateStatefulSetStatus(status: StatefulSetStatus | undefined): FieldError[] {
  if (!status) return [];
  const p = (f: string): string => `status.${f}`;
  const out = [
    ...nonNegative(p('observedGeneration'), status.observedGeneration),
    ...nonNegative(p('collisionCount'), status.collisionCount),
  ];
  for (const f of ['replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas'] as const) {
    out.push(...nonNegative(p(f), status[f]));
    if (f !== 'replicas' && (status[f] ?? 0) > (status.replicas ?? 0)) out.push(invalid(p(f), status[f], 'cannot be greater than status.replicas'));
  }
  if ((status.availableReplicas ?? 0) > (status.readyReplicas ?? 0)) {
    out.push(invalid(p('availableReplicas'), status.availableReplicas, 'cannot be greater than status.readyReplicas'));
  }
  return out;
}

export const statefulSetKind = defineKind({
  group: 'apps',
  version: 'v1',
  kind: 'StatefulSet',
  plural: 'statefulsets',
  singular: 'statefulset',
  namespaced: true,
  shortNames: ['sts'],
  categories: ['all'],
  schema: StatefulSet,
  status: true,
  scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'status.selector' },
  defaults: defaultStatefulSet,
  validate(sts, { old }) {
    const out = validateObjectMeta(sts.metadata, { namespaced: true });
    out.push(...validateStatefulSetSpec(sts.spec, 'spec'));
    // The selector is not among the mutable fields, so this also keeps it fixed.
    if (old) out.push(...validateSpecUpdate(sts.spec, old.spec));
    out.push(...validateStatefulSetStatus(sts.status));
    return out;
  },
});
