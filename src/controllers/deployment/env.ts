// What one Deployment sync works with: the long-lived pieces (client, caches, queue, clock,
// event recorder) and the sync's own state — its copy of the Deployment and of the ReplicaSets
// it controls, replaced by the server's answer after every write so later steps of the same sync
// never act on (or write back) an outdated object.
import { deploymentKind, replicaSetKind, type Deployment, type DeploymentStatus, type ReplicaSet } from '../../api/apps/v1/index.js';
import type { Pod } from '../../api/core/v1/index.js';
import type { Client, EventRecorder, ObjectCache } from '../../client/index.js';
import type { Clock, WorkQueue } from '../../lib/workqueue.js';
import { REVISION } from './annotations.js';

export interface DeploymentEnv {
  client: Client;
  recorder: EventRecorder;
  clock: Clock;
  log(msg: string): void;
  queue: WorkQueue;
  deployments: ObjectCache<Deployment>;
  replicaSets: ObjectCache<ReplicaSet>;
  pods: ObjectCache<Pod>;
}

export interface SyncState {
  key: string;
  d: Deployment;
  /** Every ReplicaSet the Deployment controls (old and new), latest known versions. */
  rsList: ReplicaSet[];
}

const uidOf = (o: { metadata?: { uid?: string } } | undefined): string | undefined => o?.metadata?.uid;

/** The latest version of `rs` held by the sync (undefined stays undefined). */
export function current(st: SyncState, rs: ReplicaSet | undefined): ReplicaSet | undefined {
  if (!rs) return undefined;
  return st.rsList.find((r) => uidOf(r) === uidOf(rs)) ?? rs;
}

/** The new ReplicaSet and all the others, as latest versions. */
export function split(st: SyncState, newRS: ReplicaSet | undefined): { newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] } {
  const uid = uidOf(newRS);
  return { newRS: current(st, newRS), oldRSs: st.rsList.filter((r) => uid === undefined || uidOf(r) !== uid) };
}

export function remember(st: SyncState, rs: ReplicaSet): void {
  const i = st.rsList.findIndex((r) => uidOf(r) === uidOf(rs));
  if (i >= 0) st.rsList[i] = rs;
  else st.rsList.push(rs);
}

/** PUT a changed ReplicaSet (a stale resourceVersion fails with Conflict and the sync retries). */
export async function updateReplicaSet(env: DeploymentEnv, st: SyncState, rs: ReplicaSet): Promise<ReplicaSet> {
  const updated = await env.client.update<ReplicaSet>(replicaSetKind, rs.metadata?.namespace, rs);
  remember(st, updated);
  return updated;
}

/** Writes `status` (or the state's current status) through the status subresource. */
export async function writeStatus(env: DeploymentEnv, st: SyncState, status?: DeploymentStatus): Promise<void> {
  const next = structuredClone(st.d);
  if (status) next.status = status;
  st.d = await env.client.update<Deployment>(deploymentKind, next.metadata?.namespace, next, { subresource: 'status' });
}

/**
 * Records the rollout's revision on the Deployment. Status writes cannot change metadata here,
 * so this is a metadata-only patch (it does not bump generation). Status changes made in memory
 * but not yet written are kept.
 */
export async function setDeploymentRevision(env: DeploymentEnv, st: SyncState, revision: string): Promise<void> {
  if (st.d.metadata?.annotations?.[REVISION] === revision) return;
  const pending = st.d.status;
  const body = { metadata: { annotations: { [REVISION]: revision } } };
  st.d = await env.client.patch<Deployment>(deploymentKind, st.d.metadata?.namespace, st.d.metadata?.name ?? '', { type: 'merge', body });
  st.d.status = pending;
}
