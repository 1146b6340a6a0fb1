// The preferred half of InterPodAffinity. For every existing pod, its node's topology domain
// gains the weight of each of the incoming pod's preferred affinity terms it matches and loses
// that of each preferred anti-affinity term; symmetrically, existing pods whose own affinity
// (required terms count with weight 1) or anti-affinity matches the incoming pod add or subtract
// their weights. A node scores the sum over its domains; scores are then scaled min..max to 0..100.
import type { StateData } from '../../framework/cycle-state.js';
import { memoKey, type NodeInfo } from '../../framework/node-info.js';
import { hasAffinity, termMatches, type AffinityTerm, type NamespaceLabels, type PodInfo } from '../../framework/pod-info.js';
import { MAX_NODE_SCORE, type Snapshot } from '../../framework/types.js';

/** The weight Kubernetes gives existing pods' required affinity terms when scoring. */
const HARD_AFFINITY_WEIGHT = 1;

export class ScoreState implements StateData {
  /** topology key → value → score */
  constructor(readonly scores = new Map<string, Map<string, number>>()) {}

  add(key: string, value: string, delta: number): void {
    let byValue = this.scores.get(key);
    if (!byValue) this.scores.set(key, (byValue = new Map()));
    byValue.set(value, (byValue.get(value) ?? 0) + delta);
  }

  clone(): ScoreState {
    return this;
  }
}

/** Adds each term's weight (or `weight`, for required terms) when `target` matches it. */
function addTerms(s: ScoreState, terms: readonly (AffinityTerm & { weight?: number })[], o: { target: PodInfo; node: NodeInfo; ns: NamespaceLabels; sign: 1 | -1; weight?: number }): void {
  for (const t of terms) {
    const v = o.node.labels[t.topologyKey];
    if (v === undefined || !termMatches(t, o.target, o.ns)) continue;
    s.add(t.topologyKey, v, o.sign * (o.weight ?? t.weight ?? 0));
  }
}

/** What one node's pods contribute, as (topology key, value, score) triples. */
function nodeContributions(pod: PodInfo, node: NodeInfo, o: { ns: NamespaceLabels; ownPreferences: boolean }): [string, string, number][] {
  const s = new ScoreState();
  const { ns } = o;
  for (const existing of node.pods) {
    if (o.ownPreferences) {
      addTerms(s, pod.preferredAffinity, { target: existing, node, ns, sign: 1 });
      addTerms(s, pod.preferredAntiAffinity, { target: existing, node, ns, sign: -1 });
    }
    if (!hasAffinity(existing)) continue;
    addTerms(s, existing.requiredAffinity, { target: pod, node, ns, sign: 1, weight: HARD_AFFINITY_WEIGHT });
    addTerms(s, existing.preferredAffinity, { target: pod, node, ns, sign: 1 });
    addTerms(s, existing.preferredAntiAffinity, { target: pod, node, ns, sign: -1 });
  }
  const out: [string, string, number][] = [];
  for (const [key, byValue] of s.scores) for (const [value, score] of byValue) if (score !== 0) out.push([key, value, score]);
  return out;
}

/**
 * The state for scoring `pod`, or undefined when nothing in the cluster can affect its score.
 * Per-node contributions are memoised under `key`, which must identify the pod's namespace,
 * labels and terms.
 */
export function buildScoreState(pod: PodInfo, snapshot: Snapshot, o: { ns: NamespaceLabels; key: string }): ScoreState | undefined {
  const ownPreferences = pod.preferredAffinity.length + pod.preferredAntiAffinity.length > 0;
  const nodes = ownPreferences ? snapshot.nodes() : snapshot.nodesWithAffinityPods();
  if (nodes.length === 0) return undefined;
  const s = new ScoreState();
  const key = memoKey(`${o.key}|${ownPreferences ? 1 : 0}`);
  for (const node of nodes) {
    if (node.pods.length === 0) continue;
    for (const [k, v, score] of node.memo(key, () => nodeContributions(pod, node, { ns: o.ns, ownPreferences }))) s.add(k, v, score);
  }
  return s;
}

export function scoreNode(s: ScoreState, node: NodeInfo): number {
  let sum = 0;
  for (const [key, byValue] of s.scores) {
    const v = node.labels[key];
    if (v !== undefined) sum += byValue.get(v) ?? 0;
  }
  return sum;
}

export function normalizeMinMax(scores: number[]): void {
  let min = Infinity;
  let max = -Infinity;
  for (const x of scores) {
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const span = max - min;
  for (let i = 0; i < scores.length; i++) scores[i] = span > 0 ? Math.trunc((MAX_NODE_SCORE * ((scores[i] as number) - min)) / span) : 0;
}
