// Public face of the ingress controller: the IngressController agent component (HTTP/HTTPS
// reverse proxy for networking.k8s.io/v1 Ingresses of class `tugboat`), its option names and
// the data planes it can drive (nginx, the default, or Node's own http).
export { IngressController, type IngressControllerOptions } from './controller.js';
export { DATA_PLANES, type DataPlaneName } from './data-plane.js';
export { DEFAULT_CLASS_NAME, DEFAULT_CONTROLLER_NAME } from './class-selection.js';
