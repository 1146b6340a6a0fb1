// Turning desired endpoint groups into as few EndpointSlice writes as possible, the way the
// Kubernetes reconciler does: endpoints stay in the slice they are already in (updated in place
// when their conditions change), gone ones are removed, a slice left empty is deleted, and new
// endpoints go first into slices being written anyway (fullest first), then into the unchanged
// slice that fits them most snugly, and only then into new slices of at most `max` endpoints.
// A service with no endpoints at all keeps one empty placeholder slice, and a slice that would be
// deleted while another is created is rewritten in place instead.
import type { EndpointSlice, Endpoint, EndpointPort } from '../../api/discovery/v1/index.js';
import { canonical, endpointKey, portKey, type DesiredGroup } from './desired.js';

export interface Plan {
  create: EndpointSlice[];
  update: EndpointSlice[];
  delete: EndpointSlice[];
}

export interface PlanInput {
  /** Slices of this address type owned by the service and not being deleted. */
  existing: EndpointSlice[];
  desired: Map<string, DesiredGroup>;
  /** A fresh slice (metadata, addressType) for new endpoints; ports and endpoints are filled in. */
  blank(ports: EndpointPort[]): EndpointSlice;
  /** The labels every slice of the service must carry. */
  labels: Record<string, string>;
  max: number;
}

const sameLabels = (a: Record<string, string> | undefined, b: Record<string, string>): boolean => canonical(a ?? {}) === canonical(b);

function withLabels(s: EndpointSlice, labels: Record<string, string>): EndpointSlice {
  const c = structuredClone(s);
  c.metadata = { ...c.metadata, labels: { ...labels } };
  return c;
}

export function planSlices(input: PlanInput): Plan {
  const plan: Plan = { create: [], update: [], delete: [] };
  const existingByKey = new Map<string, EndpointSlice[]>();
  for (const s of input.existing) {
    const k = portKey(s.ports);
    existingByKey.set(k, [...(existingByKey.get(k) ?? []), s]);
  }
  for (const [key, group] of input.desired) {
    planGroup(input, existingByKey.get(key) ?? [], group, plan);
    existingByKey.delete(key);
  }
  // Slices for port sets no pod resolves to any more.
  for (const slices of existingByKey.values()) plan.delete.push(...slices);
  if (plan.create.length === 0 && plan.delete.length === input.existing.length) {
    const only = plan.delete[0];
    if (plan.delete.length === 1 && only && isPlaceholder(only, input.labels)) plan.delete = [];
    else plan.create.push(input.blank([]));
  }
  reuseDeleted(plan);
  return plan;
}

/** A slice about to be deleted is rewritten instead of creating a new one: one write, not two. */
function reuseDeleted(plan: Plan): void {
  while (plan.create.length > 0 && plan.delete.length > 0) {
    const old = plan.delete.pop() as EndpointSlice;
    const fresh = plan.create.pop() as EndpointSlice;
    plan.update.push({ ...old, metadata: { ...old.metadata, labels: fresh.metadata?.labels ?? {} }, ports: fresh.ports ?? [], endpoints: fresh.endpoints });
  }
}

function isPlaceholder(s: EndpointSlice, labels: Record<string, string>): boolean {
  return (s.endpoints ?? []).length === 0 && (s.ports ?? []).length === 0 && sameLabels(s.metadata?.labels, labels);
}

function planGroup(input: PlanInput, existing: EndpointSlice[], group: DesiredGroup, plan: Plan): void {
  const want = new Map<string, Endpoint>(group.endpoints.map((e) => [endpointKey(e), e]));
  const touched: EndpointSlice[] = [];
  const unchanged: EndpointSlice[] = [];
  for (const s of existing) {
    const kept: Endpoint[] = [];
    let changed = false;
    for (const ep of s.endpoints ?? []) {
      const k = endpointKey(ep);
      const d = want.get(k);
      if (!d) continue;
      kept.push(d);
      if (canonical(d) !== canonical(ep)) changed = true;
      want.delete(k);
    }
    if (changed || kept.length !== (s.endpoints ?? []).length) {
      if (kept.length === 0) plan.delete.push(s);
      else touched.push({ ...withLabels(s, input.labels), endpoints: kept });
    } else if (!sameLabels(s.metadata?.labels, input.labels)) {
      touched.push(withLabels(s, input.labels));
    } else {
      unchanged.push(s);
    }
  }
  const left = [...want.values()];
  // Fill slices that are being written anyway, fullest first.
  touched.sort((a, b) => (b.endpoints ?? []).length - (a.endpoints ?? []).length);
  for (const s of touched) while (left.length > 0 && (s.endpoints ?? []).length < input.max) (s.endpoints ??= []).push(left.shift() as Endpoint);
  plan.update.push(...touched);
  while (left.length > 0) {
    let target = left.length < input.max ? snuggest(unchanged, left.length, input.max) : undefined;
    if (target) {
      unchanged.splice(unchanged.indexOf(target), 1);
      target = withLabels(target, input.labels);
      plan.update.push(target);
    } else {
      target = input.blank(group.ports);
      plan.create.push(target);
    }
    const slice = target;
    while (left.length > 0 && (slice.endpoints ?? []).length < input.max) (slice.endpoints ??= []).push(left.shift() as Endpoint);
  }
}

/** The unchanged slice with the least room that still holds `n` more endpoints. */
function snuggest(slices: EndpointSlice[], n: number, max: number): EndpointSlice | undefined {
  let best: EndpointSlice | undefined;
  for (const s of slices) {
    const room = max - (s.endpoints ?? []).length;
    if (room >= n && (!best || room < max - (best.endpoints ?? []).length)) best = s;
  }
  return best;
}
