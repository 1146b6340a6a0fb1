// The ScheduleAnyway half of PodTopologySpread: nodes whose domains hold fewer matching pods
// score higher. Each constraint adds (matching pods in the node's domain) * log(domains + 2) +
// (maxSkew - 1); nodes lacking a topology key are ignored (score 0); the rest are scaled so the
// emptiest gets 100. Counting per hostname is done per node, the other keys once per domain.
import type { StateData } from '../../framework/cycle-state.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { MAX_NODE_SCORE, type Snapshot } from '../../framework/types.js';
import { pairKey } from '../topology.js';
import { countMatching, hasAllKeys, includes, type Constraint } from './constraints.js';

const HOSTNAME = 'kubernetes.io/hostname';
/** Marks ignored nodes between Score and NormalizeScore (real scores are never negative). */
const IGNORED = -1;

export class SpreadScoreState implements StateData {
  constructor(
    readonly constraints: readonly Constraint[],
    readonly ignored: ReadonlySet<string>,
    /** Matching pods per topology pair, for the keys other than hostname. */
    readonly pairCounts: ReadonlyMap<string, number>,
    /** log(number of domains among the candidate nodes + 2), per constraint. */
    readonly weights: readonly number[],
  ) {}

  clone(): SpreadScoreState {
    return this;
  }
}

export function buildScoreState(pod: PodInfo, constraints: readonly Constraint[], { candidates, snapshot }: { candidates: readonly NodeInfo[]; snapshot: Snapshot }): SpreadScoreState {
  const ignored = new Set<string>();
  const pairCounts = new Map<string, number>();
  const domains = constraints.map(() => new Set<string>());
  for (const node of candidates) {
    if (!hasAllKeys(node, constraints)) {
      ignored.add(node.name);
      continue;
    }
    constraints.forEach((c, i) => {
      const v = node.labels[c.topologyKey] as string;
      (domains[i] as Set<string>).add(v);
      if (c.topologyKey !== HOSTNAME) pairCounts.set(pairKey(c.topologyKey, v), 0);
    });
  }
  const needsDomainCounts = constraints.some((c) => c.topologyKey !== HOSTNAME);
  if (needsDomainCounts)
    for (const node of snapshot.nodes()) {
      if (!hasAllKeys(node, constraints)) continue;
      for (const c of constraints) {
        if (c.topologyKey === HOSTNAME || !includes(c, pod, node)) continue;
        const k = pairKey(c.topologyKey, node.labels[c.topologyKey] as string);
        const n = pairCounts.get(k);
        // Only domains some candidate node belongs to matter.
        if (n !== undefined) pairCounts.set(k, n + countMatching(c, node));
      }
    }
  const weights = constraints.map((c, i) => Math.log((c.topologyKey === HOSTNAME ? candidates.length - ignored.size : (domains[i] as Set<string>).size) + 2));
  return new SpreadScoreState(constraints, ignored, pairCounts, weights);
}

export function scoreNode(s: SpreadScoreState, pod: PodInfo, node: NodeInfo): number {
  if (s.ignored.has(node.name)) return IGNORED;
  let score = 0;
  s.constraints.forEach((c, i) => {
    const v = node.labels[c.topologyKey];
    if (v === undefined) return;
    const n = c.topologyKey === HOSTNAME ? countMatching(c, node) : (s.pairCounts.get(pairKey(c.topologyKey, v)) ?? 0);
    score += n * (s.weights[i] as number) + (c.maxSkew - 1);
  });
  return Math.round(score);
}

export function normalize(scores: number[]): void {
  let min = Infinity;
  let max = 0;
  for (const x of scores) {
    if (x === IGNORED) continue;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  for (let i = 0; i < scores.length; i++) {
    const x = scores[i] as number;
    if (x === IGNORED) scores[i] = 0;
    else if (max === 0) scores[i] = MAX_NODE_SCORE;
    else scores[i] = Math.trunc((MAX_NODE_SCORE * (max + min - x)) / max);
  }
}
