// core/v1 TopologySelectorTerm: the label requirements a StorageClass's allowedTopologies uses
// to restrict where volumes may be provisioned (e.g. to some zones). Node selectors for pods and
// PV node affinity are in affinity.ts.
import { obj, str, list, strList, type Static } from '../../schema.js';

const id = (name: string): string => `io.k8s.api.core.v1.${name}`;

export const TopologySelectorLabelRequirement = obj(
  'A topology label key and the values it may take.',
  {
    key: str('Label key.'),
    values: strList('Accepted values; at least one.', { listType: 'atomic' }),
  },
  { id: id('TopologySelectorLabelRequirement'), required: ['key', 'values'] },
);

export const TopologySelectorTerm = obj(
  'Label requirements on topology, ANDed together.',
  {
    matchLabelExpressions: list('Requirements on topology labels.', TopologySelectorLabelRequirement, {
      listType: 'atomic',
    }),
  },
  { id: id('TopologySelectorTerm'), 'x-kubernetes-map-type': 'atomic' },
);
export type TopologySelectorTerm = Static<typeof TopologySelectorTerm>;
