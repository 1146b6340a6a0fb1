// The counting the Deployment controller does over its ReplicaSets: how far a rolling update
// may surge above or dip below the desired count (maxSurge rounds percentages up,
// maxUnavailable rounds them down, and if both come to zero one pod may be unavailable so the
// rollout can move), sums of spec and status replicas, and the orders ReplicaSets are visited in.
import type { Deployment, ReplicaSet } from '../../api/apps/v1/index.js';

export type IntOrPercent = number | string | undefined;

/** An int-or-percent resolved against `total`; percentages round up or down as asked. */
export function scaledValue(v: IntOrPercent, o: { total: number; roundUp: boolean }): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) {
    // Validation only lets integers and percentages through; treat a bare number string as one.
    const n = Number(v);
    return Number.isInteger(n) ? n : 0;
  }
  const p = Number(m[1]) * o.total;
  return o.roundUp ? Math.ceil(p / 100) : Math.floor(p / 100);
}

/** Kubernetes' fenceposts: [maxSurge, maxUnavailable] as pod counts. */
export function resolveFenceposts(o: { maxSurge: IntOrPercent; maxUnavailable: IntOrPercent; desired: number }): [number, number] {
  const surge = scaledValue(o.maxSurge ?? 0, { total: o.desired, roundUp: true });
  const unavailable = scaledValue(o.maxUnavailable ?? 0, { total: o.desired, roundUp: false });
  // Rounding down can turn a small percentage into 0; one pod at a time must still be able to go.
  if (surge === 0 && unavailable === 0) return [0, 1];
  return [surge, unavailable];
}

export const desiredReplicas = (d: Deployment): number => d.spec?.replicas ?? 1;
export const isRollingUpdate = (d: Deployment): boolean => (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';

function fenceposts(d: Deployment): [number, number] {
  const ru = d.spec?.strategy?.rollingUpdate;
  return resolveFenceposts({ maxSurge: ru?.maxSurge ?? '25%', maxUnavailable: ru?.maxUnavailable ?? '25%', desired: desiredReplicas(d) });
}

export function maxSurge(d: Deployment): number {
  return isRollingUpdate(d) ? fenceposts(d)[0] : 0;
}

export function maxUnavailable(d: Deployment): number {
  const desired = desiredReplicas(d);
  if (!isRollingUpdate(d) || desired === 0) return 0;
  return Math.min(fenceposts(d)[1], desired);
}

export const specReplicas = (rs: ReplicaSet | undefined): number => rs?.spec?.replicas ?? 0;

/** Sum of spec.replicas. */
export function specTotal(rss: (ReplicaSet | undefined)[]): number {
  return rss.reduce((n, rs) => n + specReplicas(rs), 0);
}

/** Sum of status.replicas: the pods that actually exist. */
export function actualTotal(rss: (ReplicaSet | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs?.status?.replicas ?? 0), 0);
}

export function readyTotal(rss: (ReplicaSet | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs?.status?.readyReplicas ?? 0), 0);
}

export function availableTotal(rss: (ReplicaSet | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs?.status?.availableReplicas ?? 0), 0);
}

/**
 * Pods that exist or are about to, for the surge limit: a ReplicaSet just scaled down still has
 * its pods until its controller removes them (its status says how many), so count the larger of
 * spec and status. Kubernetes counts spec only, which lets real pods briefly exceed maxSurge.
 */
export function podsBound(rss: (ReplicaSet | undefined)[]): number {
  return rss.reduce((n, rs) => n + Math.max(specReplicas(rs), rs?.status?.replicas ?? 0), 0);
}

/**
 * Available pods that will still exist once each ReplicaSet reaches its spec, for the
 * unavailability limit: a stale status of a ReplicaSet just scaled down must not count pods
 * that are about to go.
 */
export function availableBound(rss: (ReplicaSet | undefined)[]): number {
  return rss.reduce((n, rs) => n + Math.min(specReplicas(rs), rs?.status?.availableReplicas ?? 0), 0);
}

export const isActive = (rs: ReplicaSet | undefined): rs is ReplicaSet => specReplicas(rs) > 0;

const createdAt = (rs: ReplicaSet): number => Date.parse(rs.metadata?.creationTimestamp ?? '') || 0;

/** Oldest first; ties by name. */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  return createdAt(a) - createdAt(b) || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
}

/** Largest first; among equals, the newest first (where scale-ups go first). */
export function bySizeNewer(a: ReplicaSet, b: ReplicaSet): number {
  return specReplicas(b) - specReplicas(a) || byCreation(b, a);
}

/** Largest first; among equals, the oldest first (where scale-downs go first). */
export function bySizeOlder(a: ReplicaSet, b: ReplicaSet): number {
  return specReplicas(b) - specReplicas(a) || byCreation(a, b);
}
