// core/v1 affinity schemas: node affinity (which nodes a pod may or prefers to run on, by node
// labels and fields) and pod (anti-)affinity (run near or away from pods matching a selector
// within a topology domain). `NodeSelector` is also used by PersistentVolume node affinity and
// RuntimeClass scheduling.
import { obj, str, int32, enumStr, list, strList, type Static } from '../../schema.js';
import { LabelSelector } from '../../meta/v1.js';

const id = (name: string): string => `io.k8s.api.core.v1.${name}`;

export const NODE_SELECTOR_OPERATORS = ['DoesNotExist', 'Exists', 'Gt', 'In', 'Lt', 'NotIn'] as const;

export const NodeSelectorRequirement = obj(
  'A node label (or field) key, an operator and values.',
  {
    key: str('Label or field key.'),
    operator: enumStr('In, NotIn, Exists, DoesNotExist, Gt or Lt.', NODE_SELECTOR_OPERATORS),
    values: strList('Values; one integer for Gt and Lt, none for Exists and DoesNotExist.', { listType: 'atomic' }),
  },
  { id: id('NodeSelectorRequirement'), required: ['key', 'operator'] },
);
export type NodeSelectorRequirement = Static<typeof NodeSelectorRequirement>;

export const NodeSelectorTerm = obj(
  'Requirements that must all hold for a node to match.',
  {
    matchExpressions: list('Requirements on node labels.', NodeSelectorRequirement, { listType: 'atomic' }),
    matchFields: list('Requirements on node fields (only metadata.name).', NodeSelectorRequirement, { listType: 'atomic' }),
  },
  { id: id('NodeSelectorTerm'), 'x-kubernetes-map-type': 'atomic' },
);
export type NodeSelectorTerm = Static<typeof NodeSelectorTerm>;

export const NodeSelector = obj(
  'Terms of which at least one must match a node.',
  { nodeSelectorTerms: list('The terms, ORed.', NodeSelectorTerm, { listType: 'atomic' }) },
  { id: id('NodeSelector'), required: ['nodeSelectorTerms'], 'x-kubernetes-map-type': 'atomic' },
);
export type NodeSelector = Static<typeof NodeSelector>;

export const PreferredSchedulingTerm = obj(
  'A weighted node preference.',
  {
    weight: int32('Weight added to a matching node\'s score (1-100).'),
    preference: NodeSelectorTerm,
  },
  { id: id('PreferredSchedulingTerm'), required: ['weight', 'preference'] },
);

export const NodeAffinity = obj(
  'Constraints and preferences on the node a pod runs on.',
  {
    requiredDuringSchedulingIgnoredDuringExecution: NodeSelector,
    preferredDuringSchedulingIgnoredDuringExecution: list('Weighted preferences.', PreferredSchedulingTerm, { listType: 'atomic' }),
  },
  { id: id('NodeAffinity') },
);
export type NodeAffinity = Static<typeof NodeAffinity>;

export const PodAffinityTerm = obj(
  'Pods matching a selector, in given namespaces, counted per value of a node topology label.',
  {
    labelSelector: LabelSelector,
    namespaces: strList('Namespaces to look in; defaults to the pod\'s own.', { listType: 'atomic' }),
    topologyKey: str('Node label whose value defines a domain, e.g. kubernetes.io/hostname.'),
    namespaceSelector: LabelSelector,
    matchLabelKeys: strList('Label keys whose values, taken from this pod, are added to the selector.', { listType: 'atomic' }),
    mismatchLabelKeys: strList('Label keys whose values, taken from this pod, must differ.', { listType: 'atomic' }),
  },
  { id: id('PodAffinityTerm'), required: ['topologyKey'] },
);
export type PodAffinityTerm = Static<typeof PodAffinityTerm>;

export const WeightedPodAffinityTerm = obj(
  'A weighted pod (anti-)affinity preference.',
  {
    weight: int32('Weight added to a matching node\'s score (1-100).'),
    podAffinityTerm: PodAffinityTerm,
  },
  { id: id('WeightedPodAffinityTerm'), required: ['weight', 'podAffinityTerm'] },
);

const podAffinityProps = {
  requiredDuringSchedulingIgnoredDuringExecution: list('Terms that must all hold.', PodAffinityTerm, { listType: 'atomic' }),
  preferredDuringSchedulingIgnoredDuringExecution: list('Weighted preferences.', WeightedPodAffinityTerm, { listType: 'atomic' }),
};

export const PodAffinity = obj('Place the pod in the same domain as certain pods.', podAffinityProps, { id: id('PodAffinity') });
export type PodAffinity = Static<typeof PodAffinity>;

export const PodAntiAffinity = obj('Keep the pod out of domains holding certain pods.', podAffinityProps, {
  id: id('PodAntiAffinity'),
});

export const Affinity = obj(
  'Scheduling constraints of a pod.',
  {
    nodeAffinity: NodeAffinity,
    podAffinity: PodAffinity,
    podAntiAffinity: PodAntiAffinity,
  },
  { id: id('Affinity') },
);
export type Affinity = Static<typeof Affinity>;
