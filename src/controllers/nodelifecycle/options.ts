// Tunables of the node lifecycle and taint eviction controllers, with Kubernetes' defaults:
// a node is presumed dead 40 s after its last sign of life (60 s if it never reported a Ready
// condition), health is re-checked every 5 s, and NoExecute taints go on at most 0.1 nodes/s per
// zone (slower or not at all while a large part of a zone is down). Tests shorten the periods.
export interface NodeLifecycleOptions {
  /** How long a node may go without renewing its Lease or posting status before it is Unknown. */
  gracePeriodMs?: number;
  /** The same for a node that never posted a Ready condition. */
  startupGracePeriodMs?: number;
  /** How often every node's health is re-checked even without events. */
  monitorPeriodMs?: number;
  /** NoExecute taints added per second in a healthy zone. */
  evictionRate?: number;
  /** NoExecute taints added per second in a partially disrupted large zone. */
  secondaryEvictionRate?: number;
  /** Zones with at most this many nodes stop tainting altogether when partially disrupted. */
  largeClusterThreshold?: number;
  /** Fraction of not-ready nodes (with more than two) that makes a zone partially disrupted. */
  unhealthyZoneThreshold?: number;
}

export type ResolvedOptions = Required<NodeLifecycleOptions>;

export function resolveOptions(o: NodeLifecycleOptions = {}): ResolvedOptions {
  return {
    gracePeriodMs: o.gracePeriodMs ?? 40_000,
    startupGracePeriodMs: o.startupGracePeriodMs ?? 60_000,
    monitorPeriodMs: o.monitorPeriodMs ?? 5_000,
    evictionRate: o.evictionRate ?? 0.1,
    secondaryEvictionRate: o.secondaryEvictionRate ?? 0.01,
    largeClusterThreshold: o.largeClusterThreshold ?? 50,
    unhealthyZoneThreshold: o.unhealthyZoneThreshold ?? 0.55,
  };
}
