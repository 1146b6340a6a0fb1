// Public face of the clusterrole-aggregation controller: the factory the controller manager runs.
import type { ControllerFactory } from '../runtime/index.js';
import { ClusterRoleAggregationController } from './controller.js';

export const clusterRoleAggregationController: ControllerFactory = (deps) => new ClusterRoleAggregationController(deps);
