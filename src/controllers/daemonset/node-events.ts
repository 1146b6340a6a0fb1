// Which DaemonSets a node update concerns. Nodes change every few seconds (heartbeats, condition
// timestamps); only a change to labels, taints, cordoning or a condition's status can change
// where daemon pods belong, and then only DaemonSets whose verdict for that node changed.
import type { DaemonSet } from '../../api/apps/v1/index.js';
import type { Node } from '../../api/core/v1/index.js';
import { sameJson } from '../../lib/json.js';
import { nodeEligibility } from './placement.js';

function relevant(node: Node): unknown {
  return {
    labels: node.metadata?.labels ?? {},
    taints: node.spec?.taints ?? [],
    unschedulable: node.spec?.unschedulable ?? false,
    conditions: (node.status?.conditions ?? []).map((c) => [c.type, c.status]),
  };
}

export function onNodeChange(o: { old: Node; node: Node; daemonSets: readonly DaemonSet[]; enqueue(ds: DaemonSet): void }): void {
  if (sameJson(relevant(o.old), relevant(o.node))) return;
  for (const ds of o.daemonSets) {
    const before = nodeEligibility(ds, o.old);
    const after = nodeEligibility(ds, o.node);
    if (before.shouldRun !== after.shouldRun || before.shouldContinueRunning !== after.shouldContinueRunning) o.enqueue(ds);
  }
}
