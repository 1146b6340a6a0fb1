// NodeName: a pod that names its node in spec.nodeName fits only there. The scheduler never
// picks up pods that already have a node, so this matters for preemption dry runs and for
// completeness with Kubernetes' default profile.
import { unresolvable, type Status } from '../../framework/status.js';
import type { FilterPlugin, PluginFactory } from '../../framework/types.js';

export const Name = 'NodeName';
export const ErrReason = "node(s) didn't match the requested node name";

const REJECT: Status = unresolvable(ErrReason);

export const create: PluginFactory = (): FilterPlugin => ({
  name: Name,
  events: ['NodeAdd'],
  filter(_state, pod, node) {
    const want = pod.pod.spec?.nodeName;
    return want && want !== node.name ? REJECT : undefined;
  },
});
