// The RollingUpdate strategy: grow the new ReplicaSet while the total stays within
// replicas + maxSurge, shrink old ReplicaSets while at least replicas - maxUnavailable pods stay
// available (old pods that are not available go first, as they cost no availability), and once
// the rollout is complete prune old ReplicaSets beyond revisionHistoryLimit.
import type { ReplicaSet } from '../../api/apps/v1/index.js';
import { cleanupOldReplicaSets } from './cleanup.js';
import { split, type DeploymentEnv, type SyncState } from './env.js';
import { getReplicaSets, newReplicaSetReplicas } from './new-replicaset.js';
import { deploymentComplete, syncRolloutStatus } from './progress.js';
import { availableBound, byCreation, desiredReplicas, isActive, maxUnavailable, specReplicas, specTotal } from './replicas.js';
import { scaleTo } from './scale.js';

export async function rolloutRolling(env: DeploymentEnv, st: SyncState): Promise<void> {
  const { newRS } = await getReplicaSets(env, st, { create: true });
  if (await reconcileNewReplicaSet(env, st, newRS)) return syncRolloutStatus(env, st, split(st, newRS).newRS);
  if (await reconcileOldReplicaSets(env, st, newRS)) return syncRolloutStatus(env, st, split(st, newRS).newRS);
  if (deploymentComplete(st.d, st.d.status)) await cleanupOldReplicaSets(env, st, split(st, newRS).oldRSs);
  return syncRolloutStatus(env, st, split(st, newRS).newRS);
}

async function reconcileNewReplicaSet(env: DeploymentEnv, st: SyncState, created: ReplicaSet | undefined): Promise<boolean> {
  const newRS = split(st, created).newRS;
  if (!newRS) return false;
  const desired = desiredReplicas(st.d);
  if (specReplicas(newRS) === desired) return false;
  if (specReplicas(newRS) > desired) return (await scaleTo(env, st, newRS, desired)).scaled;
  return (await scaleTo(env, st, newRS, newReplicaSetReplicas(st.d, st.rsList, newRS))).scaled;
}

async function reconcileOldReplicaSets(env: DeploymentEnv, st: SyncState, created: ReplicaSet | undefined): Promise<boolean> {
  const { newRS, oldRSs } = split(st, created);
  const active = oldRSs.filter(isActive);
  if (specTotal(active) === 0) return false;
  const minAvailable = desiredReplicas(st.d) - maxUnavailable(st.d);
  const newUnavailable = specReplicas(newRS) - (newRS?.status?.availableReplicas ?? 0);
  // Pods that may go now: everything above the availability floor, minus the new pods that
  // are not available yet (they may never become so, and must not be counted on).
  const maxScaledDown = specTotal(st.rsList) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  const cleaned = await scaleDownUnhealthy(env, st, { oldRSs: active, max: maxScaledDown });
  const scaled = await scaleDownForRollingUpdate(env, st, split(st, created).oldRSs.filter(isActive));
  return cleaned + scaled > 0;
}

/** Removes old pods that are not available, oldest ReplicaSets first, up to `max`. */
async function scaleDownUnhealthy(env: DeploymentEnv, st: SyncState, o: { oldRSs: ReplicaSet[]; max: number }): Promise<number> {
  let total = 0;
  for (const rs of [...o.oldRSs].sort(byCreation)) {
    if (total >= o.max) break;
    const unhealthy = specReplicas(rs) - (rs.status?.availableReplicas ?? 0);
    if (specReplicas(rs) === 0 || unhealthy <= 0) continue;
    const n = Math.min(o.max - total, unhealthy);
    await scaleTo(env, st, rs, specReplicas(rs) - n);
    total += n;
  }
  return total;
}

/** Scales old ReplicaSets down, oldest first, as far as the availability floor allows. */
async function scaleDownForRollingUpdate(env: DeploymentEnv, st: SyncState, oldRSs: ReplicaSet[]): Promise<number> {
  const minAvailable = desiredReplicas(st.d) - maxUnavailable(st.d);
  const available = availableBound(st.rsList);
  if (available <= minAvailable) return 0;
  const budget = available - minAvailable;
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= budget) break;
    if (specReplicas(rs) === 0) continue;
    const n = Math.min(specReplicas(rs), budget - total);
    await scaleTo(env, st, rs, specReplicas(rs) - n);
    total += n;
  }
  return total;
}
