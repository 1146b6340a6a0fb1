// How long a pod may stay on a node with NoExecute taints: not at all when some taint is not
// tolerated; otherwise the smallest tolerationSeconds among the tolerations that match (the
// first matching toleration per taint counts), and forever when none of them sets one.
import type { Taint, Toleration } from '../../api/core/v1/index.js';

export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  const op = t.operator || 'Equal';
  if (op === 'Exists') return true;
  return op === 'Equal' && (t.value ?? '') === (taint.value ?? '');
}

/** Seconds the pod may stay (0: leave now), or undefined for forever. */
export function allowedStaySeconds(taints: readonly Taint[], tolerations: readonly Toleration[]): number | undefined {
  let min: number | undefined;
  for (const taint of taints) {
    const used = tolerations.find((t) => tolerates(t, taint));
    if (!used) return 0;
    if (used.tolerationSeconds === undefined) continue;
    const s = Math.max(0, used.tolerationSeconds);
    min = min === undefined ? s : Math.min(min, s);
  }
  return min;
}
