// One scheduling attempt for one pod, synchronous from start to finish (so the cache cannot
// change under it): PreFilter, then Filter over the nodes — starting where the previous attempt
// stopped and stopping once enough feasible nodes are found, as kube-scheduler's
// percentageOfNodesToScore does (all nodes below 100, then 50% shrinking to 5%, never fewer than
// 100) — then Score, and the highest total wins, ties broken at random. A pod that preempted
// before tries its nominated node first. Pods nominated to a node, at least as important as this
// one, are counted on that node so this pod does not take their place.
import type { Nominator } from './cache/nominator.js';
import type { CycleState } from './framework/cycle-state.js';
import { newDiagnosis, type Diagnosis } from './framework/fit-error.js';
import type { Framework } from './framework/framework.js';
import type { NodeInfo } from './framework/node-info.js';
import type { PodInfo } from './framework/pod-info.js';
import { unresolvable, type PluginStatus } from './framework/status.js';
import type { FilterPlugin, Snapshot } from './framework/types.js';

export const NO_NODES_MESSAGE = 'no nodes available to schedule pods';

export interface AlgorithmContext {
  readonly framework: Framework;
  readonly snapshot: Snapshot;
  readonly nominator: Nominator;
  random(): number;
}

export type Attempt =
  | { kind: 'scheduled'; node: string }
  | { kind: 'unschedulable'; diagnosis: Diagnosis; numAllNodes: number; filters: readonly FilterPlugin[] }
  /** The cluster has no nodes at all. */
  | { kind: 'noNodes' };

/** How many feasible nodes are enough to stop looking, for a cluster of `n` nodes. */
export function feasibleNodesToFind(n: number): number {
  if (n < 100) return n;
  const percentage = Math.max(5, 50 - Math.trunc(n / 125));
  return Math.max(100, Math.trunc((n * percentage) / 100));
}

/** Filters `node`, counting the pods nominated to it that `pod` must leave room for. */
export function filterWithNominated(
  ctx: AlgorithmContext,
  { state, pod, node, filters }: { state: CycleState; pod: PodInfo; node: NodeInfo; filters: readonly FilterPlugin[] },
): PluginStatus | undefined {
  const blocking = ctx.nominator.size === 0 ? [] : ctx.nominator.blocking(node.name, pod);
  if (blocking.length === 0) return ctx.framework.runFilters(state, pod, node, filters);
  const s = state.clone();
  const n = node.clone();
  for (const p of blocking) {
    n.addPod(p);
    ctx.framework.addPod(s, pod, p, n);
  }
  return ctx.framework.runFilters(s, pod, n, filters);
}

export class Algorithm {
  /** Where the next attempt starts looking, so consecutive pods see different nodes first. */
  private nextStart = 0;

  constructor(private readonly ctx: AlgorithmContext) {}

  schedule(state: CycleState, pod: PodInfo): Attempt {
    const { framework, snapshot } = this.ctx;
    const all = snapshot.nodes();
    if (all.length === 0) return { kind: 'noNodes' };
    const diagnosis = newDiagnosis();
    const pre = framework.runPreFilter(state, pod);
    if (pre.rejected) {
      diagnosis.preFilterMsg = pre.rejected.status.reasons.join(', ');
      diagnosis.unschedulablePlugins.add(pre.rejected.plugin);
      for (const n of all) diagnosis.nodeStatuses.set(n.name, pre.rejected);
      return { kind: 'unschedulable', diagnosis, numAllNodes: all.length, filters: [] };
    }
    const nominated = pod.pod.status?.nominatedNodeName;
    const nominatedNode = nominated ? snapshot.get(nominated) : undefined;
    if (nominatedNode && (!pre.nodeNames || pre.nodeNames.has(nominatedNode.name)) && !filterWithNominated(this.ctx, { state, pod, node: nominatedNode, filters: pre.filters }))
      return { kind: 'scheduled', node: nominatedNode.name };

    const candidates = pre.nodeNames ? [...pre.nodeNames].map((n) => snapshot.get(n)).filter((n): n is NodeInfo => n !== undefined) : all;
    const feasible = this.findFeasible(state, pod, { candidates, filters: pre.filters, diagnosis });
    if (feasible.length === 0) {
      if (pre.nodeNames) {
        const why = { status: unresolvable(`node(s) didn't satisfy plugin(s) [NodeAffinity]`), plugin: 'NodeAffinity' };
        for (const n of all) if (!pre.nodeNames.has(n.name)) diagnosis.nodeStatuses.set(n.name, why);
        diagnosis.unschedulablePlugins.add('NodeAffinity');
      }
      return { kind: 'unschedulable', diagnosis, numAllNodes: all.length, filters: pre.filters };
    }
    if (feasible.length === 1) return { kind: 'scheduled', node: (feasible[0] as NodeInfo).name };
    const scores = framework.runScore(state, pod, feasible);
    return { kind: 'scheduled', node: this.pick(feasible, scores) };
  }

  private findFeasible(state: CycleState, pod: PodInfo, o: { candidates: readonly NodeInfo[]; filters: readonly FilterPlugin[]; diagnosis: Diagnosis }): NodeInfo[] {
    const { candidates, filters, diagnosis } = o;
    const n = candidates.length;
    const want = candidates === this.ctx.snapshot.nodes() ? feasibleNodesToFind(n) : n;
    const start = n === 0 ? 0 : this.nextStart % n;
    const feasible: NodeInfo[] = [];
    let processed = 0;
    for (; processed < n && feasible.length < want; processed++) {
      const node = candidates[(start + processed) % n] as NodeInfo;
      const rejected = filterWithNominated(this.ctx, { state, pod, node, filters });
      if (!rejected) feasible.push(node);
      else {
        diagnosis.nodeStatuses.set(node.name, rejected);
        diagnosis.unschedulablePlugins.add(rejected.plugin);
      }
    }
    if (candidates === this.ctx.snapshot.nodes()) this.nextStart = n === 0 ? 0 : (start + processed) % n;
    return feasible;
  }

  /** The highest score; among equal ones, each equally likely (reservoir sampling). */
  private pick(nodes: readonly NodeInfo[], scores: readonly number[]): string {
    let best = -Infinity;
    let chosen = 0;
    let ties = 0;
    for (let i = 0; i < scores.length; i++) {
      const s = scores[i] as number;
      if (s > best) {
        best = s;
        chosen = i;
        ties = 1;
      } else if (s === best) {
        ties++;
        if (this.ctx.random() * ties < 1) chosen = i;
      }
    }
    return (nodes[chosen] as NodeInfo).name;
  }
}
