// Public face of the garbage collector: the factory the controller manager runs. It watches
// every kind Tugboat serves (through the shared informers) so any object can own any other.
import { allKinds } from '../../api/kinds.js';
import type { ControllerFactory } from '../runtime/index.js';
import { GarbageCollector } from './gc.js';
import { OwnershipGraph } from './graph.js';

export const garbageCollectorController: ControllerFactory = (deps) => new GarbageCollector(deps, new OwnershipGraph(allKinds, deps.informers));
