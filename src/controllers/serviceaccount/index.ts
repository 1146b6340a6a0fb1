// Public face of the service account controller: the factory the controller manager runs.
import type { ControllerFactory } from '../runtime/index.js';
import { ServiceAccountController } from './controller.js';

export const serviceAccountController: ControllerFactory = (deps) => new ServiceAccountController(deps);
