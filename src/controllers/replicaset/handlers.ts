// Turns pod and ReplicaSet events into ReplicaSet keys on the work queue, and tells the
// expectations what was observed: a pod of ours appearing is a create seen, a pod of ours
// disappearing (or starting to terminate) is a delete seen. Orphan pods wake every ReplicaSet
// whose selector matches them, so one of them can adopt. A pod whose change can only move the
// status counts wakes its ReplicaSet after a short gathering delay (statusGatherMs).
import type { Pod } from '../../api/core/v1/index.js';
import type { ReplicaSet } from '../../api/apps/v1/index.js';
import type { InformerHandlers } from '../../client/index.js';
import { objectKeyOf } from '../../client/index.js';
import { labelSelectorAsSelector } from '../../lib/selectors/index.js';
import { ownerOf } from '../runtime/index.js';
import { semanticEqual } from './semantic.js';
import type { ReplicaSetEnv } from './sync.js';

type OwnerRef = NonNullable<ReturnType<typeof ownerOf>>;

function resolve(env: ReplicaSetEnv, namespace: string | undefined, ref: OwnerRef | undefined): ReplicaSet | undefined {
  if (!ref || ref.kind !== 'ReplicaSet' || ref.apiVersion.split('/')[0] !== 'apps') return undefined;
  const rs = env.replicaSets.get(namespace, ref.name);
  return rs?.metadata?.uid === ref.uid ? rs : undefined;
}

function matchingReplicaSets(env: ReplicaSetEnv, pod: Pod): ReplicaSet[] {
  const labels = pod.metadata?.labels;
  return env.replicaSets.list(pod.metadata?.namespace ?? '').filter((rs) => {
    try {
      const sel = labelSelectorAsSelector(rs.spec?.selector);
      return !sel.isEverything && sel.matches(labels);
    } catch {
      return false;
    }
  });
}

/** 0.1 ms per pod the ReplicaSet has, at most 100 ms: nothing for small ones. */
const statusGatherMs = (rs: ReplicaSet): number => Math.min(100, Math.floor((rs.status?.replicas ?? 0) / 10));

export function podHandlers(env: ReplicaSetEnv): InformerHandlers<Pod> {
  const enqueue = (rs: ReplicaSet): void => env.queue.add(objectKeyOf(rs));
  const deleted = (pod: Pod): void => {
    const rs = resolve(env, pod.metadata?.namespace, ownerOf(pod));
    if (!rs) return;
    env.expectations.deletionObserved(objectKeyOf(rs), objectKeyOf(pod));
    enqueue(rs);
  };
  return {
    onAdd(pod) {
      // After a restart a pod may first be seen already terminating: that is a delete.
      if (pod.metadata?.deletionTimestamp) return deleted(pod);
      const ref = ownerOf(pod);
      if (ref) {
        const rs = resolve(env, pod.metadata?.namespace, ref);
        if (!rs) return;
        env.expectations.creationObserved(objectKeyOf(rs));
        return enqueue(rs);
      }
      matchingReplicaSets(env, pod).forEach(enqueue);
    },
    onUpdate(old, cur) {
      if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
      const labelsChanged = !semanticEqual(old.metadata?.labels, cur.metadata?.labels);
      if (cur.metadata?.deletionTimestamp) {
        deleted(cur);
        if (labelsChanged) deleted(old);
        return;
      }
      const oldRef = ownerOf(old);
      const curRef = ownerOf(cur);
      const refChanged = oldRef?.uid !== curRef?.uid;
      if (refChanged && oldRef) {
        const rs = resolve(env, old.metadata?.namespace, oldRef);
        if (rs) enqueue(rs);
      }
      if (curRef) {
        const rs = resolve(env, cur.metadata?.namespace, curRef);
        if (!rs) return;
        // Same owner and labels, not being deleted: only the counts of status can move (bound,
        // ready, finished). Such changes are gathered for a moment scaled to the ReplicaSet's size, so
        // 1,000 pods turning Ready cost a few dozen syncs (each reads every pod), not 1,000.
        if (!refChanged && !labelsChanged) return env.queue.addAfter(objectKeyOf(rs), statusGatherMs(rs));
        return enqueue(rs);
      }
      if (labelsChanged || refChanged) matchingReplicaSets(env, cur).forEach(enqueue);
    },
    onDelete: deleted,
  };
}

export function replicaSetHandlers(env: ReplicaSetEnv): InformerHandlers<ReplicaSet> {
  return {
    onAdd: (rs) => env.queue.add(objectKeyOf(rs)),
    onUpdate: (_old, cur) => env.queue.add(objectKeyOf(cur)),
    onDelete(rs) {
      const key = objectKeyOf(rs);
      env.expectations.forget(key);
      env.queue.add(key);
    },
  };
}
