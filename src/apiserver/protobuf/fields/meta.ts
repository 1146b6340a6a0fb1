// Field numbers of the meta.k8s.io/v1 types every object carries: ObjectMeta, owner references,
// managed fields and label selectors; and DeleteOptions, the body of a DELETE.
import { kept, type FieldTable } from './spec.js';

export const metaFields: FieldTable = {
  // Every DeleteOptions field is a Go pointer or a list: gracePeriodSeconds 0 means "at once".
  'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions': {
    gracePeriodSeconds: kept(1), preconditions: 2, orphanDependents: kept(3), propagationPolicy: kept(4), dryRun: 5,
    ignoreStoreReadErrorWithClusterBreakingPotential: kept(6),
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.Preconditions': { uid: kept(1), resourceVersion: kept(2) },
  'io.k8s.apimachinery.pkg.apis.meta.v1.Condition': {
    type: kept(1), status: kept(2), observedGeneration: 3, lastTransitionTime: 4, reason: kept(5), message: kept(6),
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector': { matchLabels: 1, matchExpressions: 2 },
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement': { key: kept(1), operator: kept(2), values: 3 },
  'io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry': {
    manager: 1, operation: 2, apiVersion: 3, time: 4, fieldsType: 6, fieldsV1: 7, subresource: 8,
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
    name: 1, generateName: 2, namespace: 3, selfLink: 4, uid: 5, resourceVersion: 6, generation: 7, creationTimestamp: 8,
    deletionTimestamp: 9, deletionGracePeriodSeconds: kept(10), labels: 11, annotations: 12, ownerReferences: 13,
    finalizers: 14, managedFields: 17,
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference': {
    apiVersion: kept(5), kind: kept(1), name: kept(3), uid: kept(4), controller: kept(6), blockOwnerDeletion: kept(7),
  },
};
