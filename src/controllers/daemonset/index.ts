// Public face of the DaemonSet controller: the factory the controller manager lists.
import type { ControllerFactory } from '../runtime/index.js';
import { DaemonSetController } from './controller.js';

export const daemonSetController: ControllerFactory = (deps) => new DaemonSetController(deps);
