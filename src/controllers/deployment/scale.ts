// Scaling the Deployment's ReplicaSets, with the ScalingReplicaSet events users read in
// `kubectl describe`. When the Deployment's replica count changes while more than one
// ReplicaSet has pods (mid-rollout, or paused), the change is spread over them in proportion to
// their size, as Kubernetes does: each ReplicaSet's max-replicas annotation records the total it
// was sized against, so its share of the new total follows; leftovers go to the largest.
import type { Deployment, ReplicaSet } from '../../api/apps/v1/index.js';
import { desiredReplicasAnnotation, maxReplicasAnnotation, replicasAnnotationsStale, setReplicasAnnotations } from './annotations.js';
import { current, updateReplicaSet, type DeploymentEnv, type SyncState } from './env.js';
import { byCreation, bySizeNewer, bySizeOlder, desiredReplicas, isActive, isRollingUpdate, maxSurge, specReplicas, specTotal } from './replicas.js';

/** Sets a ReplicaSet's size (and its replica annotations); records an event when the size changed. */
export async function scaleReplicaSet(
  env: DeploymentEnv,
  st: SyncState,
  o: { rs: ReplicaSet; replicas: number; operation: 'up' | 'down' | '' },
): Promise<{ scaled: boolean; rs: ReplicaSet }> {
  const d = st.d;
  const desired = desiredReplicas(d);
  const target = { desired, max: desired + maxSurge(d) };
  const from = specReplicas(o.rs);
  const sizeChanged = from !== o.replicas;
  if (!sizeChanged && !replicasAnnotationsStale(o.rs, target)) return { scaled: false, rs: o.rs };
  const copy = structuredClone(o.rs);
  (copy.spec ??= {} as NonNullable<ReplicaSet['spec']>).replicas = o.replicas;
  setReplicasAnnotations(copy, target);
  const rs = await updateReplicaSet(env, st, copy);
  if (sizeChanged) {
    env.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${o.operation} replica set ${rs.metadata?.name ?? ''} from ${from} to ${o.replicas}`);
  }
  return { scaled: sizeChanged, rs };
}

/** Scales to `replicas` when different; "up" or "down" follows from the sizes. */
export async function scaleTo(env: DeploymentEnv, st: SyncState, rs: ReplicaSet, replicas: number): Promise<{ scaled: boolean; rs: ReplicaSet }> {
  if (specReplicas(rs) === replicas) return { scaled: false, rs };
  return scaleReplicaSet(env, st, { rs, replicas, operation: specReplicas(rs) < replicas ? 'up' : 'down' });
}

/** Whether the Deployment's replica count changed since its active ReplicaSets were last sized. */
export function isScalingEvent(d: Deployment, rss: (ReplicaSet | undefined)[]): boolean {
  return rss.some((rs) => {
    if (!isActive(rs)) return false;
    const desired = desiredReplicasAnnotation(rs);
    return desired !== undefined && desired !== desiredReplicas(d);
  });
}

/** The only ReplicaSet with pods, or — when none has any — the new one, else the newest old one. */
function activeOrLatest(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): ReplicaSet | undefined {
  const olds = [...oldRSs].sort((a, b) => byCreation(b, a));
  const active = [...olds, newRS].filter(isActive);
  if (active.length === 1) return active[0];
  if (active.length > 1) return undefined;
  return newRS ?? olds[0];
}

/** New ReplicaSet fully scaled, recorded for the current replica count, and all available. */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const desired = desiredReplicas(d);
  return desiredReplicasAnnotation(rs) === desired && specReplicas(rs) === desired && (rs.status?.availableReplicas ?? 0) === desired;
}

/** How many replicas `rs` gains (or, negative, loses) in proportion to its share. */
function proportion(d: Deployment, rs: ReplicaSet, o: { toAdd: number; added: number }): number {
  if (specReplicas(rs) === 0 || o.toAdd === 0 || o.toAdd === o.added) return 0;
  let share: number;
  if (desiredReplicas(d) === 0) {
    share = -specReplicas(rs);
  } else {
    const total = desiredReplicas(d) + maxSurge(d);
    const sizedFor = maxReplicasAnnotation(rs) ?? d.status?.replicas ?? 0;
    share = sizedFor > 0 ? Math.round((specReplicas(rs) * total) / sizedFor) - specReplicas(rs) : 0;
  }
  const allowed = o.toAdd - o.added;
  return o.toAdd > 0 ? Math.min(share, allowed) : Math.max(share, allowed);
}

/** Brings the ReplicaSets' sizes in line with the Deployment's replica count. */
export async function scale(env: DeploymentEnv, st: SyncState, o: { newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] }): Promise<void> {
  const d = st.d;
  const desired = desiredReplicas(d);
  const only = activeOrLatest(o.newRS, o.oldRSs);
  if (only) {
    // Also refreshes stale replica annotations at the same size, so a scaling event cannot stick.
    const operation = specReplicas(only) < desired ? 'up' : 'down';
    await scaleReplicaSet(env, st, { rs: only, replicas: desired, operation });
    return;
  }
  if (isSaturated(d, o.newRS)) {
    for (const old of o.oldRSs.filter(isActive)) await scaleTo(env, st, old, 0);
    return;
  }
  if (!isRollingUpdate(d)) return;
  const active = [...o.oldRSs, o.newRS].filter(isActive);
  const allowed = desired > 0 ? desired + maxSurge(d) : 0;
  const toAdd = allowed - specTotal(active);
  if (toAdd > 0) active.sort(bySizeNewer);
  else if (toAdd < 0) active.sort(bySizeOlder);
  const operation = toAdd > 0 ? 'up' : toAdd < 0 ? 'down' : '';
  const sizes = new Map<ReplicaSet, number>();
  let added = 0;
  for (const rs of active) {
    const p = proportion(d, rs, { toAdd, added });
    sizes.set(rs, specReplicas(rs) + p);
    added += p;
  }
  for (const [i, rs] of active.entries()) {
    let size = sizes.get(rs) ?? specReplicas(rs);
    // Whatever rounding left over goes to (or comes from) the largest ReplicaSet.
    if (i === 0 && toAdd !== 0) size = Math.max(0, size + toAdd - added);
    const latest = current(st, rs) ?? rs;
    await scaleReplicaSet(env, st, { rs: latest, replicas: size, operation });
  }
}
