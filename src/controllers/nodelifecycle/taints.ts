// The taints the node lifecycle controller owns and how they follow a node's conditions:
// NoSchedule taints mirror conditions one for one (Ready False → not-ready, Ready Unknown →
// unreachable, pressure conditions, NetworkUnavailable, spec.unschedulable), so the scheduler
// keeps new pods off; the NoExecute not-ready/unreachable taints make the taint eviction
// controller remove running pods. Taints owned by others are never touched.
import type { Node, NodeCondition, Taint } from '../../api/core/v1/index.js';

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

/** Condition type → (condition status → taint key), for the NoSchedule taints. */
const CONDITION_TAINTS: Record<string, Record<string, string>> = {
  Ready: { False: TAINT_NOT_READY, Unknown: TAINT_UNREACHABLE },
  MemoryPressure: { True: 'node.kubernetes.io/memory-pressure' },
  DiskPressure: { True: 'node.kubernetes.io/disk-pressure' },
  NetworkUnavailable: { True: 'node.kubernetes.io/network-unavailable' },
  PIDPressure: { True: 'node.kubernetes.io/pid-pressure' },
};

const OWNED_NO_SCHEDULE = new Set([TAINT_UNSCHEDULABLE, ...Object.values(CONDITION_TAINTS).flatMap((m) => Object.values(m))]);
const OWNED_NO_EXECUTE = new Set([TAINT_NOT_READY, TAINT_UNREACHABLE]);

export const readyCondition = (node: Node): NodeCondition | undefined => node.status?.conditions?.find((c) => c.type === 'Ready');

/** The NoSchedule taint keys the node's conditions and spec call for. */
export function wantedNoScheduleKeys(node: Node): string[] {
  const keys: string[] = [];
  for (const c of node.status?.conditions ?? []) {
    const key = CONDITION_TAINTS[c.type]?.[c.status];
    if (key) keys.push(key);
  }
  if (node.spec?.unschedulable) keys.push(TAINT_UNSCHEDULABLE);
  return keys;
}

/** The NoExecute taint key a Ready status calls for (none for True). */
export function wantedNoExecuteKey(readyStatus: string): string | undefined {
  if (readyStatus === 'False') return TAINT_NOT_READY;
  if (readyStatus === 'True') return undefined;
  return TAINT_UNREACHABLE;
}

export const hasOwnedNoExecute = (taints: readonly Taint[]): boolean => taints.some((t) => t.effect === 'NoExecute' && OWNED_NO_EXECUTE.has(t.key));

/**
 * The node's taints with our NoSchedule taints set to `noSchedule` and our NoExecute taint set to
 * `noExecute` (or to what it already is, when `noExecute` is 'keep'). New taints are stamped
 * with `now`; taints that stay keep their timeAdded. Undefined when nothing changes.
 */
export function reconcileTaints(current: readonly Taint[], o: { noSchedule: readonly string[]; noExecute: string | undefined | 'keep'; now: string }): Taint[] | undefined {
  const isOurs = (t: Taint): boolean =>
    (t.effect === 'NoSchedule' && OWNED_NO_SCHEDULE.has(t.key)) || (o.noExecute !== 'keep' && t.effect === 'NoExecute' && OWNED_NO_EXECUTE.has(t.key));
  const wanted: Taint[] = o.noSchedule.map((key) => ({ key, effect: 'NoSchedule' }));
  if (o.noExecute !== 'keep' && o.noExecute !== undefined) wanted.push({ key: o.noExecute, effect: 'NoExecute' });
  const same = (a: Taint, b: Taint): boolean => a.key === b.key && a.effect === b.effect;
  const kept = current.filter((t) => !isOurs(t) || wanted.some((w) => same(w, t)));
  const added = wanted.filter((w) => !current.some((t) => same(t, w))).map((w) => ({ ...w, timeAdded: o.now }));
  if (added.length === 0 && kept.length === current.length) return undefined;
  return [...kept, ...added];
}
