// Public face of the controller runtime shared by every controller.
export { runWorkers, logSyncErrors, type Reconciler, type RunOptions } from './controller.js';
export { Expectations } from './expectations.js';
export type { Controller, ControllerDeps, ControllerFactory } from './types.js';
export { WorkQueue, realClock, type Clock } from '../../lib/workqueue.js';
export { ownerOf, controllerRefOf, isControlledBy, enqueueOwner } from './owners.js';
export { acceptsNewObjects } from './namespaces.js';
