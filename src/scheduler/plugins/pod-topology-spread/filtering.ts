// The DoNotSchedule half of PodTopologySpread. PreFilter counts matching pods per domain (the
// values of each constraint's topology key) over the nodes the constraint includes; Filter
// rejects a node when placing the pod there would make its domain exceed the emptiest domain by
// more than maxSkew (the emptiest counts as 0 while there are fewer domains than minDomains).
import type { StateData } from '../../framework/cycle-state.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { unresolvable, unschedulable, type Status } from '../../framework/status.js';
import type { Snapshot } from '../../framework/types.js';
import { countMatching, counts, hasAllKeys, includes, type Constraint } from './constraints.js';

export const ErrReasonConstraintsNotMatch = "node(s) didn't match pod topology spread constraints";
export const ErrReasonNodeLabelNotMatch = `${ErrReasonConstraintsNotMatch} (missing required label)`;

const REJECT_SKEW: Status = unschedulable(ErrReasonConstraintsNotMatch);
const REJECT_LABEL: Status = unresolvable(ErrReasonNodeLabelNotMatch);

/** Matching pods per domain of one constraint, with the smallest count kept on demand. */
class DomainCounts {
  private min: number | undefined;

  constructor(readonly byValue = new Map<string, number>()) {}

  add(value: string, delta: number): void {
    this.byValue.set(value, (this.byValue.get(value) ?? 0) + delta);
    this.min = undefined;
  }

  minimum(minDomains: number): number {
    if (this.byValue.size < minDomains) return 0;
    if (this.min === undefined) {
      let m = Infinity;
      for (const n of this.byValue.values()) if (n < m) m = n;
      this.min = m === Infinity ? 0 : m;
    }
    return this.min;
  }

  clone(): DomainCounts {
    return new DomainCounts(new Map(this.byValue));
  }
}

export class SpreadState implements StateData {
  constructor(
    readonly constraints: readonly Constraint[],
    readonly domains: readonly DomainCounts[],
  ) {}

  clone(): SpreadState {
    return new SpreadState(this.constraints, this.domains.map((d) => d.clone()));
  }
}

export function buildSpreadState(pod: PodInfo, constraints: readonly Constraint[], snapshot: Snapshot): SpreadState {
  const domains = constraints.map(() => new DomainCounts());
  for (const node of snapshot.nodes()) {
    if (!hasAllKeys(node, constraints)) continue;
    constraints.forEach((c, i) => {
      if (!includes(c, pod, node)) return;
      (domains[i] as DomainCounts).add(node.labels[c.topologyKey] as string, countMatching(c, node));
    });
  }
  return new SpreadState(constraints, domains);
}

/** Counts (sign 1) or uncounts (sign -1) one pod on `node`, for preemption dry runs. */
export function updateSpreadState(s: SpreadState, { pod, other, node }: { pod: PodInfo; other: PodInfo; node: NodeInfo }, sign: 1 | -1): void {
  if (!hasAllKeys(node, s.constraints)) return;
  s.constraints.forEach((c, i) => {
    if (includes(c, pod, node) && counts(c, pod, other)) (s.domains[i] as DomainCounts).add(node.labels[c.topologyKey] as string, sign);
  });
}

export function filterNode(s: SpreadState, pod: PodInfo, node: NodeInfo): Status | undefined {
  if (!hasAllKeys(node, s.constraints)) return REJECT_LABEL;
  for (let i = 0; i < s.constraints.length; i++) {
    const c = s.constraints[i] as Constraint;
    const d = s.domains[i] as DomainCounts;
    const self = c.selector.matches(pod.labels) ? 1 : 0;
    const here = d.byValue.get(node.labels[c.topologyKey] as string) ?? 0;
    if (here + self - d.minimum(c.minDomains) > c.maxSkew) return REJECT_SKEW;
  }
  return undefined;
}
