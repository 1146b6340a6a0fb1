// apps/v1 ReplicaSet: keeps a number of pods matching a selector running, creating them from
// its template. Usually owned by a Deployment. Schema, the one default (a single replica) and
// validation, shared in wording with Deployments.
import { obj, int32, int64, describeKind, type Static } from '../../schema.js';
import { LabelSelector, ObjectMeta, typeMeta } from '../../meta/v1.js';
import { defineKind } from '../../kind.js';
import { validateObjectMeta } from '../../validation/meta.js';
import { PodTemplateSpec } from '../../core/v1/pod-spec.js';
import { defaultPodSpec } from '../../core/v1/pod-defaults.js';
import { validatePodTemplateSpec } from '../../core/v1/pod-validation.js';
import { child, invalid, type FieldError } from '../../../lib/field-errors.js';
import {
  conditionList,
  conditionSchema,
  nonNegative,
  unchanged,
  validateControllerSelector,
  validateLongRunningTemplate,
} from './workload.js';

const P = 'io.k8s.api.apps.v1';

export const ReplicaSetSpec = obj(
  'The desired state of a ReplicaSet.',
  {
    replicas: int32('Number of pods wanted; defaults to 1.'),
    minReadySeconds: int32('Seconds a new pod must be ready without crashing before it counts as available; defaults to 0.'),
    selector: LabelSelector,
    template: PodTemplateSpec,
  },
  { id: `${P}.ReplicaSetSpec`, required: ['selector'] },
);

export const ReplicaSetCondition = conditionSchema({
  id: `${P}.ReplicaSetCondition`,
  description: 'One observation about a ReplicaSet, such as ReplicaFailure.',
});

export const ReplicaSetStatus = obj(
  'The most recently observed state of a ReplicaSet.',
  {
    replicas: int32('Pods that currently match the selector (non-terminated).'),
    fullyLabeledReplicas: int32('Pods whose labels match all the labels of the template.'),
    readyReplicas: int32('Pods with a Ready condition.'),
    availableReplicas: int32('Pods ready for at least minReadySeconds.'),
    observedGeneration: int64('The spec generation the controller last acted on.'),
    conditions: conditionList('Current observations of the ReplicaSet.', ReplicaSetCondition),
  },
  { id: `${P}.ReplicaSetStatus`, required: ['replicas'] },
);

export const ReplicaSet = obj(
  'Keeps a given number of identical pods running.',
  {
    ...typeMeta,
    metadata: ObjectMeta,
    spec: ReplicaSetSpec,
    status: ReplicaSetStatus,
  },
  { id: `${P}.ReplicaSet`, ...describeKind('apps', 'v1', 'ReplicaSet') },
);
export type ReplicaSet = Static<typeof ReplicaSet>;
export type ReplicaSetSpec = Static<typeof ReplicaSetSpec>;
export type ReplicaSetStatus = Static<typeof ReplicaSetStatus>;

export function defaultReplicaSet(rs: ReplicaSet): void {
  if (!rs.spec) return;
  rs.spec.replicas ??= 1;
  if (rs.spec.template?.spec) defaultPodSpec(rs.spec.template.spec);
}

export function validateReplicaSetSpec(spec: ReplicaSetSpec | undefined, path: string): FieldError[] {
  const s: Partial<ReplicaSetSpec> = spec ?? {};
  const out = [
    ...nonNegative(child(path, 'replicas'), s.replicas),
    ...nonNegative(child(path, 'minReadySeconds'), s.minReadySeconds),
    ...validateControllerSelector(s.selector, s.template, { path, kind: 'deployment' }),
  ];
  // A missing template is checked as an empty one, so the error names the missing containers.
  out.push(...validatePodTemplateSpec(s.template, child(path, 'template')));
  out.push(...validateLongRunningTemplate(s.template, { path, kind: 'ReplicaSet' }));
  return out;
}

function validateReplicaSetStatus(status: ReplicaSetStatus | undefined): FieldError[] {
  if (!status) return [];
  const p = (f: string): string => `status.${f}`;
  const out = [
    ...nonNegative(p('replicas'), status.replicas),
    ...nonNegative(p('fullyLabeledReplicas'), status.fullyLabeledReplicas),
    ...nonNegative(p('readyReplicas'), status.readyReplicas),
    ...nonNegative(p('availableReplicas'), status.availableReplicas),
    ...nonNegative(p('observedGeneration'), status.observedGeneration),
  ];
  const replicas = status.replicas ?? 0;
  for (const f of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'] as const) {
    if ((status[f] ?? 0) > replicas) out.push(invalid(p(f), status[f], 'cannot be greater than status.replicas'));
  }
  if ((status.availableReplicas ?? 0) > (status.readyReplicas ?? 0)) {
    out.push(invalid(p('availableReplicas'), status.availableReplicas, 'cannot be greater than readyReplicas'));
  }
  return out;
}

export const replicaSetKind = defineKind({
  group: 'apps',
  version: 'v1',
  kind: 'ReplicaSet',
  plural: 'replicasets',
  singular: 'replicaset',
  namespaced: true,
  shortNames: ['rs'],
  categories: ['all'],
  schema: ReplicaSet,
  status: true,
  scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'status.selector' },
  defaults: defaultReplicaSet,
  validate(rs, { old }) {
    const out = validateObjectMeta(rs.metadata, { namespaced: true });
    out.push(...validateReplicaSetSpec(rs.spec, 'spec'));
    if (old) out.push(...unchanged('spec.selector', rs.spec?.selector, old.spec?.selector));
    out.push(...validateReplicaSetStatus(rs.status));
    return out;
  },
});
