// Which objects belong with which, as the controllers wire them: owners by ownerReferences
// (Deployment → ReplicaSets → Pods), a Service's EndpointSlices by the
// kubernetes.io/service-name label and their Pods by targetRef, an Ingress's Services by its
// backends. Pure functions over already-fetched lists.
import type { KubeObject } from '../../api/objects.ts';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export function ownedBy(owners: readonly KubeObject[], candidates: readonly KubeObject[]): KubeObject[] {
  const uids = new Set(owners.map((o) => o.metadata?.uid).filter((u): u is string => !!u));
  return candidates.filter((c) => c.metadata?.ownerReferences?.some((r) => uids.has(r.uid)));
}

interface Endpoint {
  targetRef?: { kind?: string; name?: string; namespace?: string };
}

/** Names of the Pods the slices point at, in order of first appearance. */
export function slicePodNames(slices: readonly KubeObject[]): string[] {
  const names = new Set<string>();
  for (const s of slices) for (const e of ((s.endpoints ?? []) as Endpoint[])) if (e.targetRef?.kind === 'Pod' && e.targetRef.name) names.add(e.targetRef.name);
  return [...names];
}

interface Backend {
  service?: { name?: string };
}
interface IngressSpec {
  defaultBackend?: Backend;
  rules?: { http?: { paths?: { backend?: Backend }[] } }[];
}

export function ingressServiceNames(ingress: KubeObject): string[] {
  const spec = (ingress.spec ?? {}) as IngressSpec;
  const names = new Set<string>();
  if (spec.defaultBackend?.service?.name) names.add(spec.defaultBackend.service.name);
  for (const r of spec.rules ?? []) for (const p of r.http?.paths ?? []) if (p.backend?.service?.name) names.add(p.backend.service.name);
  return [...names];
}

/** `a=b,c=d` from a LabelSelector's matchLabels (matchExpressions are left to the owner filter). */
export function matchLabelsSelector(selector: unknown): string {
  const ml = (selector as { matchLabels?: Record<string, string> } | undefined)?.matchLabels ?? {};
  return Object.entries(ml)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
