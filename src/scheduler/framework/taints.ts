// Taints and tolerations: whether a toleration matches a taint (same key or an empty key with
// Exists, same effect or any, equal value for Equal), and the first taint of given effects a pod
// does not tolerate. Shared by the TaintToleration, NodeUnschedulable and PodTopologySpread
// plugins.
import type { Taint, Toleration } from '../../api/core/v1/index.js';

export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? 'Equal') {
    case 'Exists':
      return true;
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    default:
      return false;
  }
}

export const toleratedBy = (tolerations: readonly Toleration[], taint: Taint): boolean => tolerations.some((t) => tolerates(t, taint));

/** The first taint with one of `effects` that no toleration matches. */
export function firstUntolerated(taints: readonly Taint[], tolerations: readonly Toleration[], effects: ReadonlySet<string>): Taint | undefined {
  for (const taint of taints) if (effects.has(taint.effect ?? '') && !toleratedBy(tolerations, taint)) return taint;
  return undefined;
}

export const HARD_EFFECTS: ReadonlySet<string> = new Set(['NoSchedule', 'NoExecute']);
