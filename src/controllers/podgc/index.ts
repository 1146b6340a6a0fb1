// Public face of the pod garbage collector folder.
import type { ControllerFactory } from '../runtime/index.js';
import { PodGcController, type PodGcOptions } from './controller.js';

export type { PodGcOptions } from './controller.js';

export function podGcControllerWith(opts: PodGcOptions): ControllerFactory {
  return (deps) => new PodGcController(deps, opts);
}

export const podGcController: ControllerFactory = podGcControllerWith({});
