// Public face of the service load-balancer controller (k3s's ServiceLB equivalent).
import type { ControllerFactory } from '../runtime/index.js';
import { ServiceLbController } from './controller.js';

export const serviceLbController: ControllerFactory = (deps) => new ServiceLbController(deps);

export { PORT_CONFLICT_REASON, ENSURED_REASON } from './controller.js';
export { assign, nodeAddresses, servedHere, EXCLUDE_LABEL, type Assignment } from './assign.js';
