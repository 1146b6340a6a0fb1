// NodeResourcesBalancedAllocation: prefers nodes where, with the pod placed, cpu and memory are
// used in similar proportions, so no node ends up with one resource exhausted and the other
// idle. The score is 100 * (1 - the standard deviation of the used fractions). Pods requesting
// nothing leave the balance unchanged and skip this plugin.
import { SKIP } from '../../framework/status.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { MAX_NODE_SCORE, type PluginFactory, type PreScorePlugin, type ScorePlugin } from '../../framework/types.js';

export const Name = 'NodeResourcesBalancedAllocation';

function balancedScore(pod: PodInfo, node: NodeInfo): number {
  const fractions: number[] = [];
  const a = node.allocatable;
  if (a.milliCpu > 0) fractions.push(Math.min(1, (node.requested.milliCpu + pod.requests.milliCpu) / a.milliCpu));
  if (a.memory > 0) fractions.push(Math.min(1, (node.requested.memory + pod.requests.memory) / a.memory));
  let std = 0;
  if (fractions.length === 2) std = Math.abs(((fractions[0] as number) - (fractions[1] as number)) / 2);
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

export const create: PluginFactory = (): PreScorePlugin & ScorePlugin => ({
  name: Name,
  preScore(_state, pod) {
    return pod.requests.milliCpu === 0 && pod.requests.memory === 0 ? SKIP : undefined;
  },
  score: (_state, pod, node) => balancedScore(pod, node),
});
