// Turns Deployment, ReplicaSet and pod events into Deployment keys. A ReplicaSet wakes its
// controlling Deployment (or, when orphaned, every Deployment whose selector matches it, so one
// can adopt it); a pod deletion matters only to Recreate Deployments, which wait for old pods to
// be gone before starting new ones.
import type { Deployment, ReplicaSet } from '../../api/apps/v1/index.js';
import type { Pod } from '../../api/core/v1/index.js';
import type { InformerHandlers } from '../../client/index.js';
import { objectKeyOf } from '../../client/index.js';
import { labelSelectorAsSelector } from '../../lib/selectors/index.js';
import { ownerOf } from '../runtime/index.js';
import { semanticEqual } from '../replicaset/index.js';
import type { DeploymentEnv } from './env.js';

type OwnerRef = NonNullable<ReturnType<typeof ownerOf>>;

function resolve<T extends Deployment | ReplicaSet>(
  cache: { get(ns: string | undefined, name: string): T | undefined },
  o: { namespace: string | undefined; ref: OwnerRef | undefined; kind: string },
): T | undefined {
  if (!o.ref || o.ref.kind !== o.kind || o.ref.apiVersion.split('/')[0] !== 'apps') return undefined;
  const obj = cache.get(o.namespace, o.ref.name);
  return obj?.metadata?.uid === o.ref.uid ? obj : undefined;
}

function matchingDeployments(env: DeploymentEnv, rs: ReplicaSet): Deployment[] {
  return env.deployments.list(rs.metadata?.namespace ?? '').filter((d) => {
    try {
      const sel = labelSelectorAsSelector(d.spec?.selector);
      return !sel.isEverything && sel.matches(rs.metadata?.labels);
    } catch {
      return false;
    }
  });
}

export function deploymentHandlers(env: DeploymentEnv): InformerHandlers<Deployment> {
  const add = (d: Deployment): void => env.queue.add(objectKeyOf(d));
  return { onAdd: add, onUpdate: (_o, d) => add(d), onDelete: add };
}

export function replicaSetHandlers(env: DeploymentEnv): InformerHandlers<ReplicaSet> {
  const add = (d: Deployment): void => env.queue.add(objectKeyOf(d));
  const owner = (rs: ReplicaSet): Deployment | undefined =>
    resolve(env.deployments, { namespace: rs.metadata?.namespace, ref: ownerOf(rs), kind: 'Deployment' });
  return {
    onAdd(rs) {
      const ref = ownerOf(rs);
      if (ref) {
        const d = owner(rs);
        if (d) add(d);
        return;
      }
      if (!rs.metadata?.deletionTimestamp) matchingDeployments(env, rs).forEach(add);
    },
    onUpdate(old, cur) {
      if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
      const oldRef = ownerOf(old);
      const curRef = ownerOf(cur);
      const refChanged = oldRef?.uid !== curRef?.uid;
      if (refChanged && oldRef) {
        const d = owner(old);
        if (d) add(d);
      }
      if (curRef) {
        const d = owner(cur);
        if (d) add(d);
        return;
      }
      if (refChanged || !semanticEqual(old.metadata?.labels, cur.metadata?.labels)) matchingDeployments(env, cur).forEach(add);
    },
    onDelete(rs) {
      const d = owner(rs);
      if (d) add(d);
    },
  };
}

export function podHandlers(env: DeploymentEnv): InformerHandlers<Pod> {
  return {
    onDelete(pod) {
      const rs = resolve(env.replicaSets, { namespace: pod.metadata?.namespace, ref: ownerOf(pod), kind: 'ReplicaSet' });
      if (!rs) return;
      const d = resolve(env.deployments, { namespace: rs.metadata?.namespace, ref: ownerOf(rs), kind: 'Deployment' });
      if (d?.spec?.strategy?.type === 'Recreate') env.queue.add(objectKeyOf(d));
    },
  };
}
