// apps/v1 DaemonSet: one pod per eligible node, for node agents (log shippers, network and
// storage plugins). Schema, Kubernetes defaults (rolling update one node at a time, ten
// revisions kept) and validation.
import { obj, int32, int64, enumStr, intOrString, describeKind, type Static } from '../../schema.js';
import { LabelSelector, ObjectMeta, typeMeta } from '../../meta/v1.js';
import { defineKind } from '../../kind.js';
import { validateObjectMeta } from '../../validation/meta.js';
import { PodTemplateSpec } from '../../core/v1/pod-spec.js';
import { defaultPodSpec } from '../../core/v1/pod-defaults.js';
import { validatePodTemplateSpec } from '../../core/v1/pod-validation.js';
import { child, invalid, notSupported, required, type FieldError } from '../../../lib/field-errors.js';
import {
  conditionList,
  conditionSchema,
  intOrPercentValue,
  nonNegative,
  unchanged,
  validateControllerSelector,
  validateIntOrPercent,
  validateLongRunningTemplate,
} from './workload.js';

const P = 'io.k8s.api.apps.v1';

const UPDATE_TYPES = ['RollingUpdate', 'OnDelete'] as const;

export const RollingUpdateDaemonSet = obj(
  'Limits of a DaemonSet rolling update. Exactly one of the two may be non-zero.',
  {
    maxUnavailable: intOrString(
      'How many nodes (a count, or a percentage of desiredNumberScheduled rounded up) may be without a ready daemon pod during the update; defaults to 1.',
    ),
    maxSurge: intOrString(
      'How many nodes (a count or a percentage) may run an old and a new pod side by side during the update, so the node is never without one; defaults to 0.',
    ),
  },
  { id: `${P}.RollingUpdateDaemonSet` },
);

export const DaemonSetUpdateStrategy = obj(
  'How daemon pods move to a new template: RollingUpdate (the default) replaces them node by node; OnDelete only ' +
    'uses the new template for pods you delete yourself.',
  {
    type: enumStr('RollingUpdate or OnDelete; defaults to RollingUpdate.', UPDATE_TYPES),
    rollingUpdate: RollingUpdateDaemonSet,
  },
  { id: `${P}.DaemonSetUpdateStrategy` },
);

export const DaemonSetSpec = obj(
  'The desired state of a DaemonSet.',
  {
    selector: LabelSelector,
    template: PodTemplateSpec,
    updateStrategy: DaemonSetUpdateStrategy,
    minReadySeconds: int32('Seconds a new pod must be ready without crashing before it counts as available; defaults to 0.'),
    revisionHistoryLimit: int32('How many old ControllerRevisions to keep for rollbacks; defaults to 10.'),
  },
  { id: `${P}.DaemonSetSpec`, required: ['selector', 'template'] },
);

export const DaemonSetCondition = conditionSchema({
  id: `${P}.DaemonSetCondition`,
  description: 'One observation about a DaemonSet.',
});

export const DaemonSetStatus = obj(
  'The most recently observed state of a DaemonSet.',
  {
    currentNumberScheduled: int32('Nodes that run at least one daemon pod and should.'),
    numberMisscheduled: int32('Nodes that run a daemon pod but should not.'),
    desiredNumberScheduled: int32('Nodes that should run the daemon pod.'),
    numberReady: int32('Nodes whose daemon pod is ready.'),
    observedGeneration: int64('The spec generation the controller last acted on.'),
    updatedNumberScheduled: int32('Nodes running a pod from the current template.'),
    numberAvailable: int32('Nodes whose daemon pod has been ready for at least minReadySeconds.'),
    numberUnavailable: int32('Nodes that should run the daemon pod but have none available.'),
    collisionCount: int32('Counts hash collisions of revision names; mixed into the next name to avoid them.'),
    conditions: conditionList('Current observations of the DaemonSet.', DaemonSetCondition),
  },
  { id: `${P}.DaemonSetStatus`, required: ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady'] },
);

export const DaemonSet = obj(
  'Runs a copy of a pod on every node (or every node a selector picks).',
  {
    ...typeMeta,
    metadata: ObjectMeta,
    spec: DaemonSetSpec,
    status: DaemonSetStatus,
  },
  { id: `${P}.DaemonSet`, ...describeKind('apps', 'v1', 'DaemonSet') },
);
export type DaemonSet = Static<typeof DaemonSet>;
export type DaemonSetSpec = Static<typeof DaemonSetSpec>;
export type DaemonSetStatus = Static<typeof DaemonSetStatus>;

export function defaultDaemonSet(ds: DaemonSet): void {
  const spec = ds.spec;
  if (!spec) return;
  const strategy = (spec.updateStrategy ??= {});
  strategy.type ||= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (strategy.rollingUpdate ??= {});
    ru.maxUnavailable ??= 1;
    ru.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  if (spec.template?.spec) defaultPodSpec(spec.template.spec);
}

function validateUpdateStrategy(strategy: DaemonSetSpec['updateStrategy'], path: string): FieldError[] {
  const s = strategy ?? {};
  if (s.type === 'OnDelete') return [];
  if (s.type !== 'RollingUpdate') return [notSupported(child(path, 'type'), s.type ?? '', UPDATE_TYPES)];
  const ruPath = child(path, 'rollingUpdate');
  const ru = s.rollingUpdate;
  if (!ru) return [required(ruPath, '')];
  const out = [
    ...validateIntOrPercent(ru.maxUnavailable, child(ruPath, 'maxUnavailable'), { atMost100Percent: true }),
    ...validateIntOrPercent(ru.maxSurge, child(ruPath, 'maxSurge'), { atMost100Percent: true }),
  ];
  // A node either loses its pod for a moment or briefly runs two; the controller does one or the other.
  const unavailable = intOrPercentValue(ru.maxUnavailable) !== 0;
  const surge = intOrPercentValue(ru.maxSurge) !== 0;
  if (unavailable && surge) out.push(invalid(child(ruPath, 'maxSurge'), ru.maxSurge, 'may not be set when maxUnavailable is non-zero'));
  if (!unavailable && !surge) out.push(required(child(ruPath, 'maxUnavailable'), 'cannot be 0 when maxSurge is 0'));
  return out;
}

export function validateDaemonSetSpec(spec: DaemonSetSpec | undefined, path: string): FieldError[] {
  const s: Partial<DaemonSetSpec> = spec ?? {};
  const out = validateControllerSelector(s.selector, s.template, { path, kind: 'daemonset' });
  // A missing template is checked as an empty one, so the error names the missing containers.
  out.push(...validatePodTemplateSpec(s.template, child(path, 'template')));
  out.push(...validateLongRunningTemplate(s.template, { path, kind: 'DaemonSet' }));
  out.push(...nonNegative(child(path, 'minReadySeconds'), s.minReadySeconds));
  out.push(...nonNegative(child(path, 'revisionHistoryLimit'), s.revisionHistoryLimit));
  out.push(...validateUpdateStrategy(s.updateStrategy, child(path, 'updateStrategy')));
  return out;
}

const STATUS_COUNTS = [
  'currentNumberScheduled',
  'numberMisscheduled',
  'desiredNumberScheduled',
  'numberReady',
  'observedGeneration',
  'updatedNumberScheduled',
  'numberAvailable',
  'numberUnavailable',
  'collisionCount',
] as const;

export const daemonSetKind = defineKind({
  group: 'apps',
  version: 'v1',
  kind: 'DaemonSet',
  plural: 'daemonsets',
  singular: 'daemonset',
  namespaced: true,
  shortNames: ['ds'],
  categories: ['all'],
  schema: DaemonSet,
  status: true,
  defaults: defaultDaemonSet,
  validate(ds, { old }) {
    const out = validateObjectMeta(ds.metadata, { namespaced: true });
    out.push(...validateDaemonSetSpec(ds.spec, 'spec'));
    if (old) out.push(...unchanged('spec.selector', ds.spec?.selector, old.spec?.selector));
    for (const f of STATUS_COUNTS) out.push(...nonNegative(`status.${f}`, ds.status?.[f]));
    return out;
  },
});
