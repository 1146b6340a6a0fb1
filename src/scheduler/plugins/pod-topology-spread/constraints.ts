// A pod's topology spread constraints in the form the plugin evaluates: selector parsed (with
// matchLabelKeys folded in), minDomains and the node inclusion policies defaulted. Also which
// nodes a constraint counts (node affinity honoured, taints ignored, by default) and how many
// pods on a node it counts (same namespace, matching labels, not terminating).
import type { Labels, Selector } from '../../../lib/selectors/index.js';
import { labelSelectorAsSelector, nothing, requirement, selectorFromRequirements } from '../../../lib/selectors/index.js';
import { memoKey, type MemoKey, type NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { firstUntolerated, HARD_EFFECTS } from '../../framework/taints.js';

export interface Constraint {
  /** The namespace whose pods count: the incoming pod's. */
  readonly namespace: string;
  /** Names this constraint's per-node pod counts in NodeInfo memos. */
  readonly countKey: MemoKey;
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly selector: Selector;
  readonly minDomains: number;
  readonly honorNodeAffinity: boolean;
  readonly honorTaints: boolean;
}

type Action = 'DoNotSchedule' | 'ScheduleAnyway';

function selectorOf(sel: Parameters<typeof labelSelectorAsSelector>[0], matchLabelKeys: readonly string[], labels: Labels): Selector {
  try {
    const base = labelSelectorAsSelector(sel);
    const extra = matchLabelKeys.filter((k) => labels[k] !== undefined).map((k) => requirement(k, 'in', [labels[k] as string]));
    return extra.length > 0 && sel ? selectorFromRequirements([...base.requirements, ...extra]) : base;
  } catch {
    return nothing();
  }
}

export function constraintsOf(pod: PodInfo, action: Action): Constraint[] {
  return (pod.pod.spec?.topologySpreadConstraints ?? [])
    .filter((c) => c.whenUnsatisfiable === action)
    .map((c) => {
      const selector = selectorOf(c.labelSelector, c.matchLabelKeys ?? [], pod.labels);
      return {
        namespace: pod.namespace,
        countKey: memoKey(`spread|${pod.namespace}|${selector === nothing() ? '<nothing>' : selector.toString()}`),
        maxSkew: c.maxSkew,
        topologyKey: c.topologyKey,
        selector,
        minDomains: c.minDomains ?? 1,
        honorNodeAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
        honorTaints: (c.nodeTaintsPolicy ?? 'Ignore') === 'Honor',
      };
    });
}

/** The node has every topology key the constraints name (otherwise it belongs to no domain). */
export const hasAllKeys = (node: NodeInfo, cs: readonly Constraint[]): boolean => cs.every((c) => node.labels[c.topologyKey] !== undefined);

/** Whether the constraint counts this node's domain, per its node inclusion policies. */
export function includes(c: Constraint, pod: PodInfo, node: NodeInfo): boolean {
  if (c.honorNodeAffinity && pod.nodeMatcher && !pod.nodeMatcher(node)) return false;
  if (c.honorTaints && firstUntolerated(node.taints, pod.tolerations, HARD_EFFECTS)) return false;
  return true;
}

/** Pods on the node the constraint counts (those of the pod's namespace its selector matches). */
export function countMatching(c: Constraint, node: NodeInfo): number {
  return node.memo(c.countKey, () => {
    let n = 0;
    for (const p of node.pods) if (!p.terminating && p.namespace === c.namespace && c.selector.matches(p.labels)) n++;
    return n;
  });
}

export const counts = (c: Constraint, pod: PodInfo, other: PodInfo): boolean =>
  !other.terminating && other.namespace === pod.namespace && c.selector.matches(other.labels);
