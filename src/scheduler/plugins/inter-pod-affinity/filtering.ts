// The required half of InterPodAffinity. PreFilter counts, per topology pair, (1) existing pods
// whose required anti-affinity matches the incoming pod, (2) existing pods matching all of the
// incoming pod's required affinity terms and (3) existing pods matching any of its anti-affinity
// terms; Filter then answers per node from those counts in constant time, and preemption dry
// runs adjust them as pods are removed or added.
import type { StateData } from '../../framework/cycle-state.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { termMatches, type AffinityTerm, type NamespaceLabels, type PodInfo } from '../../framework/pod-info.js';
import { unresolvable, unschedulable, type Status } from '../../framework/status.js';
import { bump, pairKey } from '../topology.js';

export const ErrReasonAffinity = "node(s) didn't match pod affinity rules";
export const ErrReasonAntiAffinity = "node(s) didn't match pod anti-affinity rules";
export const ErrReasonExistingAntiAffinity = "node(s) didn't satisfy existing pods anti-affinity rules";

const REJECT_AFFINITY: Status = unresolvable(ErrReasonAffinity);
const REJECT_ANTI: Status = unschedulable(ErrReasonAntiAffinity);
const REJECT_EXISTING: Status = unschedulable(ErrReasonExistingAntiAffinity);

export class RequiredState implements StateData {
  constructor(
    readonly existingAnti = new Map<string, number>(),
    readonly affinity = new Map<string, number>(),
    readonly anti = new Map<string, number>(),
  ) {}

  clone(): RequiredState {
    return new RequiredState(new Map(this.existingAnti), new Map(this.affinity), new Map(this.anti));
  }
}

const matchesAll = (terms: readonly AffinityTerm[], p: PodInfo, ns: NamespaceLabels): boolean => terms.every((t) => termMatches(t, p, ns));

/** An existing pod on its node, seen from the incoming pod. */
export interface Pair {
  readonly incoming: PodInfo;
  readonly existing: PodInfo;
  readonly node: NodeInfo;
  readonly ns: NamespaceLabels;
}

/** Counts (sign 1) or uncounts (sign -1) an existing pod's required anti-affinity against `incoming`. */
export function countExistingAnti(s: RequiredState, { incoming, existing, node, ns }: Pair, sign: 1 | -1): void {
  for (const t of existing.requiredAntiAffinity) {
    const v = node.labels[t.topologyKey];
    if (v !== undefined && termMatches(t, incoming, ns)) bump(s.existingAnti, t.topologyKey, v, sign);
  }
}

/** Counts (sign 1) or uncounts (sign -1) an existing pod against `incoming`'s required terms. */
export function countForIncoming(s: RequiredState, { incoming, existing, node, ns }: Pair, sign: 1 | -1): void {
  const labels = node.labels;
  if (incoming.requiredAffinity.length > 0 && matchesAll(incoming.requiredAffinity, existing, ns))
    for (const t of incoming.requiredAffinity) {
      const v = labels[t.topologyKey];
      if (v !== undefined) bump(s.affinity, t.topologyKey, v, sign);
    }
  for (const t of incoming.requiredAntiAffinity) {
    const v = labels[t.topologyKey];
    if (v !== undefined && termMatches(t, existing, ns)) bump(s.anti, t.topologyKey, v, sign);
  }
}

function satisfiesAffinity(s: RequiredState, pod: PodInfo, node: NodeInfo, ns: NamespaceLabels): boolean {
  if (pod.requiredAffinity.length === 0) return true;
  let podsExist = true;
  for (const t of pod.requiredAffinity) {
    const v = node.labels[t.topologyKey];
    if (v === undefined) return false;
    if ((s.affinity.get(pairKey(t.topologyKey, v)) ?? 0) <= 0) podsExist = false;
  }
  if (podsExist) return true;
  // The first pod of a group with affinity to its own kind has nothing to join yet: let it in
  // when no pod anywhere matches and it matches its own terms.
  return s.affinity.size === 0 && matchesAll(pod.requiredAffinity, pod, ns);
}

function satisfiesAntiAffinity(s: RequiredState, pod: PodInfo, node: NodeInfo): boolean {
  if (s.anti.size === 0) return true;
  for (const t of pod.requiredAntiAffinity) {
    const v = node.labels[t.topologyKey];
    if (v !== undefined && (s.anti.get(pairKey(t.topologyKey, v)) ?? 0) > 0) return false;
  }
  return true;
}

function satisfiesExistingAntiAffinity(s: RequiredState, node: NodeInfo): boolean {
  if (s.existingAnti.size === 0) return true;
  for (const k in node.labels) if ((s.existingAnti.get(pairKey(k, node.labels[k] as string)) ?? 0) > 0) return false;
  return true;
}

export function filterNode(s: RequiredState, pod: PodInfo, node: NodeInfo, ns: NamespaceLabels): Status | undefined {
  if (!satisfiesAffinity(s, pod, node, ns)) return REJECT_AFFINITY;
  if (!satisfiesAntiAffinity(s, pod, node)) return REJECT_ANTI;
  if (!satisfiesExistingAntiAffinity(s, node)) return REJECT_EXISTING;
  return undefined;
}
