// NodePorts: a pod asking for a host port fits only on nodes where no other pod holds that
// port and protocol on the same (or the wildcard) address.
import { SKIP, unschedulable, type Status } from '../../framework/status.js';
import type { FilterPlugin, PluginFactory, PreFilterPlugin } from '../../framework/types.js';

export const Name = 'NodePorts';
export const ErrReason = "node(s) didn't have free ports for the requested pod ports";

const REJECT: Status = unschedulable(ErrReason);

export const create: PluginFactory = (): PreFilterPlugin & FilterPlugin => ({
  name: Name,
  events: ['NodeAdd', 'AssignedPodDelete'],
  preFilter(_state, pod) {
    return pod.hostPorts.length === 0 ? SKIP : undefined;
  },
  filter(_state, pod, node) {
    if (node.usedPorts.size === 0) return undefined;
    for (const p of pod.hostPorts) if (node.usedPorts.conflicts(p)) return REJECT;
    return undefined;
  },
});
