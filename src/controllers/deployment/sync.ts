// The Deployment controller's one idempotent sync: claim the ReplicaSets the selector matches,
// then — unless the Deployment is being deleted (status only) — record pause/resume, and either
// just scale (paused, or only the replica count changed) or roll out with the chosen strategy.
import { deploymentKind, replicaSetKind, type ReplicaSet } from '../../api/apps/v1/index.js';
import { splitKey } from '../../client/index.js';
import { labelSelectorAsSelector, type Selector } from '../../lib/selectors/index.js';
import { ownerOf } from '../runtime/index.js';
import { claimObjects } from '../replicaset/index.js';
import { cleanupOldReplicaSets } from './cleanup.js';
import { split, writeStatus, type DeploymentEnv, type SyncState } from './env.js';
import { getReplicaSets } from './new-replicaset.js';
import { checkPausedConditions, syncDeploymentStatus } from './progress.js';
import { rolloutRecreate } from './recreate.js';
import { rolloutRolling } from './rolling.js';
import { isScalingEvent, scale } from './scale.js';

export async function syncDeployment(env: DeploymentEnv, key: string): Promise<void> {
  const { namespace, name } = splitKey(key);
  const cached = env.deployments.get(namespace, name);
  if (!cached) return;
  const st: SyncState = { key, d: structuredClone(cached), rsList: [] };
  const sel = st.d.spec?.selector;
  if (!sel || Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0) {
    env.recorder.event(st.d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
    const generation = st.d.metadata?.generation ?? 0;
    if ((st.d.status?.observedGeneration ?? 0) < generation) await writeStatus(env, st, { ...st.d.status, observedGeneration: generation });
    return;
  }
  let selector: Selector;
  try {
    selector = labelSelectorAsSelector(sel);
  } catch (err) {
    env.log(`deployment ${key}: invalid selector: ${String(err)}`);
    return;
  }
  const uid = st.d.metadata?.uid;
  const candidates = env.replicaSets.list(namespace ?? '').filter((rs) => {
    const ref = ownerOf(rs);
    return !ref || ref.uid === uid;
  });
  const claimed = await claimObjects<ReplicaSet>({ client: env.client, owner: st.d, ownerKind: deploymentKind, kind: replicaSetKind, selector, candidates });
  st.rsList = claimed.map((rs) => structuredClone(rs));

  if (st.d.metadata?.deletionTimestamp) {
    const { newRS } = await getReplicaSets(env, st, { create: false });
    return syncDeploymentStatus(env, st, split(st, newRS).newRS);
  }
  await checkPausedConditions(env, st);
  if (st.d.spec?.paused) return scaleOnly(env, st);
  // Also brings the new ReplicaSet's annotations and the Deployment's revision up to date.
  await getReplicaSets(env, st, { create: false });
  if (isScalingEvent(st.d, st.rsList)) return scaleOnly(env, st);
  if (st.d.spec?.strategy?.type === 'Recreate') return rolloutRecreate(env, st);
  return rolloutRolling(env, st);
}

/** Paused, or only the replica count changed: resize without moving the rollout forward. */
async function scaleOnly(env: DeploymentEnv, st: SyncState): Promise<void> {
  const { newRS } = await getReplicaSets(env, st, { create: false });
  await scale(env, st, split(st, newRS));
  if (st.d.spec?.paused) await cleanupOldReplicaSets(env, st, split(st, newRS).oldRSs);
  return syncDeploymentStatus(env, st, split(st, newRS).newRS);
}
