// core/v1 schemas of the scheduling inputs of a pod besides affinity: tolerations of node taints,
// topology spread constraints, scheduling gates and readiness gates.
import { obj, str, int32, int64, enumStr, strList, type Static } from '../../schema.js';
import { LabelSelector } from '../../meta/v1.js';

const id = (name: string): string => `io.k8s.api.core.v1.${name}`;

export const TAINT_EFFECTS = ['NoExecute', 'NoSchedule', 'PreferNoSchedule'] as const;
export const TOLERATION_OPERATORS = ['Equal', 'Exists'] as const;
export const UNSATISFIABLE_ACTIONS = ['DoNotSchedule', 'ScheduleAnyway'] as const;
export const NODE_INCLUSION_POLICIES = ['Honor', 'Ignore'] as const;

export const Toleration = obj(
  'Lets the pod schedule onto (or stay on) nodes with a matching taint.',
  {
    key: str('Taint key; empty with operator Exists matches every taint.'),
    operator: enumStr('Equal (the default) or Exists.', TOLERATION_OPERATORS),
    value: str('Taint value for operator Equal.'),
    effect: enumStr('Taint effect matched; empty matches all.', TAINT_EFFECTS),
    tolerationSeconds: int64('For NoExecute: how long the pod stays after the taint appears; unset means forever.'),
  },
  { id: id('Toleration') },
);
export type Toleration = Static<typeof Toleration>;

export const TopologySpreadConstraint = obj(
  'How evenly matching pods must be spread across the domains of a node label.',
  {
    maxSkew: int32('Largest allowed difference in matching pods between two domains.'),
    topologyKey: str('Node label whose value defines a domain.'),
    whenUnsatisfiable: enumStr('DoNotSchedule or ScheduleAnyway.', UNSATISFIABLE_ACTIONS),
    labelSelector: LabelSelector,
    minDomains: int32('Fewest eligible domains assumed (DoNotSchedule only).'),
    nodeAffinityPolicy: enumStr('Whether node affinity limits the domains: Honor (default) or Ignore.', NODE_INCLUSION_POLICIES),
    nodeTaintsPolicy: enumStr('Whether node taints limit the domains: Honor or Ignore (default).', NODE_INCLUSION_POLICIES),
    matchLabelKeys: strList('Label keys whose values, taken from this pod, are added to the selector.', { listType: 'atomic' }),
  },
  { id: id('TopologySpreadConstraint'), required: ['maxSkew', 'topologyKey', 'whenUnsatisfiable'] },
);
export type TopologySpreadConstraint = Static<typeof TopologySpreadConstraint>;

export const PodSchedulingGate = obj(
  'Holds the pod back from scheduling until removed.',
  { name: str('Name of the gate, a qualified name.') },
  { id: id('PodSchedulingGate'), required: ['name'] },
);

export const PodReadinessGate = obj(
  'An extra pod condition that must be True for the pod to count as ready.',
  { conditionType: str('Type of the condition in the pod\'s status.conditions.') },
  { id: id('PodReadinessGate'), required: ['conditionType'] },
);
