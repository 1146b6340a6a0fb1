// apps/v1 Deployment: declarative rollouts of a pod template through ReplicaSets. The schema,
// the Kubernetes defaults (one replica, a 25%/25% rolling update, ten old ReplicaSets kept, a
// ten-minute progress deadline) and the validation kubectl users meet when a manifest is wrong.
import { obj, int32, int64, bool, enumStr, intOrString, time, describeKind, type Static } from '../../schema.js';
import { LabelSelector, ObjectMeta, typeMeta } from '../../meta/v1.js';
import { defineKind } from '../../kind.js';
import { validateObjectMeta } from '../../validation/meta.js';
import { PodTemplateSpec } from '../../core/v1/pod-spec.js';
import { defaultPodSpec } from '../../core/v1/pod-defaults.js';
import { validatePodTemplateSpec } from '../../core/v1/pod-validation.js';
import { child, forbidden, invalid, notSupported, required, type FieldError } from '../../../lib/field-errors.js';
import {
  conditionList,
  conditionSchema,
  intOrPercentValue,
  nonNegative,
  validateControllerSelector,
  validateIntOrPercent,
  validateLongRunningTemplate,
  unchanged,
} from './workload.js';

const P = 'io.k8s.api.apps.v1';

export const RollingUpdateDeployment = obj(
  'Limits how far a rolling update may go below or above the desired replica count at any moment.',
  {
    maxUnavailable: intOrString(
      'How many pods (a count, or a percentage of replicas rounded down) may be unavailable during the update; defaults to 25%. Cannot be 0 when maxSurge is 0.',
    ),
    maxSurge: intOrString(
      'How many pods (a count, or a percentage of replicas rounded up) may exist above the desired count during the update; defaults to 25%. Cannot be 0 when maxUnavailable is 0.',
    ),
  },
  { id: `${P}.RollingUpdateDeployment` },
);

export const DeploymentStrategy = obj(
  'How the Deployment replaces old pods with new ones when the template changes: "RollingUpdate" (the default) ' +
    'brings new pods up and old ones down gradually within the limits in rollingUpdate; "Recreate" stops all old ' +
    'pods before starting any new one.',
  {
    type: enumStr('Recreate or RollingUpdate; defaults to RollingUpdate.', ['Recreate', 'RollingUpdate']),
    rollingUpdate: RollingUpdateDeployment,
  },
  // Switching to Recreate must drop rollingUpdate in the same patch, hence retainKeys.
  { id: `${P}.DeploymentStrategy`, 'x-kubernetes-patch-strategy': 'retainKeys' },
);

export const DeploymentSpec = obj(
  'The desired state of a Deployment.',
  {
    replicas: int32('Number of pods wanted; defaults to 1.'),
    selector: LabelSelector,
    template: PodTemplateSpec,
    strategy: DeploymentStrategy,
    minReadySeconds: int32('Seconds a new pod must be ready without crashing before it counts as available; defaults to 0.'),
    revisionHistoryLimit: int32('How many old ReplicaSets to keep for rollbacks; defaults to 10.'),
    paused: bool('While true, template changes do not start a rollout.'),
    progressDeadlineSeconds: int32(
      'Seconds a rollout may go without progress before it is reported as failed (reason ProgressDeadlineExceeded); defaults to 600.',
    ),
  },
  { id: `${P}.DeploymentSpec`, required: ['selector', 'template'] },
);

export const DeploymentCondition = conditionSchema(
  { id: `${P}.DeploymentCondition`, description: 'One observation about a Deployment, such as Available or Progressing.' },
  { lastUpdateTime: time('When this condition was last written.') },
);

export const DeploymentStatus = obj(
  'The most recently observed state of a Deployment.',
  {
    observedGeneration: int64('The spec generation the controller last acted on.'),
    replicas: int32('Pods of all ReplicaSets of this Deployment (non-terminated).'),
    updatedReplicas: int32('Pods created from the current template.'),
    readyReplicas: int32('Pods with a Ready condition.'),
    availableReplicas: int32('Pods ready for at least minReadySeconds.'),
    unavailableReplicas: int32('Pods still needed before the Deployment has all its replicas available.'),
    conditions: conditionList('Current observations of the rollout.', DeploymentCondition),
    collisionCount: int32('Counts hash collisions of ReplicaSet names; mixed into the next name to avoid them.'),
  },
  { id: `${P}.DeploymentStatus` },
);

export const Deployment = obj(
  'Runs a set of identical pods and rolls them over to a new template gradually.',
  {
    ...typeMeta,
    metadata: ObjectMeta,
    spec: DeploymentSpec,
    status: DeploymentStatus,
  },
  { id: `${P}.Deployment`, ...describeKind('apps', 'v1', 'Deployment') },
);
export type Deployment = Static<typeof Deployment>;
export type DeploymentSpec = Static<typeof DeploymentSpec>;
export type DeploymentStatus = Static<typeof DeploymentStatus>;

const STRATEGIES = ['Recreate', 'RollingUpdate'] as const;

export function defaultDeployment(d: Deployment): void {
  const spec = d.spec;
  if (!spec) return;
  spec.replicas ??= 1;
  const strategy = (spec.strategy ??= {});
  strategy.type ||= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (strategy.rollingUpdate ??= {});
    ru.maxUnavailable ??= '25%';
    ru.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  if (spec.template?.spec) defaultPodSpec(spec.template.spec);
}

function validateStrategy(strategy: DeploymentSpec['strategy'], path: string): FieldError[] {
  const s = strategy ?? {};
  const ruPath = child(path, 'rollingUpdate');
  if (s.type === 'Recreate') {
    return s.rollingUpdate ? [forbidden(ruPath, "may not be specified when strategy `type` is 'Recreate'")] : [];
  }
  if (s.type !== 'RollingUpdate') return [notSupported(child(path, 'type'), s.type ?? '', STRATEGIES)];
  const ru = s.rollingUpdate;
  if (!ru) return [required(ruPath, 'this should be defaulted and never be nil')];
  const out = [
    ...validateIntOrPercent(ru.maxUnavailable, child(ruPath, 'maxUnavailable'), { atMost100Percent: true }),
    ...validateIntOrPercent(ru.maxSurge, child(ruPath, 'maxSurge')),
  ];
  if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
    out.push(invalid(child(ruPath, 'maxUnavailable'), ru.maxUnavailable ?? 0, 'may not be 0 when `maxSurge` is 0'));
  }
  return out;
}

export function validateDeploymentSpec(spec: DeploymentSpec | undefined, path: string): FieldError[] {
  const s: Partial<DeploymentSpec> = spec ?? {};
  const out = [
    ...nonNegative(child(path, 'replicas'), s.replicas),
    ...validateControllerSelector(s.selector, s.template, { path, kind: 'deployment' }),
  ];
  // A missing template is checked as an empty one, so the error names the missing containers.
  out.push(...validatePodTemplateSpec(s.template, child(path, 'template')));
  out.push(...validateLongRunningTemplate(s.template, { path, kind: 'ReplicaSet' }));
  out.push(...validateStrategy(s.strategy, child(path, 'strategy')));
  out.push(...nonNegative(child(path, 'minReadySeconds'), s.minReadySeconds));
  out.push(...nonNegative(child(path, 'revisionHistoryLimit'), s.revisionHistoryLimit));
  if (s.progressDeadlineSeconds !== undefined) {
    const p = child(path, 'progressDeadlineSeconds');
    out.push(...nonNegative(p, s.progressDeadlineSeconds));
    if (s.progressDeadlineSeconds <= (s.minReadySeconds ?? 0)) {
      out.push(invalid(p, s.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
  }
  return out;
}

function validateDeploymentStatus(status: DeploymentStatus | undefined): FieldError[] {
  if (!status) return [];
  const p = (f: string): string => `status.${f}`;
  const out = [
    ...nonNegative(p('observedGeneration'), status.observedGeneration),
    ...nonNegative(p('replicas'), status.replicas),
    ...nonNegative(p('updatedReplicas'), status.updatedReplicas),
    ...nonNegative(p('readyReplicas'), status.readyReplicas),
    ...nonNegative(p('availableReplicas'), status.availableReplicas),
    ...nonNegative(p('unavailableReplicas'), status.unavailableReplicas),
    ...nonNegative(p('collisionCount'), status.collisionCount),
  ];
  const replicas = status.replicas ?? 0;
  if ((status.updatedReplicas ?? 0) > replicas) out.push(invalid(p('updatedReplicas'), status.updatedReplicas, 'cannot be greater than status.replicas'));
  if ((status.readyReplicas ?? 0) > replicas) out.push(invalid(p('readyReplicas'), status.readyReplicas, 'cannot be greater than status.replicas'));
  if ((status.availableReplicas ?? 0) > replicas) out.push(invalid(p('availableReplicas'), status.availableReplicas, 'cannot be greater than status.replicas'));
  if ((status.availableReplicas ?? 0) > (status.readyReplicas ?? 0)) {
    out.push(invalid(p('availableReplicas'), status.availableReplicas, 'cannot be greater than readyReplicas'));
  }
  return out;
}

export const deploymentKind = defineKind({
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  plural: 'deployments',
  singular: 'deployment',
  namespaced: true,
  shortNames: ['deploy'],
  categories: ['all'],
  schema: Deployment,
  status: true,
  scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'status.selector' },
  defaults: defaultDeployment,
  validate(d, { old }) {
    const out = validateObjectMeta(d.metadata, { namespaced: true });
    out.push(...validateDeploymentSpec(d.spec, 'spec'));
    // apps/v1 made the selector immutable: changing it would orphan the existing ReplicaSets.
    if (old) out.push(...unchanged('spec.selector', d.spec?.selector, old.spec?.selector));
    out.push(...validateDeploymentStatus(d.status));
    return out;
  },
});
