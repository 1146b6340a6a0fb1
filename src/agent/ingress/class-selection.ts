// Which Ingresses this controller serves. An Ingress names its class in spec.ingressClassName
// (or, from before that field existed, the kubernetes.io/ingress.class annotation); the class is
// ours when it is our own class name or any IngressClass whose spec.controller is our controller
// name. An Ingress naming no class is ours only while one of our classes is the cluster default
// (annotation ingressclass.kubernetes.io/is-default-class: "true").
import type { Ingress, IngressClass } from '../../api/networking/v1/index.js';
import { DEFAULT_CLASS_ANNOTATION, INGRESS_CLASS_ANNOTATION } from '../../api/refs/index.js';

export const DEFAULT_CLASS_NAME = 'tugboat';
export const DEFAULT_CONTROLLER_NAME = 'tugboat.dev/ingress';

export interface ClassSelection {
  /** Class names handled by this controller. */
  names: ReadonlySet<string>;
  /** Whether Ingresses without a class are ours. */
  takesUnclassed: boolean;
}

export function classSelection(classes: readonly IngressClass[], o: { className: string; controllerName: string }): ClassSelection {
  const names = new Set<string>();
  // Our own class name is ours even before its IngressClass exists, unless another controller took it.
  if (!classes.some((c) => c.metadata?.name === o.className && c.spec?.controller !== o.controllerName)) names.add(o.className);
  for (const c of classes) if (c.spec?.controller === o.controllerName && c.metadata?.name) names.add(c.metadata.name);
  const defaults = classes.filter((c) => c.metadata?.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true');
  // With several default classes Kubernetes refuses to pick one; so do we, unless all are ours.
  const takesUnclassed = defaults.length > 0 && defaults.every((c) => c.spec?.controller === o.controllerName);
  return { names, takesUnclassed };
}

export function isOurs(ing: Ingress, sel: ClassSelection): boolean {
  const named = ing.spec?.ingressClassName || ing.metadata?.annotations?.[INGRESS_CLASS_ANNOTATION];
  return named ? sel.names.has(named) : sel.takesUnclassed;
}
