// Deployment conditions with Kubernetes' update rules, and the reasons `kubectl rollout status`
// and `kubectl describe` show. Setting a condition with the same status and reason changes
// nothing; a new reason with the same status keeps lastTransitionTime.
import type { DeploymentStatus } from '../../api/apps/v1/index.js';
import { timestamp } from '../replicaset/index.js';

export type DeploymentCondition = NonNullable<DeploymentStatus['conditions']>[number];
type ConditionStatus = DeploymentCondition['status'];

export const PROGRESSING = 'Progressing';
export const AVAILABLE = 'Available';
export const REPLICA_FAILURE = 'ReplicaFailure';

export const Reason = {
  NewReplicaSetCreated: 'NewReplicaSetCreated',
  FoundNewReplicaSet: 'FoundNewReplicaSet',
  ReplicaSetUpdated: 'ReplicaSetUpdated',
  NewReplicaSetAvailable: 'NewReplicaSetAvailable',
  ProgressDeadlineExceeded: 'ProgressDeadlineExceeded',
  ReplicaSetCreateError: 'ReplicaSetCreateError',
  DeploymentPaused: 'DeploymentPaused',
  DeploymentResumed: 'DeploymentResumed',
  MinimumReplicasAvailable: 'MinimumReplicasAvailable',
  MinimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

export function newCondition(o: { type: string; status: ConditionStatus; reason: string; message: string; now: number }): DeploymentCondition {
  const t = timestamp(o.now);
  return { type: o.type, status: o.status, lastUpdateTime: t, lastTransitionTime: t, reason: o.reason, message: o.message };
}

export function getCondition(status: DeploymentStatus | undefined, type: string): DeploymentCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

export function setCondition(status: DeploymentStatus, cond: DeploymentCondition): void {
  const current = getCondition(status, cond.type);
  if (current && current.status === cond.status && current.reason === cond.reason) return;
  const next = { ...cond };
  if (current && current.status === cond.status) next.lastTransitionTime = current.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== cond.type), next];
}

export function removeCondition(status: DeploymentStatus, type: string): void {
  if (!status.conditions) return;
  status.conditions = status.conditions.filter((c) => c.type !== type);
}

/** spec.progressDeadlineSeconds, unless unset or "never" (the int32 maximum). */
export function progressDeadline(d: { spec?: { progressDeadlineSeconds?: number } }): number | undefined {
  const s = d.spec?.progressDeadlineSeconds;
  return s === undefined || s === 2 ** 31 - 1 ? undefined : s;
}
