// Pruning rollout history: old ReplicaSets beyond spec.revisionHistoryLimit are deleted, lowest
// revision first — but only ones already scaled to zero, with no pods left and whose status has
// caught up with their spec, so nothing running is ever removed.
import { replicaSetKind, type ReplicaSet } from '../../api/apps/v1/index.js';
import { StatusError } from '../../lib/errors.js';
import { revisionOf } from './annotations.js';
import type { DeploymentEnv, SyncState } from './env.js';
import { byCreation, specReplicas } from './replicas.js';

export async function cleanupOldReplicaSets(env: DeploymentEnv, st: SyncState, oldRSs: ReplicaSet[]): Promise<void> {
  const limit = st.d.spec?.revisionHistoryLimit;
  if (limit === undefined) return;
  const alive = oldRSs.filter((rs) => !rs.metadata?.deletionTimestamp);
  const excess = alive.length - limit;
  if (excess <= 0) return;
  const byRevision = [...alive].sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
  for (const rs of byRevision.slice(0, excess)) {
    const settled = (rs.status?.observedGeneration ?? 0) >= (rs.metadata?.generation ?? 0);
    if (specReplicas(rs) !== 0 || (rs.status?.replicas ?? 0) !== 0 || !settled) continue;
    try {
      await env.client.delete(replicaSetKind, rs.metadata?.namespace, rs.metadata?.name ?? '', { preconditions: { uid: rs.metadata?.uid ?? '' } });
    } catch (err) {
      if (!(err instanceof StatusError && err.reason === 'NotFound')) throw err;
    }
    st.rsList = st.rsList.filter((r) => r.metadata?.uid !== rs.metadata?.uid);
  }
}
