// Which pods the pod garbage collector removes, as pure decisions over the cached pods and
// nodes: terminated pods beyond the threshold (evicted ones first, then oldest, then by name),
// terminating pods on nodes taken out of service, pods bound to nodes that no longer exist, and
// terminating pods that were never scheduled.
import type { Node, Pod } from '../../api/core/v1/index.js';

export const OUT_OF_SERVICE_TAINT = 'node.kubernetes.io/out-of-service';

export const isTerminated = (p: Pod): boolean => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
const isEvicted = (p: Pod): boolean => p.status?.phase === 'Failed' && p.status.reason === 'Evicted';

/** The terminated pods to delete so that at most `threshold` remain (none when threshold <= 0). */
export function excessTerminated(pods: readonly Pod[], threshold: number): Pod[] {
  if (threshold <= 0) return [];
  const done = pods.filter(isTerminated);
  const excess = done.length - threshold;
  if (excess <= 0) return [];
  done.sort((a, b) => {
    if (isEvicted(a) !== isEvicted(b)) return isEvicted(a) ? -1 : 1;
    const ta = Date.parse(a.metadata?.creationTimestamp ?? '') || 0;
    const tb = Date.parse(b.metadata?.creationTimestamp ?? '') || 0;
    return ta - tb || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
  });
  return done.slice(0, excess);
}

/** The node is not Ready and an administrator marked it out of service (it will not come back as it was). */
export function outOfService(node: Node): boolean {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
  return !ready && (node.spec?.taints ?? []).some((t) => t.key === OUT_OF_SERVICE_TAINT && t.effect === 'NoExecute');
}
