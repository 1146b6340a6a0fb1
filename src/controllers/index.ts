// Every controller the controller manager can run, by the name `--controllers` uses, in one
// explicit map.
import type { ControllerFactory } from './runtime/index.js';
import { daemonSetController } from './daemonset/index.js';
import { statefulSetController } from './statefulset/index.js';

export const CONTROLLERS: Record<string, ControllerFactory> = {
  daemonset: daemonSetController,
  statefulset: statefulSetController,
};

export { runControllerManager, selectControllers, type ManagerOptions } from './manager.js';
