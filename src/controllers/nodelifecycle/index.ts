// Public face of the node lifecycle folder: the node lifecycle controller (node health from
// Leases and status, condition taints, marking pods of failed nodes not ready) and the taint
// eviction controller (deleting pods from NoExecute-tainted nodes after their tolerations), as
// two controllers like Kubernetes 1.32's node-lifecycle-controller and taint-eviction-controller.
import type { ControllerFactory } from '../runtime/index.js';
import { NodeLifecycleController } from './controller.js';
import { resolveOptions, type NodeLifecycleOptions } from './options.js';
import { TaintEvictionController } from './taint-eviction.js';

export type { NodeLifecycleOptions } from './options.js';
export { TAINT_NOT_READY, TAINT_UNREACHABLE } from './taints.js';

/** The node lifecycle controller with non-default timings (tests, hollow-node benchmarks). */
export function nodeLifecycleControllerWith(opts: NodeLifecycleOptions): ControllerFactory {
  const resolved = resolveOptions(opts);
  return (deps) => new NodeLifecycleController(deps, resolved);
}

export const nodeLifecycleController: ControllerFactory = nodeLifecycleControllerWith({});

export const taintEvictionController: ControllerFactory = (deps) => new TaintEvictionController(deps);
