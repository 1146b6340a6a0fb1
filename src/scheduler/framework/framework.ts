// Runs a profile's plugins at each extension point, in the profile's order: PreFilter (stopping
// at the first rejection, remembering which Filters were skipped), Filter for one node (stopping
// at the first rejection, which is the reason counted in FailedScheduling), PreScore and Score
// (each plugin's scores normalised to 0..100, then weighted and summed), and PreBind.
import type { CycleState } from './cycle-state.js';
import type { NodeInfo } from './node-info.js';
import type { PodInfo } from './pod-info.js';
import type { PluginStatus, Status } from './status.js';
import {
  isFilter,
  isPreBind,
  isPreFilter,
  isPreScore,
  isScore,
  type ClusterEvent,
  type FilterPlugin,
  type Handle,
  type Plugin,
  type PluginFactory,
  type PreBindPlugin,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
  type WaitOptions,
} from './types.js';

export interface ProfileEntry {
  name: string;
  /** Score weight; plugins without Score ignore it. */
  weight?: number;
}

export interface PreFilterOutcome {
  /** Set when a plugin rejected the pod outright. */
  rejected?: PluginStatus;
  /** The Filters to run for this pod (those whose PreFilter did not Skip). */
  filters: readonly FilterPlugin[];
  /** When set, only these nodes can pass. */
  nodeNames?: ReadonlySet<string>;
}

export class Framework {
  readonly plugins: readonly Plugin[];
  private readonly preFilters: PreFilterPlugin[];
  private readonly filters: FilterPlugin[];
  private readonly preScores: PreScorePlugin[];
  private readonly scores: { plugin: ScorePlugin; weight: number }[];
  private readonly preBinds: PreBindPlugin[];

  constructor(registry: Readonly<Record<string, PluginFactory>>, profile: readonly ProfileEntry[], handle: Handle) {
    this.plugins = profile.map((e) => {
      const factory = registry[e.name];
      if (!factory) throw new Error(`scheduler plugin ${e.name} is not registered`);
      return factory(handle);
    });
    const weight = new Map(profile.map((e) => [e.name, e.weight ?? 1]));
    this.preFilters = this.plugins.filter(isPreFilter);
    this.filters = this.plugins.filter(isFilter);
    this.preScores = this.plugins.filter(isPreScore);
    this.scores = this.plugins.filter(isScore).map((plugin) => ({ plugin, weight: weight.get(plugin.name) ?? 1 }));
    this.preBinds = this.plugins.filter(isPreBind);
  }

  runPreFilter(state: CycleState, pod: PodInfo): PreFilterOutcome {
    const skipped = new Set<string>();
    let nodeNames: Set<string> | undefined;
    for (const p of this.preFilters) {
      const s = p.preFilter(state, pod);
      if (s?.code === 'Skip') skipped.add(p.name);
      else if (s) return { rejected: { status: s, plugin: p.name }, filters: [] };
      const names = p.preFilterNodeNames?.(pod);
      if (names) nodeNames = nodeNames ? new Set([...nodeNames].filter((n) => names.has(n))) : new Set(names);
    }
    const filters = skipped.size === 0 ? this.filters : this.filters.filter((f) => !skipped.has(f.name));
    return nodeNames ? { filters, nodeNames } : { filters };
  }

  /** The first rejection of `node`, or undefined when every filter passes. */
  runFilters(state: CycleState, pod: PodInfo, node: NodeInfo, filters: readonly FilterPlugin[]): PluginStatus | undefined {
    for (let i = 0; i < filters.length; i++) {
      const f = filters[i] as FilterPlugin;
      const s: Status | undefined = f.filter(state, pod, node);
      if (s) return { status: s, plugin: f.name };
    }
    return undefined;
  }

  addPod(state: CycleState, pod: PodInfo, other: PodInfo, node: NodeInfo): void {
    for (const p of this.preFilters) p.addPod?.(state, pod, other, node);
  }

  removePod(state: CycleState, pod: PodInfo, other: PodInfo, node: NodeInfo): void {
    for (const p of this.preFilters) p.removePod?.(state, pod, other, node);
  }

  /** Total weighted score per node, in the order of `nodes`. */
  runScore(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): number[] {
    const skipped = new Set<string>();
    for (const p of this.preScores) if (p.preScore(state, pod, nodes)?.code === 'Skip') skipped.add(p.name);
    const totals = new Array<number>(nodes.length).fill(0);
    const scores = new Array<number>(nodes.length);
    for (const { plugin, weight } of this.scores) {
      if (skipped.has(plugin.name)) continue;
      for (let i = 0; i < nodes.length; i++) scores[i] = plugin.score(state, pod, nodes[i] as NodeInfo);
      plugin.normalize?.(state, pod, scores);
      for (let i = 0; i < nodes.length; i++) totals[i] = (totals[i] as number) + (scores[i] as number) * weight;
    }
    return totals;
  }

  async runPreBind(state: CycleState, pod: PodInfo, o: WaitOptions & { nodeName: string }): Promise<void> {
    for (const p of this.preBinds) await p.preBind(state, pod, o);
  }

  /** Names of the plugins whose rejections `event` may undo. */
  pluginsInterestedIn(event: ClusterEvent): Set<string> {
    return new Set(this.plugins.filter((p) => p.events?.includes(event)).map((p) => p.name));
  }
}
