// Zone disruption, as Kubernetes guards against mass eviction: nodes are grouped by their
// region/zone labels; a zone whose nodes are all not ready is fully disrupted, one with more
// than two not-ready nodes making up at least the unhealthy threshold is partially disrupted.
// When every zone is fully disrupted the likelier story is that the control plane lost its
// network, so no pod is evicted anywhere. NoExecute taints are rate limited per zone with a
// token bucket (burst 1) whose rate follows the zone's state.
import type { Node } from '../../api/core/v1/index.js';
import type { ResolvedOptions } from './options.js';
import { readyCondition } from './taints.js';

export type ZoneState = 'Normal' | 'PartialDisruption' | 'FullDisruption';

const EXCLUDE_LABEL = 'node.kubernetes.io/exclude-disruption';

export function zoneKey(node: Node): string {
  const l = node.metadata?.labels ?? {};
  const region = l['topology.kubernetes.io/region'] ?? l['failure-domain.beta.kubernetes.io/region'] ?? '';
  const zone = l['topology.kubernetes.io/zone'] ?? l['failure-domain.beta.kubernetes.io/zone'] ?? '';
  return region || zone ? `${region}:\x00:${zone}` : '';
}

export interface ZoneInfo {
  state: ZoneState;
  size: number;
}

export function computeZones(nodes: readonly Node[], o: Pick<ResolvedOptions, 'unhealthyZoneThreshold'>): Map<string, ZoneInfo> {
  const counts = new Map<string, { ready: number; notReady: number }>();
  for (const n of nodes) {
    if (n.metadata?.labels?.[EXCLUDE_LABEL] !== undefined) continue;
    const key = zoneKey(n);
    const c = counts.get(key) ?? { ready: 0, notReady: 0 };
    if (readyCondition(n)?.status === 'True') c.ready += 1;
    else c.notReady += 1;
    counts.set(key, c);
  }
  const out = new Map<string, ZoneInfo>();
  for (const [key, c] of counts) {
    const size = c.ready + c.notReady;
    let state: ZoneState = 'Normal';
    if (c.ready === 0 && c.notReady > 0) state = 'FullDisruption';
    else if (c.notReady > 2 && c.notReady / size >= o.unhealthyZoneThreshold) state = 'PartialDisruption';
    out.set(key, { state, size });
  }
  return out;
}

export const allFullyDisrupted = (zones: Map<string, ZoneInfo>): boolean =>
  zones.size > 0 && [...zones.values()].every((z) => z.state === 'FullDisruption');

/** NoExecute taints per second allowed in a zone of this state and size. */
export function zoneRate(z: ZoneInfo, o: ResolvedOptions): number {
  if (z.state === 'PartialDisruption') return z.size > o.largeClusterThreshold ? o.secondaryEvictionRate : 0;
  return o.evictionRate;
}

/** One token bucket per zone, full (one token) to begin with. */
export class ZoneLimiters {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** Takes a token: 0 when granted, else ms until one could be (Infinity at rate 0). */
  take(zone: string, o: { now: number; rate: number }): number {
    const b = this.buckets.get(zone) ?? { tokens: 1, at: o.now };
    b.tokens = Math.min(1, b.tokens + (Math.max(0, o.now - b.at) * o.rate) / 1000);
    b.at = o.now;
    this.buckets.set(zone, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return o.rate > 0 ? Math.ceil(((1 - b.tokens) * 1000) / o.rate) : Infinity;
  }
}
