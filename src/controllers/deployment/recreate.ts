// The Recreate strategy: scale every old ReplicaSet to zero, wait until none of their pods is
// left (terminating ones included), and only then create and scale up the new ReplicaSet.
import type { Pod } from '../../api/core/v1/index.js';
import type { ReplicaSet } from '../../api/apps/v1/index.js';
import { labelSelectorAsSelector } from '../../lib/selectors/index.js';
import { ownerOf } from '../runtime/index.js';
import { cleanupOldReplicaSets } from './cleanup.js';
import { split, type DeploymentEnv, type SyncState } from './env.js';
import { getReplicaSets } from './new-replicaset.js';
import { deploymentComplete, syncRolloutStatus } from './progress.js';
import { actualTotal, desiredReplicas, isActive } from './replicas.js';
import { scaleTo } from './scale.js';

export async function rolloutRecreate(env: DeploymentEnv, st: SyncState): Promise<void> {
  // Look for the new ReplicaSet without creating it, so nothing scales up before old pods are gone.
  let { newRS, oldRSs } = await getReplicaSets(env, st, { create: false });
  let scaledDown = false;
  for (const rs of oldRSs.filter(isActive)) if ((await scaleTo(env, st, rs, 0)).scaled) scaledDown = true;
  if (scaledDown) return syncRolloutStatus(env, st, split(st, newRS).newRS);
  ({ newRS, oldRSs } = split(st, newRS));
  if (oldPodsRemain(env, st, { newRS, oldRSs })) return syncRolloutStatus(env, st, newRS);
  if (!newRS) ({ newRS } = await getReplicaSets(env, st, { create: true }));
  if (newRS) await scaleTo(env, st, split(st, newRS).newRS ?? newRS, desiredReplicas(st.d));
  if (deploymentComplete(st.d, st.d.status)) await cleanupOldReplicaSets(env, st, split(st, newRS).oldRSs);
  return syncRolloutStatus(env, st, split(st, newRS).newRS);
}

/** Any pod of an old ReplicaSet that is not finished, including ones still terminating. */
function oldPodsRemain(env: DeploymentEnv, st: SyncState, o: { newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] }): boolean {
  if (actualTotal(o.oldRSs) > 0) return true;
  const oldUids = new Set(o.oldRSs.map((rs) => rs.metadata?.uid));
  let selector;
  try {
    selector = labelSelectorAsSelector(st.d.spec?.selector);
  } catch {
    return false;
  }
  return env.pods.list(st.d.metadata?.namespace ?? '').some((p: Pod) => {
    const ref = ownerOf(p);
    if (!ref || !oldUids.has(ref.uid) || !selector.matches(p.metadata?.labels)) return false;
    return p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';
  });
}
