// Default tolerations for pods, as Kubernetes' DefaultTolerationSeconds admission plugin adds
// them: a pod that does not already tolerate the not-ready or unreachable NoExecute taint gets a
// toleration of it for 300 s, so when its node fails the taint eviction controller removes it
// five minutes later (and its controller recreates it elsewhere) instead of at once. Meant to be
// called from the pod strategy's prepareForCreate.
import type { ApiObject } from '../../../api/kind.js';

export const DEFAULT_TOLERATION_SECONDS = 300;
const TAINT_KEYS = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'];

interface TolerationLike {
  key?: string;
  operator?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/** Whether some toleration already covers the NoExecute taint with this key (whatever its value). */
function covers(tolerations: readonly TolerationLike[], key: string): boolean {
  return tolerations.some((t) => (t.key === key || (!t.key && t.operator === 'Exists')) && (!t.effect || t.effect === 'NoExecute'));
}

export function addDefaultTolerations(pod: ApiObject): void {
  const spec = (pod.spec ??= {}) as { tolerations?: TolerationLike[] };
  const tolerations = spec.tolerations ?? [];
  const missing = TAINT_KEYS.filter((key) => !covers(tolerations, key));
  if (missing.length === 0) return;
  spec.tolerations = [
    ...tolerations,
    ...missing.map((key) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS })),
  ];
}
