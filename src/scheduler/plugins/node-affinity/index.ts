// NodeAffinity: the pod's nodeSelector and required node affinity terms must match the node's
// labels (and, for matchFields, its name); among the nodes that match, each preferred term that
// matches adds its weight. Pods that pin node names (DaemonSet pods use `metadata.name In`) let
// the scheduler look at those nodes only.
import { compileTerm, pinnedNodeNames, type NodeMatcher } from '../../framework/node-selector.js';
import { SKIP, unresolvable, type Status } from '../../framework/status.js';
import { StateKey, immutableState, type StateData } from '../../framework/cycle-state.js';
import type { FilterPlugin, PluginFactory, PreFilterPlugin, PreScorePlugin, ScorePlugin } from '../../framework/types.js';
import { normalizeToMax } from '../normalize.js';

export const Name = 'NodeAffinity';
export const ErrReason = "node(s) didn't match Pod's node affinity/selector";

const REJECT: Status = unresolvable(ErrReason);

interface Preferred extends StateData {
  readonly terms: readonly { match: NodeMatcher; weight: number }[];
}
const PREFERRED = new StateKey<Preferred>(`PreScore${Name}`);

export const create: PluginFactory = (): PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin => ({
  name: Name,
  events: ['NodeAdd', 'NodeUpdate'],
  preFilter(_state, pod) {
    return pod.nodeMatcher ? undefined : SKIP;
  },
  preFilterNodeNames(pod) {
    const terms = pod.pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
    return terms ? pinnedNodeNames(terms) : undefined;
  },
  filter(_state, pod, node) {
    return !pod.nodeMatcher || pod.nodeMatcher(node) ? undefined : REJECT;
  },
  preScore(state, pod) {
    const prefs = pod.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
    if (prefs.length === 0) return SKIP;
    state.write(PREFERRED, immutableState({ terms: prefs.map((p) => ({ match: compileTerm(p.preference), weight: p.weight })) }));
    return undefined;
  },
  score(state, _pod, node) {
    let sum = 0;
    for (const t of state.read(PREFERRED)?.terms ?? []) if (t.match(node)) sum += t.weight;
    return sum;
  },
  normalize(_state, _pod, scores) {
    normalizeToMax(scores, { reverse: false });
  },
});
