// Rollout actions computed in the browser the way kubectl computes them on the client:
// restart stamps the pod template with kubectl.kubernetes.io/restartedAt (a template change, so
// the Deployment controller rolls out new pods); undo copies a chosen ReplicaSet's pod template
// (without the controller's pod-template-hash label) back into the Deployment.
import type { KubeObject } from '../../api/objects.ts';

export const REVISION = 'deployment.kubernetes.io/revision';
const HASH = 'pod-template-hash';
/** Annotations that describe a ReplicaSet's own bookkeeping, not the user's intent. */
const NOT_COPIED = new Set([REVISION, 'deployment.kubernetes.io/revision-history', 'deployment.kubernetes.io/desired-replicas', 'deployment.kubernetes.io/max-replicas', 'kubectl.kubernetes.io/last-applied-configuration']);

export function restartPatch(now: Date): object {
  return { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': now.toISOString() } } } } };
}

export interface Revision {
  revision: number;
  rs: KubeObject;
}

/** The Deployment's ReplicaSets (by controller ownerReference) as revisions, newest first. */
export function revisionsOf(deployment: KubeObject, replicaSets: readonly KubeObject[]): Revision[] {
  const uid = deployment.metadata?.uid;
  return replicaSets
    .filter((rs) => rs.metadata?.ownerReferences?.some((o) => o.uid === uid && o.controller))
    .map((rs) => ({ revision: Number(rs.metadata?.annotations?.[REVISION] ?? 0), rs }))
    .filter((r) => r.revision > 0)
    .sort((a, b) => b.revision - a.revision);
}

export type UndoPlan = { skip: true; reason: string } | { skip: false; ops: object[] };

/** A JSON Patch that rolls `deployment` back to `rs`'s template, or why there is nothing to do. */
export function undoPlan(deployment: KubeObject, rs: KubeObject): UndoPlan {
  const tmpl = structuredClone(((rs.spec ?? {}) as { template?: KubeObject }).template ?? {});
  const labels = tmpl.metadata?.labels;
  if (labels) delete labels[HASH];
  const current = ((deployment.spec ?? {}) as { template?: unknown }).template;
  if (sameJson(current, tmpl)) return { skip: true, reason: `revision ${rs.metadata?.annotations?.[REVISION] ?? '?'} is the current template; nothing to roll back` };
  const annotations: Record<string, string> = { ...(deployment.metadata?.annotations ?? {}) };
  for (const [k, v] of Object.entries(rs.metadata?.annotations ?? {})) if (!NOT_COPIED.has(k)) annotations[k] = v;
  return {
    skip: false,
    ops: [
      { op: 'replace', path: '/spec/template', value: tmpl },
      { op: 'replace', path: '/metadata/annotations', value: annotations },
    ],
  };
}

/** Structural equality that ignores key order (templates come back from the server re-ordered). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
