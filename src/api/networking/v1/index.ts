// The networking.k8s.io group, version v1: Ingress and IngressClass, and the schemas the
// ingress controller reads. Other folders import networking/v1 only through this file.
import type { KindDef } from '../../kind.js';
import { ingressKind } from './ingress.js';
import { ingressClassKind } from './ingressclass.js';

export const networkingV1Kinds: KindDef[] = [ingressKind, ingressClassKind];

export { ingressKind, ingressClassKind };
export { Ingress, IngressSpec, IngressBackend, PATH_TYPES, INGRESS_CLASS_ANNOTATION } from './ingress.js';
export { IngressClass, DEFAULT_CLASS_ANNOTATION } from './ingressclass.js';
