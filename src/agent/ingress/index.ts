// Public face of the ingress controller: the IngressController agent component (HTTP/HTTPS
// reverse proxy for networking.k8s.io/v1 Ingresses of class `tugboat`) and its option names.
export { IngressController, type IngressControllerOptions } from './controller.js';
export { DEFAULT_CLASS_NAME, DEFAULT_CONTROLLER_NAME } from './class-selection.js';
