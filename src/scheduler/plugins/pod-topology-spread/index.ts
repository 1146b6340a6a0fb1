// PodTopologySpread: spreads matching pods evenly across topology domains (zones, nodes, any
// node label). DoNotSchedule constraints filter (filtering.ts); ScheduleAnyway constraints score
// (scoring.ts). Kubernetes' cluster-level default constraints are not applied.
import { StateKey } from '../../framework/cycle-state.js';
import { SKIP } from '../../framework/status.js';
import type { FilterPlugin, Handle, PluginFactory, PreFilterPlugin, PreScorePlugin, ScorePlugin } from '../../framework/types.js';
import { constraintsOf } from './constraints.js';
import { buildSpreadState, filterNode, updateSpreadState, type SpreadState } from './filtering.js';
import { buildScoreState, normalize, scoreNode, type SpreadScoreState } from './scoring.js';

export const Name = 'PodTopologySpread';
export { ErrReasonConstraintsNotMatch, ErrReasonNodeLabelNotMatch } from './filtering.js';

const FILTER = new StateKey<SpreadState>(`PreFilter${Name}`);
const SCORE = new StateKey<SpreadScoreState>(`PreScore${Name}`);

export const create: PluginFactory = (h: Handle): PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin => ({
  name: Name,
  events: ['AssignedPodAdd', 'AssignedPodUpdate', 'AssignedPodDelete', 'NodeAdd', 'NodeUpdate'],
  preFilter(state, pod) {
    const constraints = constraintsOf(pod, 'DoNotSchedule');
    if (constraints.length === 0) return SKIP;
    state.write(FILTER, buildSpreadState(pod, constraints, h.snapshot));
    return undefined;
  },
  addPod(state, pod, other, node) {
    const s = state.read(FILTER);
    if (s) updateSpreadState(s, { pod, other, node }, 1);
  },
  removePod(state, pod, other, node) {
    const s = state.read(FILTER);
    if (s) updateSpreadState(s, { pod, other, node }, -1);
  },
  filter(state, pod, node) {
    const s = state.read(FILTER);
    return s ? filterNode(s, pod, node) : undefined;
  },
  preScore(state, pod, nodes) {
    const constraints = constraintsOf(pod, 'ScheduleAnyway');
    if (constraints.length === 0) return SKIP;
    state.write(SCORE, buildScoreState(pod, constraints, { candidates: nodes, snapshot: h.snapshot }));
    return undefined;
  },
  score(state, pod, node) {
    const s = state.read(SCORE);
    return s ? scoreNode(s, pod, node) : 0;
  },
  normalize(_state, _pod, scores) {
    normalize(scores);
  },
});
