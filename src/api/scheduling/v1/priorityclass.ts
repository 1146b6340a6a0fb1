// scheduling.k8s.io/v1 PriorityClass: a cluster-wide name for an integer pod priority. Pods
// name a class in spec.priorityClassName and admission copies its value into spec.priority; the
// scheduler orders its queue by that number and preempts lower-priority pods for higher ones.
// Values above one billion are reserved for the built-in `system-` classes, and a class's value
// cannot change once created (pods already carry the old number).
import { obj, str, int32, bool, enumStr, describeKind, type Static } from '../../schema.js';
import { ObjectMeta, typeMeta } from '../../meta/v1.js';
import { defineKind } from '../../kind.js';
import { validateObjectMeta, immutable } from '../../validation/meta.js';
import { forbidden, notSupported, required, type FieldError } from '../../../lib/field-errors.js';

export const PREEMPTION_POLICIES = ['Never', 'PreemptLowerPriority'] as const;

/** The largest value a user-defined class may have. */
export const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;
export const SYSTEM_PRIORITY_CLASS_PREFIX = 'system-';
export const SYSTEM_CLUSTER_CRITICAL = 'system-cluster-critical';
export const SYSTEM_NODE_CRITICAL = 'system-node-critical';

/** The built-in classes every cluster has, with the values Kubernetes gives them. */
export const SYSTEM_PRIORITY_CLASSES: readonly { name: string; value: number; description: string }[] = [
  { name: SYSTEM_CLUSTER_CRITICAL, value: 2_000_000_000, description: 'For pods the cluster cannot work without; they may still move to another node.' },
  { name: SYSTEM_NODE_CRITICAL, value: 2_000_001_000, description: 'For pods a node cannot work without; never moved off their node.' },
];

export const PriorityClass = obj(
  'Maps a class name to the integer priority of the pods that name it.',
  {
    ...typeMeta,
    metadata: ObjectMeta,
    value: int32('The priority of pods of this class; higher schedules first and may preempt lower.'),
    globalDefault: bool('Pods that name no class get this one; at most one class may set it.'),
    description: str('What the class is for, for people.'),
    preemptionPolicy: enumStr('Never, or PreemptLowerPriority (the default): whether pods of this class may evict lower-priority pods.', PREEMPTION_POLICIES),
  },
  { id: 'io.k8s.api.scheduling.v1.PriorityClass', required: ['value'], ...describeKind('scheduling.k8s.io', 'v1', 'PriorityClass') },
);
export type PriorityClass = Static<typeof PriorityClass>;

/** Why a `system-` name is not acceptable, or undefined when it is a built-in class as defined. */
function systemClassProblem(pc: PriorityClass): string | undefined {
  const name = pc.metadata?.name ?? '';
  const known = SYSTEM_PRIORITY_CLASSES.find((c) => c.name === name);
  if (!known) return `${name} is not a known system priority class`;
  if (pc.value !== known.value) return `value of ${name} PriorityClass must be ${known.value}`;
  if (pc.globalDefault) return `globalDefault of ${name} PriorityClass must be false`;
  return undefined;
}

function validate(pc: PriorityClass, old: PriorityClass | undefined): FieldError[] {
  const out = validateObjectMeta(pc.metadata, { namespaced: false });
  const name = pc.metadata?.name ?? '';
  if (typeof pc.value !== 'number') out.push(required('value'));
  else if (name.startsWith(SYSTEM_PRIORITY_CLASS_PREFIX)) {
    const why = systemClassProblem(pc);
    if (why) out.push(forbidden('metadata.name', `priority class names with '${SYSTEM_PRIORITY_CLASS_PREFIX}' prefix are reserved for system use only. error: ${why}`));
  } else if (pc.value > HIGHEST_USER_DEFINABLE_PRIORITY) {
    out.push(forbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`));
  }
  if (pc.preemptionPolicy !== undefined && !(PREEMPTION_POLICIES as readonly string[]).includes(pc.preemptionPolicy))
    out.push(notSupported('preemptionPolicy', pc.preemptionPolicy, PREEMPTION_POLICIES));
  if (old) {
    if (pc.value !== old.value) out.push(forbidden('value', 'may not be changed in an update.'));
    out.push(...immutable('preemptionPolicy', pc.preemptionPolicy, old.preemptionPolicy));
  }
  return out;
}

export const priorityClassKind = defineKind({
  group: 'scheduling.k8s.io',
  version: 'v1',
  kind: 'PriorityClass',
  plural: 'priorityclasses',
  singular: 'priorityclass',
  namespaced: false,
  shortNames: ['pc'],
  schema: PriorityClass,
  defaults(pc) {
    pc.preemptionPolicy ??= 'PreemptLowerPriority';
  },
  validate: (pc, { old }) => validate(pc, old),
});
