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

interface ZoneCounts {
  ready: number;
  notReady: number;
}

function judge(counts: ReadonlyMap<string, ZoneCounts>, o: Pick<ResolvedOptions, 'unhealthyZoneThreshold'>): Map<string, ZoneInfo> {
  const out = new Map<string, ZoneInfo>();
  for (const [key, c] of counts) {
    const size = c.ready + c.notReady;
    if (size === 0) continue;
    let state: ZoneState = 'Normal';
    if (c.ready === 0 && c.notReady > 0) state = 'FullDisruption';
    else if (c.notReady > 2 && c.notReady / size >= o.unhealthyZoneThreshold) state = 'PartialDisruption';
    out.set(key, { state, size });
  }
  return out;
}

/** Where a node counts: its zone and whether it is ready; undefined when excluded from zone accounting. */
function placeOf(n: Node): { zone: string; ready: boolean } | undefined {
  if (n.metadata?.labels?.[EXCLUDE_LABEL] !== undefined) return undefined;
  return { zone: zoneKey(n), ready: readyCondition(n)?.status === 'True' };
}

export function computeZones(nodes: readonly Node[], o: Pick<ResolvedOptions, 'unhealthyZoneThreshold'>): Map<string, ZoneInfo> {
  const counts = new Map<string, ZoneCounts>();
  for (const n of nodes) {
    const p = placeOf(n);
    if (!p) continue;
    const c = counts.get(p.zone) ?? { ready: 0, notReady: 0 };
    if (p.ready) c.ready += 1;
    else c.notReady += 1;
    counts.set(p.zone, c);
  }
  return judge(counts, o);
}

/**
 * Zone counts kept up to date one node at a time, so judging the zones when a node is about to
 * be tainted costs O(zones) rather than a walk over every node (which, on a thousand nodes going
 * NotReady at once, made the controller quadratic).
 */
export class ZoneCensus {
  private readonly places = new Map<string, { zone: string; ready: boolean }>();
  private readonly counts = new Map<string, ZoneCounts>();

  /** Records the node's current zone and readiness. */
  observe(node: Node): void {
    const name = node.metadata?.name ?? '';
    this.forget(name);
    const p = placeOf(node);
    if (!p) return;
    this.places.set(name, p);
    this.bump(p, 1);
  }

  forget(name: string): void {
    const p = this.places.get(name);
    if (!p) return;
    this.places.delete(name);
    this.bump(p, -1);
  }

  zones(o: Pick<ResolvedOptions, 'unhealthyZoneThreshold'>): Map<string, ZoneInfo> {
    return judge(this.counts, o);
  }

  private bump(p: { zone: string; ready: boolean }, delta: 1 | -1): void {
    let c = this.counts.get(p.zone);
    if (!c) this.counts.set(p.zone, (c = { ready: 0, notReady: 0 }));
    if (p.ready) c.ready += delta;
    else c.notReady += delta;
    if (c.ready === 0 && c.notReady === 0) this.counts.delete(p.zone);
  }
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
