// The ReplicaSet controller's one idempotent sync: read the ReplicaSet from the cache, claim the
// active pods its selector matches (adopting orphans, releasing pods that stopped matching),
// create or delete pods to reach spec.replicas — but only when earlier creates and deletes have
// been observed (expectations) — then write the status, and come back when a ready pod is due
// to become available (minReadySeconds).
import { podKind, type Pod } from '../../api/core/v1/index.js';
import { replicaSetKind, type ReplicaSet, type ReplicaSetStatus } from '../../api/apps/v1/index.js';
import type { Client, EventRecorder, ObjectCache } from '../../client/index.js';
import { objectKeyOf, splitKey } from '../../client/index.js';
import { labelSelectorAsSelector, type Selector } from '../../lib/selectors/index.js';
import type { Clock, WorkQueue } from '../../lib/workqueue.js';
import { ownerOf, type Expectations } from '../runtime/index.js';
import { claimObjects } from './claim.js';
import { createPod, deletePod, slowStartBatch } from './pod-control.js';
import { isPodActive, msUntilAvailableFrom } from './pods.js';
import { podView, type MatchMemo } from './pod-view.js';
import { podsToDelete } from './ranking.js';
import { semanticEqual } from './semantic.js';
import { calculateStatus } from './status.js';

/** Kubernetes' cap on pods created or deleted by one sync. */
export const BURST_REPLICAS = 500;

/** Pod index: `uid:<controller uid>` for controlled pods, `orphan:<namespace>` for the rest. */
export const POD_OWNER_INDEX = 'replicaset-controller/owner';
/** ReplicaSet index: the uid of the controlling owner (a Deployment), for sibling ReplicaSets. */
export const RS_OWNER_INDEX = 'replicaset-controller/owner';

export const podOwnerIndex = (pod: Pod): string[] => {
  const ref = ownerOf(pod);
  return [ref ? `uid:${ref.uid}` : `orphan:${pod.metadata?.namespace ?? ''}`];
};

export const rsOwnerIndex = (rs: ReplicaSet): string[] => {
  const ref = ownerOf(rs);
  return ref ? [ref.uid] : [];
};

export interface ReplicaSetEnv {
  client: Client;
  recorder: EventRecorder;
  clock: Clock;
  log(msg: string): void;
  queue: WorkQueue;
  expectations: Expectations;
  replicaSets: ObjectCache<ReplicaSet>;
  pods: ObjectCache<Pod>;
  /** Selector answers per pod, kept across syncs (a sync runs on every pod event). */
  matches: MatchMemo;
}

export async function syncReplicaSet(env: ReplicaSetEnv, key: string): Promise<void> {
  const { namespace, name } = splitKey(key);
  const rs = env.replicaSets.get(namespace, name);
  if (!rs) {
    env.expectations.forget(key);
    env.matches.forget(key);
    return;
  }
  const needsSync = env.expectations.satisfied(key);
  let selector: Selector;
  try {
    selector = labelSelectorAsSelector(rs.spec?.selector);
  } catch (err) {
    // Validation keeps bad selectors out; retrying would not fix one.
    env.log(`replicaset ${key}: invalid selector: ${String(err)}`);
    return;
  }
  const uid = rs.metadata?.uid ?? '';
  const candidates: Pod[] = [];
  for (const index of [`uid:${uid}`, `orphan:${namespace ?? ''}`]) {
    for (const p of env.pods.byIndex(POD_OWNER_INDEX, index)) if (p.metadata?.namespace === namespace && podView(p).active) candidates.push(p);
  }
  selector = env.matches.selector(key, selector);
  const pods = await claimObjects<Pod>({ client: env.client, owner: rs, ownerKind: replicaSetKind, kind: podKind, selector, candidates });

  let manageError: unknown;
  if (needsSync && !rs.metadata?.deletionTimestamp) {
    try {
      await manageReplicas(env, { key, rs, pods });
    } catch (err) {
      manageError = err;
    }
  }
  const now = env.clock.now();
  const status = calculateStatus({ rs, pods, now, ...(manageError !== undefined ? { manageError } : {}) });
  await writeStatus(env, rs, status);
  if (manageError !== undefined) throw manageError;

  const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
  let wait = Infinity;
  if (minReadySeconds > 0) for (const p of pods) wait = Math.min(wait, msUntilAvailableFrom(podView(p), { minReadySeconds, now }) ?? Infinity);
  if (wait < Infinity) env.queue.addAfter(key, wait);
}

async function manageReplicas(env: ReplicaSetEnv, o: { key: string; rs: ReplicaSet; pods: Pod[] }): Promise<void> {
  const diff = o.pods.length - (o.rs.spec?.replicas ?? 1);
  if (diff < 0) {
    const n = Math.min(-diff, BURST_REPLICAS);
    env.expectations.expectCreations(o.key, n);
    const { successes, error } = await slowStartBatch(n, {
      initialBatch: 1,
      fn: () => createPod({ client: env.client, recorder: env.recorder, rs: o.rs }),
    });
    // Pods that failed or were never attempted will not be observed; the next sync retries them.
    for (let i = successes; i < n; i++) env.expectations.creationFailed(o.key);
    if (error !== undefined) throw error;
    return;
  }
  if (diff === 0) return;
  const victims = podsToDelete(o.pods, { count: Math.min(diff, BURST_REPLICAS), related: relatedPods(env, o.rs, o.pods) });
  env.expectations.expectDeletions(o.key, victims.map(objectKeyOf));
  const results = await Promise.allSettled(
    victims.map(async (pod) => {
      try {
        const deleted = await deletePod({ client: env.client, recorder: env.recorder, rs: o.rs, pod });
        if (!deleted) env.expectations.deletionObserved(o.key, objectKeyOf(pod));
      } catch (err) {
        env.expectations.deletionObserved(o.key, objectKeyOf(pod));
        throw err;
      }
    }),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Active pods of the whole workload: of this ReplicaSet and of its siblings under the same owner. */
function relatedPods(env: ReplicaSetEnv, rs: ReplicaSet, own: Pod[]): Pod[] {
  const owner = ownerOf(rs);
  if (!owner) return own;
  const out: Pod[] = [];
  for (const sibling of env.replicaSets.byIndex(RS_OWNER_INDEX, owner.uid)) {
    if (sibling.metadata?.uid === rs.metadata?.uid) out.push(...own);
    else out.push(...env.pods.byIndex(POD_OWNER_INDEX, `uid:${sibling.metadata?.uid ?? ''}`).filter(isPodActive));
  }
  return out;
}

async function writeStatus(env: ReplicaSetEnv, rs: ReplicaSet, status: ReplicaSetStatus): Promise<void> {
  if (semanticEqual(rs.status, status)) return;
  const next = structuredClone(rs);
  next.status = status;
  await env.client.update(replicaSetKind, rs.metadata?.namespace, next, { subresource: 'status' });
}
