// InterPodAffinity: pods that must (or prefer to) run in the same topology domain as certain
// pods, or away from them — and existing pods' anti-affinity against the incoming pod. The
// required rules filter (filtering.ts), the preferred ones score (scoring.ts).
import type { Labels } from '../../../lib/selectors/index.js';
import { StateKey } from '../../framework/cycle-state.js';
import { memoKey } from '../../framework/node-info.js';
import { affinitySignature, type PodInfo } from '../../framework/pod-info.js';
import { SKIP } from '../../framework/status.js';
import type { FilterPlugin, Handle, PluginFactory, PreFilterPlugin, PreScorePlugin, ScorePlugin } from '../../framework/types.js';
import { countExistingAnti, countForIncoming, filterNode, RequiredState } from './filtering.js';
import { buildScoreState, normalizeMinMax, scoreNode, ScoreState } from './scoring.js';

export const Name = 'InterPodAffinity';
export { ErrReasonAffinity, ErrReasonAntiAffinity, ErrReasonExistingAntiAffinity } from './filtering.js';

const REQUIRED = new StateKey<RequiredState>(`PreFilter${Name}`);
const SCORE = new StateKey<ScoreState>(`PreScore${Name}`);

function addAll(into: Map<string, number>, counts: readonly (readonly [string, number])[]): void {
  for (const [k, n] of counts) into.set(k, (into.get(k) ?? 0) + n);
}

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
      const gen = h.namespaceGeneration();
      // Results per node depend only on the node's pods and the incoming pod's namespace, labels
      // and terms, so consecutive pods of a workload reuse them for every node they did not change.
      const labelsKey = memoKey(`ipa-existing|${gen}|${pod.namespace}|${JSON.stringify(pod.labels)}`);
      for (const node of withAnti)
        addAll(
          s.existingAnti,
          node.memo(labelsKey, () => {
            const one = new RequiredState();
            for (const existing of node.pods) countExistingAnti(one, { incoming: pod, existing, node, ns }, 1);
            return [...one.existingAnti];
          }),
        );
      if (hasRequired(pod)) {
        const key = memoKey(`ipa-incoming|${gen}|${affinitySignature(pod)}`);
        for (const node of h.snapshot.nodes()) {
          if (node.pods.length === 0) continue;
          const counted = node.memo(key, () => {
            const one = new RequiredState();
            for (const existing of node.pods) countForIncoming(one, { incoming: pod, existing, node, ns }, 1);
            return { affinity: [...one.affinity], anti: [...one.anti] };
          });
          addAll(s.affinity, counted.affinity);
          addAll(s.anti, counted.anti);
        }
      }
      state.write(REQUIRED, s);
      return undefined;
    },
    addPod(state, pod, other, node) {
      const s = state.read(REQUIRED);
      if (!s) return;
      const pair = { incoming: pod, existing: other, node, ns };
      countExistingAnti(s, pair, 1);
      countForIncoming(s, pair, 1);
    },
    removePod(state, pod, other, node) {
      const s = state.read(REQUIRED);
      if (!s) return;
      const pair = { incoming: pod, existing: other, node, ns };
      countExistingAnti(s, pair, -1);
      countForIncoming(s, pair, -1);
    },
    filter(state, pod, node) {
      const s = state.read(REQUIRED);
      return s ? filterNode(s, pod, node, ns) : undefined;
    },
    preScore(state, pod) {
      const s = buildScoreState(pod, h.snapshot, { ns, key: `ipa-score|${h.namespaceGeneration()}|${affinitySignature(pod)}` });
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
