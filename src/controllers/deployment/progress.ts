// The Deployment's status and its Progressing/Available conditions, computed the way
// `kubectl rollout status` expects to read them: counts summed over the ReplicaSets, Available
// when at most maxUnavailable pods are missing, Progressing refreshed whenever the rollout moves
// and turned to ProgressDeadlineExceeded when it has not moved for progressDeadlineSeconds (the
// controller wakes itself up at that moment). Pausing and resuming are recorded there as well.
import type { Deployment, DeploymentStatus, ReplicaSet } from '../../api/apps/v1/index.js';
import { semanticEqual } from '../replicaset/index.js';
import { AVAILABLE, PROGRESSING, REPLICA_FAILURE, Reason, getCondition, newCondition, progressDeadline, removeCondition, setCondition, type DeploymentCondition } from './conditions.js';
import { writeStatus, type DeploymentEnv, type SyncState } from './env.js';
import { actualTotal, availableTotal, desiredReplicas, maxUnavailable, readyTotal, specTotal } from './replicas.js';

export function calculateStatus(d: Deployment, o: { allRSs: ReplicaSet[]; newRS: ReplicaSet | undefined; now: number }): DeploymentStatus {
  const available = availableTotal(o.allRSs);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata?.generation ?? 0,
    replicas: actualTotal(o.allRSs),
    updatedReplicas: actualTotal([o.newRS]),
    readyReplicas: readyTotal(o.allRSs),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, specTotal(o.allRSs) - available),
    ...(d.status?.collisionCount !== undefined ? { collisionCount: d.status.collisionCount } : {}),
    conditions: [...(d.status?.conditions ?? [])],
  };
  const enough = available >= desiredReplicas(d) - maxUnavailable(d);
  setCondition(
    status,
    newCondition({
      type: AVAILABLE,
      status: enough ? 'True' : 'False',
      reason: enough ? Reason.MinimumReplicasAvailable : Reason.MinimumReplicasUnavailable,
      message: enough ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.',
      now: o.now,
    }),
  );
  return status;
}

/** All replicas updated, present and available, for the current generation. */
export function deploymentComplete(d: Deployment, s: DeploymentStatus | undefined): boolean {
  const desired = desiredReplicas(d);
  return (
    (s?.updatedReplicas ?? 0) === desired &&
    (s?.replicas ?? 0) === desired &&
    (s?.availableReplicas ?? 0) === desired &&
    (s?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0)
  );
}

/** Any sign of progress between the stored status and the new one. */
function progressing(d: Deployment, next: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (next.replicas ?? 0) - (next.updatedReplicas ?? 0);
  return (
    (next.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (next.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (next.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** Milliseconds until the rollout (per `cond`) runs out of time; negative once past. */
function msLeft(d: Deployment, cond: DeploymentCondition | undefined, now: number): number | undefined {
  const deadline = progressDeadline(d);
  if (deadline === undefined || !cond?.lastUpdateTime) return undefined;
  return Date.parse(cond.lastUpdateTime) + deadline * 1000 - now;
}

function timedOut(d: Deployment, next: DeploymentStatus, now: number): boolean {
  const cond = getCondition(next, PROGRESSING);
  if (!cond || cond.reason === Reason.NewReplicaSetAvailable) return false;
  if (cond.reason === Reason.ProgressDeadlineExceeded) return true;
  const left = msLeft(d, cond, now);
  return left !== undefined && left < 0;
}

/** The first ReplicaFailure of the new ReplicaSet, else of an old one, as a Deployment condition. */
function replicaFailure(allRSs: ReplicaSet[], newRS: ReplicaSet | undefined): DeploymentCondition | undefined {
  for (const rs of [newRS, ...allRSs.filter((r) => r !== newRS)]) {
    const c = rs?.status?.conditions?.find((x) => x.type === REPLICA_FAILURE);
    if (c) return { type: c.type, status: c.status, lastTransitionTime: c.lastTransitionTime, lastUpdateTime: c.lastTransitionTime, reason: c.reason, message: c.message };
  }
  return undefined;
}

/** Status only, no progress judgement: while paused, scaling, or being deleted. */
export async function syncDeploymentStatus(env: DeploymentEnv, st: SyncState, newRS: ReplicaSet | undefined): Promise<void> {
  const next = calculateStatus(st.d, { allRSs: st.rsList, newRS, now: env.clock.now() });
  if (semanticEqual(st.d.status, next)) return;
  await writeStatus(env, st, next);
}

/** Status with the Progressing condition judged, then a wake-up at the progress deadline. */
export async function syncRolloutStatus(env: DeploymentEnv, st: SyncState, newRS: ReplicaSet | undefined): Promise<void> {
  const d = st.d;
  const now = env.clock.now();
  const next = calculateStatus(d, { allRSs: st.rsList, newRS, now });
  const deadline = progressDeadline(d);
  if (deadline === undefined) removeCondition(next, PROGRESSING);
  const cur = getCondition(d.status, PROGRESSING);
  const finished = next.replicas === next.updatedReplicas && cur?.reason === Reason.NewReplicaSetAvailable;
  if (deadline !== undefined && !finished) {
    const subject = newRS ? `ReplicaSet "${newRS.metadata?.name ?? ''}"` : `Deployment "${d.metadata?.name ?? ''}"`;
    if (deploymentComplete(d, next)) {
      setCondition(next, newCondition({ type: PROGRESSING, status: 'True', reason: Reason.NewReplicaSetAvailable, message: `${subject} has successfully progressed.`, now }));
    } else if (progressing(d, next)) {
      const cond = newCondition({ type: PROGRESSING, status: 'True', reason: Reason.ReplicaSetUpdated, message: `${subject} is progressing.`, now });
      // Progress refreshes lastUpdateTime even with an unchanged reason (it restarts the deadline).
      if (cur?.status === 'True' && cur.lastTransitionTime) cond.lastTransitionTime = cur.lastTransitionTime;
      removeCondition(next, PROGRESSING);
      setCondition(next, cond);
    } else if (timedOut(d, next, now)) {
      setCondition(next, newCondition({ type: PROGRESSING, status: 'False', reason: Reason.ProgressDeadlineExceeded, message: `${subject} has timed out progressing.`, now }));
    }
  }
  const failure = replicaFailure(st.rsList, newRS);
  if (failure) setCondition(next, failure);
  else removeCondition(next, REPLICA_FAILURE);

  if (semanticEqual(d.status, next)) {
    requeueAtDeadline(env, st, next);
    return;
  }
  await writeStatus(env, st, next);
}

/** With no progress in sight, look again exactly when the deadline passes. */
function requeueAtDeadline(env: DeploymentEnv, st: SyncState, next: DeploymentStatus): void {
  const cond = getCondition(st.d.status, PROGRESSING);
  if (!cond || deploymentComplete(st.d, next) || cond.reason === Reason.ProgressDeadlineExceeded) return;
  const left = msLeft(st.d, cond, env.clock.now());
  if (left === undefined) return;
  env.queue.addAfter(st.key, Math.max(0, left) + 10);
}

/** Records pausing and resuming in the Progressing condition (unless the rollout already timed out). */
export async function checkPausedConditions(env: DeploymentEnv, st: SyncState): Promise<void> {
  if (progressDeadline(st.d) === undefined) return;
  const cond = getCondition(st.d.status, PROGRESSING);
  if (cond?.reason === Reason.ProgressDeadlineExceeded) return;
  const pausedRecorded = cond?.reason === Reason.DeploymentPaused;
  const paused = st.d.spec?.paused === true;
  if (paused === pausedRecorded) return;
  const status = structuredClone(st.d.status ?? {});
  const c = paused
    ? { reason: Reason.DeploymentPaused, message: 'Deployment is paused' }
    : { reason: Reason.DeploymentResumed, message: 'Deployment is resumed' };
  setCondition(status, newCondition({ type: PROGRESSING, status: 'Unknown', ...c, now: env.clock.now() }));
  await writeStatus(env, st, status);
}
