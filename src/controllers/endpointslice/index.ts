// Public face of the EndpointSlice controller: the factory the controller manager runs, plus the
// Service-to-pod helpers the legacy Endpoints controller (../endpoints) builds on.
import type { ControllerFactory } from '../runtime/index.js';
import { EndpointSliceController } from './controller.js';

export const endpointSliceController: ControllerFactory = (deps) => new EndpointSliceController(deps);

export { TRIGGER_TIME_ANNOTATION, HEADLESS_LABEL } from './controller.js';
export {
  belongsInEndpoints,
  hasSelector,
  hostnameFor,
  isReady,
  lastChangeTime,
  podIPOf,
  resolvePort,
  selects,
  serviceFamilies,
  type PodObj,
  type ServiceObj,
} from './pods.js';
export { watchServicesAndPods } from './watch.js';
export { canonical } from './desired.js';
