// Why a pod fits nowhere, and the sentence Kubernetes users know from FailedScheduling events:
// "0/3 nodes are available: 1 node(s) had untolerated taint {k: v}, 2 Insufficient cpu." — each
// node counts once per reason its first failing filter gave, the "<count> <reason>" entries are
// sorted as strings, and preemption's own verdict follows after "preemption: ". A PreFilter
// rejection replaces the per-node counts with its own reasons.
import type { PluginStatus } from './status.js';

export interface Diagnosis {
  /** The rejection of each node that was evaluated. */
  readonly nodeStatuses: Map<string, PluginStatus>;
  /** Plugins that rejected the pod somewhere, for deciding which events may help it. */
  readonly unschedulablePlugins: Set<string>;
  /** Set when a PreFilter rejected the pod for every node. */
  preFilterMsg?: string;
  /** Preemption's explanation when it could not help. */
  postFilterMsg?: string;
}

export const newDiagnosis = (): Diagnosis => ({ nodeStatuses: new Map(), unschedulablePlugins: new Set() });

/** "<count> <reason>" entries, sorted, joined with ", ". */
export function reasonHistogram(statuses: Iterable<PluginStatus>): string {
  const counts = new Map<string, number>();
  for (const { status } of statuses) for (const r of status.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([r, n]) => `${n} ${r}`).sort().join(', ');
}

export function fitErrorMessage(numAllNodes: number, d: Diagnosis): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (d.preFilterMsg) msg += ` ${d.preFilterMsg}.`;
  else {
    const hist = reasonHistogram(d.nodeStatuses.values());
    if (hist) msg += ` ${hist}.`;
  }
  if (d.postFilterMsg) msg += ` ${d.postFilterMsg}`;
  return msg;
}
