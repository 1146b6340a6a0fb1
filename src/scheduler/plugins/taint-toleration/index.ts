// TaintToleration: a node with a NoSchedule or NoExecute taint the pod does not tolerate is
// filtered out ("node(s) had untolerated taint {key: value}"); among the rest, nodes with fewer
// untolerated PreferNoSchedule taints score higher.
import type { Toleration } from '../../../api/core/v1/index.js';
import { firstUntolerated, HARD_EFFECTS, toleratedBy } from '../../framework/taints.js';
import { unresolvable } from '../../framework/status.js';
import { StateKey, immutableState, type CycleState, type StateData } from '../../framework/cycle-state.js';
import { normalizeToMax } from '../normalize.js';
import type { FilterPlugin, PluginFactory, PreScorePlugin, ScorePlugin } from '../../framework/types.js';

export const Name = 'TaintToleration';

interface PreScoreState extends StateData {
  /** The pod's tolerations that can tolerate PreferNoSchedule taints. */
  readonly soft: readonly Toleration[];
}
const KEY = new StateKey<PreScoreState>(`PreScore${Name}`);

function softTolerations(state: CycleState, tolerations: readonly Toleration[]): readonly Toleration[] {
  return state.read(KEY)?.soft ?? tolerations.filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
}

export const create: PluginFactory = (): FilterPlugin & PreScorePlugin & ScorePlugin => ({
  name: Name,
  events: ['NodeAdd', 'NodeUpdate'],
  filter(_state, pod, node) {
    if (node.taints.length === 0) return undefined;
    const t = firstUntolerated(node.taints, pod.tolerations, HARD_EFFECTS);
    return t ? unresolvable(`node(s) had untolerated taint {${t.key ?? ''}: ${t.value ?? ''}}`) : undefined;
  },
  preScore(state, pod) {
    state.write(KEY, immutableState({ soft: pod.tolerations.filter((t) => !t.effect || t.effect === 'PreferNoSchedule') }));
    return undefined;
  },
  score(state, pod, node) {
    if (node.taints.length === 0) return 0;
    const soft = softTolerations(state, pod.tolerations);
    let n = 0;
    for (const t of node.taints) if (t.effect === 'PreferNoSchedule' && !toleratedBy(soft, t)) n++;
    return n;
  },
  normalize(_state, _pod, scores) {
    // Fewer intolerable taints is better.
    normalizeToMax(scores, { reverse: true });
  },
});
