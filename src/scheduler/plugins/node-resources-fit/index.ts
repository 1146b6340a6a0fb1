// NodeResourcesFit: a pod fits a node when the node's allocatable cpu, memory, ephemeral storage,
// extended resources and pod count cover what the pods already there request plus what this pod
// requests (requests, not limits or usage). Among the nodes that fit, the least allocated score
// highest (cpu and memory, counting the scoring defaults for containers that request nothing),
// which spreads pods out.
import { unschedulable, type Status } from '../../framework/status.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { MAX_NODE_SCORE, type FilterPlugin, type PluginFactory, type ScorePlugin } from '../../framework/types.js';

export const Name = 'NodeResourcesFit';

const TOO_MANY_PODS = 'Too many pods';

/** The reasons the pod does not fit the node's free resources; empty when it fits. */
function insufficientResources(pod: PodInfo, node: NodeInfo): string[] {
  const out: string[] = [];
  const alloc = node.allocatable;
  const used = node.requested;
  if (used.pods + 1 > alloc.pods) out.push(TOO_MANY_PODS);
  const req = pod.requests;
  if (req.milliCpu === 0 && req.memory === 0 && req.ephemeralStorage === 0 && !req.scalars) return out;
  if (alloc.milliCpu < req.milliCpu + used.milliCpu) out.push('Insufficient cpu');
  if (alloc.memory < req.memory + used.memory) out.push('Insufficient memory');
  if (alloc.ephemeralStorage < req.ephemeralStorage + used.ephemeralStorage) out.push('Insufficient ephemeral-storage');
  if (req.scalars)
    for (const name in req.scalars) {
      const want = req.scalars[name] ?? 0;
      if (want > 0 && (alloc.scalars?.[name] ?? 0) < want + (used.scalars?.[name] ?? 0)) out.push(`Insufficient ${name}`);
    }
  return out;
}

/** (free / allocatable) * 100 for one resource; 0 when over-committed. */
function leastRequested(requested: number, allocatable: number): number {
  if (requested > allocatable) return 0;
  return Math.trunc(((allocatable - requested) * MAX_NODE_SCORE) / allocatable);
}

/** Equal-weight mean of the cpu and memory scores, over resources the node has at all. */
function leastAllocatedScore(pod: PodInfo, node: NodeInfo): number {
  let sum = 0;
  let weights = 0;
  const a = node.allocatable;
  if (a.milliCpu > 0) {
    sum += leastRequested(node.nonZeroMilliCpu + pod.nonZeroMilliCpu, a.milliCpu);
    weights++;
  }
  if (a.memory > 0) {
    sum += leastRequested(node.nonZeroMemory + pod.nonZeroMemory, a.memory);
    weights++;
  }
  return weights === 0 ? 0 : Math.trunc(sum / weights);
}

const cachedRejections = new Map<string, Status>();
function rejection(reasons: string[]): Status {
  const k = reasons.join('\n');
  let s = cachedRejections.get(k);
  if (!s) cachedRejections.set(k, (s = unschedulable(...reasons)));
  return s;
}

export const create: PluginFactory = (): FilterPlugin & ScorePlugin => ({
  name: Name,
  events: ['NodeAdd', 'NodeUpdate', 'AssignedPodDelete', 'AssignedPodUpdate'],
  filter(_state, pod, node) {
    const reasons = insufficientResources(pod, node);
    return reasons.length === 0 ? undefined : rejection(reasons);
  },
  score: (_state, pod, node) => leastAllocatedScore(pod, node),
});
