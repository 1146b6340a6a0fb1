// apps/v1: the workload controllers' kinds. This list is what src/api/kinds.ts serves; the
// shared workload helpers are exported for batch/v1, whose Jobs follow the same selector rules.
import type { KindDef } from '../../kind.js';
import { deploymentKind } from './deployment.js';
import { replicaSetKind } from './replicaset.js';
import { statefulSetKind } from './statefulset.js';
import { daemonSetKind } from './daemonset.js';
import { controllerRevisionKind } from './controllerrevision.js';

export const appsV1Kinds: KindDef[] = [deploymentKind, replicaSetKind, statefulSetKind, daemonSetKind, controllerRevisionKind];

export { Deployment, DeploymentSpec, DeploymentStatus, deploymentKind } from './deployment.js';
export { ReplicaSet, ReplicaSetSpec, ReplicaSetStatus, replicaSetKind } from './replicaset.js';
export { StatefulSet, StatefulSetSpec, StatefulSetStatus, statefulSetKind } from './statefulset.js';
export { DaemonSet, DaemonSetSpec, DaemonSetStatus, daemonSetKind } from './daemonset.js';
export { ControllerRevision, controllerRevisionKind } from './controllerrevision.js';
export {
  conditionList,
  conditionSchema,
  nonNegative,
  sameValue,
  selectorMatches,
  unchanged,
  validateControllerSelector,
} from './workload.js';
