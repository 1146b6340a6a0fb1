// The Events a kubelet records about its own Node, so `kubectl describe node` and `kubectl get
// events` tell the node's story as on Kubernetes: `Starting` when the kubelet starts, and one
// event per condition whose status changed since the status last written (or read back from the
// API) — NodeHasSufficientMemory, NodeHasNoDiskPressure, NodeHasSufficientPID, NodeReady and
// their opposites. Kubernetes' kubelet names its Node by a reference whose uid is the node's
// name (kubectl describe node searches for both uids), so ours does too.
import type { ApiObject } from '../../api/kind.js';
import type { NodeCondition } from '../../api/core/v1/index.js';
import type { EventType } from '../../client/index.js';

export interface NodeEvent {
  type: EventType;
  reason: string;
  message: string;
}

/** The reason recorded for a condition type when its status becomes True / anything else. */
const REASONS: Record<string, { whenTrue: string; otherwise: string }> = {
  MemoryPressure: { whenTrue: 'NodeHasInsufficientMemory', otherwise: 'NodeHasSufficientMemory' },
  DiskPressure: { whenTrue: 'NodeHasDiskPressure', otherwise: 'NodeHasNoDiskPressure' },
  PIDPressure: { whenTrue: 'NodeHasInsufficientPID', otherwise: 'NodeHasSufficientPID' },
  Ready: { whenTrue: 'NodeReady', otherwise: 'NodeNotReady' },
};

/** The kubelet's reference to its Node in Events. */
export const nodeRef = (name: string): ApiObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, uid: name } });

export const STARTING: NodeEvent = { type: 'Normal', reason: 'Starting', message: 'Starting kubelet.' };

/** Events for the conditions of `next` whose status differs from `prev` (all of them when there is none). */
export function conditionEvents(name: string, prev: readonly NodeCondition[] | undefined, next: readonly NodeCondition[]): NodeEvent[] {
  const out: NodeEvent[] = [];
  for (const c of next) {
    const r = REASONS[c.type];
    if (!r) continue;
    const before = prev?.find((p) => p.type === c.type)?.status;
    if (before === c.status) continue;
    const reason = c.status === 'True' ? r.whenTrue : r.otherwise;
    // Kubernetes records all of these as Normal, NodeNotReady included.
    out.push({ type: 'Normal', reason, message: `Node ${name} status is now: ${reason}` });
  }
  return out;
}
