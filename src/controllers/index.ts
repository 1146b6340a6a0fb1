// Every controller the controller manager can run, by the name `--controllers` uses, in one
// explicit map.
import type { ControllerFactory } from './runtime/index.js';

export const CONTROLLERS: Record<string, ControllerFactory> = {};

export { runControllerManager, selectControllers, type ManagerOptions } from './manager.js';
