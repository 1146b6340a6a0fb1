// Public face of the StatefulSet controller: the factory the controller manager lists.
import type { ControllerFactory } from '../runtime/index.js';
import { StatefulSetController } from './controller.js';

export const statefulSetController: ControllerFactory = (deps) => new StatefulSetController(deps);
