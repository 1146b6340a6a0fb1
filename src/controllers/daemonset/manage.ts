// The core DaemonSet decision, as a pure function of the cache: for every node, should a daemon
// pod be there, and which pods must go — pods on nodes that no longer qualify, failed or
// finished pods (failed ones with per-node back-off, since a kubelet that keeps rejecting a pod
// would otherwise make the controller spin), duplicates beyond one per node (two while surging:
// the oldest updated and the oldest old one), and unscheduled pods pinned to nodes that are gone.
import type { DaemonSet } from '../../api/apps/v1/index.js';
import type { Node, Pod } from '../../api/core/v1/index.js';
import { REVISION_HASH_LABEL, byCreation, isTerminating } from '../history/index.js';
import { nodeEligibility } from './placement.js';

export interface FailedPod {
  pod: Pod;
  node: string;
}

export interface ManagePlan {
  createOn: string[];
  deletePods: Pod[];
  /** Failed pods found (deleted unless their node is in back-off). */
  failed: FailedPod[];
}

export interface ManageInput {
  ds: DaemonSet;
  nodes: readonly Node[];
  nodeToPods: ReadonlyMap<string, Pod[]>;
  hash: string;
  allowSurge: boolean;
  /** True when a failed pod on this node may be deleted now (not in back-off). */
  mayDeleteFailed(node: string): boolean;
}

function podsToKeep(running: Pod[], o: { hash: string; allowSurge: boolean }): { keep: Pod[]; extra: Pod[] } {
  const sorted = [...running].sort(byScheduledThenCreation);
  if (sorted.length <= 1) return { keep: sorted, extra: [] };
  if (!o.allowSurge) return { keep: sorted.slice(0, 1), extra: sorted.slice(1) };
  let newest: Pod | undefined;
  let oldest: Pod | undefined;
  const extra: Pod[] = [];
  for (const p of sorted) {
    const updated = p.metadata?.labels?.[REVISION_HASH_LABEL] === o.hash;
    if (updated && !newest) newest = p;
    else if (!updated && !oldest) oldest = p;
    else extra.push(p);
  }
  return { keep: [newest, oldest].filter((p): p is Pod => p !== undefined), extra };
}

/** Pods already bound to their node sort first, then oldest first (the pod we keep comes first). */
export function byScheduledThenCreation(a: Pod, b: Pod): number {
  const rank = (p: Pod): number => (p.spec?.nodeName ? 0 : 1);
  return rank(a) - rank(b) || byCreation(a, b);
}

export function planManage(input: ManageInput): ManagePlan {
  const plan: ManagePlan = { createOn: [], deletePods: [], failed: [] };
  const nodeNames = new Set<string>();
  for (const node of input.nodes) {
    const name = node.metadata?.name ?? '';
    nodeNames.add(name);
    const pods = input.nodeToPods.get(name) ?? [];
    const { shouldRun, shouldContinueRunning } = nodeEligibility(input.ds, node);
    if (shouldRun && pods.length === 0) {
      plan.createOn.push(name);
      continue;
    }
    if (!shouldContinueRunning) {
      plan.deletePods.push(...pods.filter((p) => !isTerminating(p)));
      continue;
    }
    const running: Pod[] = [];
    for (const pod of pods) {
      if (isTerminating(pod)) continue;
      const phase = pod.status?.phase;
      if (phase === 'Failed') {
        plan.failed.push({ pod, node: name });
        if (input.mayDeleteFailed(name)) plan.deletePods.push(pod);
      } else if (phase === 'Succeeded') {
        plan.deletePods.push(pod);
      } else {
        running.push(pod);
      }
    }
    plan.deletePods.push(...podsToKeep(running, input).extra);
  }
  // Pods the scheduler has not bound yet, pinned to a node that no longer exists, can never run.
  for (const [nodeName, pods] of input.nodeToPods) {
    if (nodeNames.has(nodeName)) continue;
    plan.deletePods.push(...pods.filter((p) => !p.spec?.nodeName && !isTerminating(p)));
  }
  return plan;
}
