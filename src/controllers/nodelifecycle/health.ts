// What the node lifecycle controller remembers about each node's signs of life, and the status
// it writes when they stop. A sign of life is a Lease renewTime later than the last one seen or
// a new heartbeat on the Ready condition; the moment of seeing it is taken from the controller's
// own clock (not the timestamps the node wrote), so a node with a skewed clock is judged fairly
// and the judgement can be tested with an injected clock.
import type { Lease } from '../../api/coordination/v1/index.js';
import type { Node, NodeCondition } from '../../api/core/v1/index.js';
import { readyCondition } from './taints.js';

export interface NodeHealth {
  /** Controller-clock ms of the last sign of life. */
  probeTimestamp: number;
  readyHeartbeat: string | undefined;
  leaseRenewMs: number | undefined;
  /** The Ready status as last acted on, to notice transitions away from True. */
  lastReady: string | undefined;
  /** The node as last seen, for the event when it goes away. */
  node: Node;
}

const renewMs = (lease: Lease | undefined): number | undefined => {
  const t = Date.parse(lease?.spec?.renewTime ?? '');
  return Number.isNaN(t) ? undefined : t;
};

export class HealthTracker {
  private readonly nodes = new Map<string, NodeHealth>();

  get(name: string): NodeHealth | undefined {
    return this.nodes.get(name);
  }

  forget(name: string): void {
    this.nodes.delete(name);
  }

  /** Records what the node and its lease show now; returns the record and whether it is new. */
  observe(node: Node, lease: Lease | undefined, now: number): { health: NodeHealth; first: boolean } {
    const name = node.metadata?.name ?? '';
    const heartbeat = readyCondition(node)?.lastHeartbeatTime;
    const renew = renewMs(lease);
    const h = this.nodes.get(name);
    if (!h) {
      const health: NodeHealth = { probeTimestamp: now, readyHeartbeat: heartbeat, leaseRenewMs: renew, lastReady: readyCondition(node)?.status, node };
      this.nodes.set(name, health);
      return { health, first: true };
    }
    h.node = node;
    if (heartbeat !== h.readyHeartbeat) {
      h.readyHeartbeat = heartbeat;
      h.probeTimestamp = now;
    }
    if (renew !== undefined && (h.leaseRenewMs === undefined || renew > h.leaseRenewMs)) {
      h.leaseRenewMs = renew;
      h.probeTimestamp = now;
    }
    return { health: h, first: false };
  }

  /** Gives every node a fresh grace period (after the whole cluster looked down, e.g. our own network). */
  resetProbes(now: number): void {
    for (const h of this.nodes.values()) h.probeTimestamp = now;
  }
}

const UNKNOWN_TYPES = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

/**
 * The node's conditions with Ready and the pressure conditions set to Unknown, as Kubernetes
 * does when the kubelet falls silent; undefined when they already are. Heartbeat times are kept
 * (they say when the kubelet was last heard from).
 */
export function unknownConditions(node: Node, now: string): NodeCondition[] | undefined {
  const conditions = (node.status?.conditions ?? []).map((c) => ({ ...c }));
  let changed = false;
  for (const type of UNKNOWN_TYPES) {
    const c = conditions.find((x) => x.type === type);
    if (!c) {
      conditions.push({
        type,
        status: 'Unknown',
        reason: 'NodeStatusNeverUpdated',
        message: 'Kubelet never posted node status.',
        lastHeartbeatTime: node.metadata?.creationTimestamp ?? now,
        lastTransitionTime: now,
      });
      changed = true;
    } else if (c.status !== 'Unknown') {
      c.status = 'Unknown';
      c.reason = 'NodeStatusUnknown';
      c.message = 'Kubelet stopped posting node status.';
      c.lastTransitionTime = now;
      changed = true;
    }
  }
  return changed ? conditions : undefined;
}
