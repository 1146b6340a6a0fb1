// InterPodAffinity: pods that must (or prefer to) run in the same topology domain as certain
// pods, or away from them — and existing pods' anti-affinity against the incoming pod. The
// required rules filter (filtering.ts), the preferred ones score (scoring.ts).
import type { Labels } from '../../../lib/selectors/index.js';
import { StateKey } from '../../framework/cycle-state.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { SKIP } from '../../framework/status.js';
import type { FilterPlugin, Handle, PluginFactory, PreFilterPlugin, PreScorePlugin, ScorePlugin } from '../../framework/types.js';
import { countExistingAnti, countForIncoming, filterNode, RequiredState } from './filtering.js';
import { buildScoreState, normalizeMinMax, scoreNode, ScoreState } from './scoring.js';

export const Name = 'InterPodAffinity';
export { ErrReasonAffinity, ErrReasonAntiAffinity, ErrReasonExistingAntiAffinity } from './filtering.js';

const REQUIRED = new StateKey<RequiredState>(`PreFilter${Name}`);
const SCORE = new StateKey<ScoreState>(`PreScore${Name}`);

export const create: PluginFactory = (h: Handle): PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin => {
  const ns = (namespace: string): Labels | undefined => h.namespaceLabels(namespace);
  const hasRequired = (pod: PodInfo): boolean => pod.requiredAffinity.length + pod.requiredAntiAffinity.length > 0;
  return {
    name: Name,
    events: ['AssignedPodAdd', 'AssignedPodUpdate', 'AssignedPodDelete', 'NodeAdd', 'NodeUpdate'],
    preFilter(state, pod) {
      const withAnti = h.snapshot.nodesWithRequiredAntiAffinityPods();
      if (!hasRequired(pod) && withAnti.length === 0) return SKIP;
      const s = new RequiredState();
      for (const node of withAnti) for (const existing of node.pods) countExistingAnti(s, pod, existing, node, ns, 1);
      if (hasRequired(pod)) for (const node of h.snapshot.nodes()) for (const existing of node.pods) countForIncoming(s, pod, existing, node, ns, 1);
      state.write(REQUIRED, s);
      return undefined;
    },
    addPod(state, pod, other, node) {
      const s = state.read(REQUIRED);
      if (!s) return;
      countExistingAnti(s, pod, other, node, ns, 1);
      countForIncoming(s, pod, other, node, ns, 1);
    },
    removePod(state, pod, other, node) {
      const s = state.read(REQUIRED);
      if (!s) return;
      countExistingAnti(s, pod, other, node, ns, -1);
      countForIncoming(s, pod, other, node, ns, -1);
    },
    filter(state, pod, node) {
      const s = state.read(REQUIRED);
      return s ? filterNode(s, pod, node, ns) : undefined;
    },
    preScore(state, pod) {
      const s = buildScoreState(pod, h.snapshot, ns);
      if (!s) return SKIP;
      state.write(SCORE, s);
      return undefined;
    },
    score(state, _pod, node) {
      const s = state.read(SCORE);
      return s ? scoreNode(s, node) : 0;
    },
    normalize(state, _pod, scores) {
      if ((state.read(SCORE)?.scores.size ?? 0) === 0) scores.fill(0);
      else normalizeMinMax(scores);
    },
  };
};
