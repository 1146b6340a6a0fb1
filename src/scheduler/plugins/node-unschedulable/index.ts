// NodeUnschedulable: a cordoned node (spec.unschedulable) takes no new pods, unless the pod
// tolerates the node.kubernetes.io/unschedulable:NoSchedule taint, as DaemonSet pods do.
import type { Taint } from '../../../api/core/v1/index.js';
import { toleratedBy } from '../../framework/taints.js';
import { unresolvable, type Status } from '../../framework/status.js';
import type { FilterPlugin, PluginFactory } from '../../framework/types.js';

export const Name = 'NodeUnschedulable';
export const ErrReason = 'node(s) were unschedulable';
export const UNSCHEDULABLE_TAINT: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

const REJECT: Status = unresolvable(ErrReason);

export const create: PluginFactory = (): FilterPlugin => ({
  name: Name,
  events: ['NodeAdd', 'NodeUpdate'],
  filter(_state, pod, node) {
    if (!node.unschedulable) return undefined;
    return toleratedBy(pod.tolerations, UNSCHEDULABLE_TAINT) ? undefined : REJECT;
  },
});
