// The scheduling.k8s.io group, version v1: PriorityClass, which pod admission resolves into
// spec.priority and the scheduler orders and preempts by. Other folders import scheduling/v1
// only through this file.
import type { KindDef } from '../../kind.js';
import { priorityClassKind } from './priorityclass.js';

export const schedulingV1Kinds: KindDef[] = [priorityClassKind];

export { priorityClassKind };
export {
  PriorityClass,
  PREEMPTION_POLICIES,
  HIGHEST_USER_DEFINABLE_PRIORITY,
  SYSTEM_PRIORITY_CLASS_PREFIX,
  SYSTEM_PRIORITY_CLASSES,
  SYSTEM_CLUSTER_CRITICAL,
  SYSTEM_NODE_CRITICAL,
} from './priorityclass.js';
