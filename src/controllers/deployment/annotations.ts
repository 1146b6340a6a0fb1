// The annotations through which a Deployment and its ReplicaSets remember the rollout history
// (the same keys Kubernetes uses, since `kubectl rollout history/undo` reads them): each
// ReplicaSet's revision and the revisions it held before a rollback, the desired and maximum
// replica counts it was last scaled for (proportional scaling reads those), and the user's own
// Deployment annotations (such as kubernetes.io/change-cause) copied onto the new ReplicaSet.
import type { Deployment, ReplicaSet } from '../../api/apps/v1/index.js';

export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
export const ROLLBACK_TO = 'deprecated.deployment.rollback.to';
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
export const POD_TEMPLATE_HASH = 'pod-template-hash';

/** Kubernetes caps revision-history at this many characters, dropping the oldest first. */
export const MAX_REVISION_HISTORY_CHARS = 2000;

/** Deployment annotations that belong to the controller or to kubectl apply, never copied. */
const NOT_COPIED = new Set([LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, ROLLBACK_TO]);

function intAnnotation(obj: { metadata?: { annotations?: Record<string, string> } }, key: string): number | undefined {
  const v = obj.metadata?.annotations?.[key];
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}

/** The ReplicaSet's revision; 0 when it has none. */
export function revisionOf(rs: ReplicaSet): number {
  return intAnnotation(rs, REVISION) ?? 0;
}

export function maxRevision(rss: ReplicaSet[]): number {
  return rss.reduce((max, rs) => Math.max(max, revisionOf(rs)), 0);
}

export const desiredReplicasAnnotation = (rs: ReplicaSet): number | undefined => intAnnotation(rs, DESIRED_REPLICAS);
export const maxReplicasAnnotation = (rs: ReplicaSet): number | undefined => intAnnotation(rs, MAX_REPLICAS);

/** Sets desired/max replica annotations; true when something changed. */
export function setReplicasAnnotations(rs: ReplicaSet, o: { desired: number; max: number }): boolean {
  const a = ((rs.metadata ??= {}).annotations ??= {});
  const desired = String(o.desired);
  const max = String(o.max);
  if (a[DESIRED_REPLICAS] === desired && a[MAX_REPLICAS] === max) return false;
  a[DESIRED_REPLICAS] = desired;
  a[MAX_REPLICAS] = max;
  return true;
}

/** Whether the ReplicaSet's replica annotations are out of date for the Deployment. */
export function replicasAnnotationsStale(rs: ReplicaSet, o: { desired: number; max: number }): boolean {
  const a = rs.metadata?.annotations ?? {};
  return a[DESIRED_REPLICAS] !== String(o.desired) || a[MAX_REPLICAS] !== String(o.max);
}

function copyDeploymentAnnotations(d: Deployment, rs: ReplicaSet): boolean {
  const a = ((rs.metadata ??= {}).annotations ??= {});
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) {
    if (NOT_COPIED.has(k) || a[k] === v) continue;
    a[k] = v;
    changed = true;
  }
  return changed;
}

/**
 * Brings the new ReplicaSet's annotations up to date: the Deployment's annotations, the new
 * revision (a ReplicaSet brought back by a rollback keeps its earlier revisions in
 * revision-history) and, for a ReplicaSet about to be created, its replica annotations.
 * Returns true when anything changed.
 */
export function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, o: { revision: number; exists: boolean; maxSurge: number }): boolean {
  let changed = copyDeploymentAnnotations(d, rs);
  const a = ((rs.metadata ??= {}).annotations ??= {});
  const old = a[REVISION];
  if (old !== undefined && !/^\d+$/.test(old)) return changed;
  const oldRevision = old === undefined ? 0 : Number(old);
  if (oldRevision < o.revision) {
    a[REVISION] = String(o.revision);
    changed = true;
    if (old !== undefined) a[REVISION_HISTORY] = appendHistory(a[REVISION_HISTORY], old);
  }
  if (!o.exists) {
    const desired = d.spec?.replicas ?? 1;
    setReplicasAnnotations(rs, { desired, max: desired + o.maxSurge });
    changed = true;
  }
  return changed;
}

function appendHistory(history: string | undefined, revision: string): string {
  const entries = history ? history.split(',') : [];
  entries.push(revision);
  while (entries.length > 1 && entries.join(',').length > MAX_REVISION_HISTORY_CHARS) entries.shift();
  return entries.join(',');
}
