// Public face of the (legacy core/v1) Endpoints controller: the factory the controller manager runs.
import type { ControllerFactory } from '../runtime/index.js';
import { EndpointsController } from './controller.js';

export const endpointsController: ControllerFactory = (deps) => new EndpointsController(deps);
