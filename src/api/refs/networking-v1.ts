// Kind references of networking.k8s.io/v1, without schemas: names and scope, what a
// client needs to address these kinds. The schema modules build their full definitions on these.
import { kindRef } from '../kind.js';

/** The legacy annotation that named the class before spec.ingressClassName existed. */
export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
/** Marks the IngressClass used for Ingresses that name none. */
export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

export const ingressKind = kindRef({
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'Ingress',
  plural: 'ingresses',
  singular: 'ingress',
  namespaced: true,
  shortNames: ['ing'],
});

export const ingressClassKind = kindRef({
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'IngressClass',
  plural: 'ingressclasses',
  singular: 'ingressclass',
  namespaced: false,
});
