// The stable identity of a StatefulSet pod: its name `<set>-<ordinal>`, hostname (the pod name)
// and subdomain (the governing Service), the labels naming the pod and its index, and its
// claims `<template>-<set>-<ordinal>`, mounted as volumes named after their templates. A pod
// that drifted from this (e.g. an adopted one) is put back by relabelling.
import { statefulSetKind, type StatefulSet } from '../../api/apps/v1/index.js';
import type { PersistentVolumeClaim, Pod, Volume } from '../../api/core/v1/index.js';
import { REVISION_HASH_LABEL } from '../history/index.js';
import { controllerRefOf } from '../runtime/index.js';

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

const ORDINAL_NAME = /^(.*)-(\d+)$/;

/** The set name and ordinal encoded in a pod name; ordinal -1 when it does not parse. */
export function parseName(name: string): { parent: string; ordinal: number } {
  const m = ORDINAL_NAME.exec(name);
  if (!m) return { parent: '', ordinal: -1 };
  const ordinal = Number(m[2]);
  return Number.isSafeInteger(ordinal) ? { parent: m[1] ?? '', ordinal } : { parent: '', ordinal: -1 };
}

export const ordinalOf = (pod: Pod): number => parseName(pod.metadata?.name ?? '').ordinal;

export const isMemberOf = (set: StatefulSet, pod: Pod): boolean => parseName(pod.metadata?.name ?? '').parent === set.metadata?.name;

export const podName = (set: StatefulSet, ordinal: number): string => `${set.metadata?.name ?? ''}-${ordinal}`;

export const claimName = (o: { set: StatefulSet; template: string; ordinal: number }): string => `${o.template}-${podName(o.set, o.ordinal)}`;

export const startOrdinal = (set: StatefulSet): number => set.spec?.ordinals?.start ?? 0;

/** The claims a pod of this ordinal uses, keyed by template name, built from the claim templates. */
export function claimsFor(set: StatefulSet, ordinal: number): Map<string, PersistentVolumeClaim> {
  const out = new Map<string, PersistentVolumeClaim>();
  const selectorLabels = set.spec?.selector?.matchLabels ?? {};
  for (const t of set.spec?.volumeClaimTemplates ?? []) {
    const template = t.metadata?.name ?? '';
    const c = structuredClone(t);
    delete c.status;
    c.apiVersion = 'v1';
    c.kind = 'PersistentVolumeClaim';
    c.metadata = {
      ...(c.metadata ?? {}),
      name: claimName({ set, template, ordinal }),
      namespace: set.metadata?.namespace,
      labels: { ...(c.metadata?.labels ?? {}), ...selectorLabels },
    };
    out.set(template, c);
  }
  return out;
}

/** Claim volumes first, then the template's other volumes (a template volume named like a claim is replaced). */
function podVolumes(set: StatefulSet, ordinal: number, existing: readonly Volume[]): Volume[] {
  const claims = claimsFor(set, ordinal);
  const vols: Volume[] = [...claims].map(([name, c]) => ({ name, persistentVolumeClaim: { claimName: c.metadata?.name ?? '' } }));
  return [...vols, ...existing.filter((v) => !claims.has(v.name))];
}

function identityLabels(set: StatefulSet, ordinal: number): Record<string, string> {
  return { [POD_NAME_LABEL]: podName(set, ordinal), [POD_INDEX_LABEL]: String(ordinal) };
}

/** A new pod for `ordinal` from `set`'s template, labelled with the revision it was made from. */
export function newStatefulPod(set: StatefulSet, o: { ordinal: number; revision: string }): Pod {
  const t = structuredClone(set.spec?.template ?? {});
  const m = t.metadata ?? {};
  const spec = t.spec ?? { containers: [] };
  const name = podName(set, o.ordinal);
  spec.hostname = name;
  if (set.spec?.serviceName) spec.subdomain = set.spec.serviceName;
  spec.volumes = podVolumes(set, o.ordinal, spec.volumes ?? []);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: set.metadata?.namespace,
      labels: { ...(m.labels ?? {}), ...identityLabels(set, o.ordinal), [REVISION_HASH_LABEL]: o.revision },
      ...(m.annotations ? { annotations: m.annotations } : {}),
      ...(m.finalizers ? { finalizers: m.finalizers } : {}),
      ownerReferences: [controllerRefOf(set, statefulSetKind)],
    },
    spec,
  };
}

export const revisionOfPod = (pod: Pod): string => pod.metadata?.labels?.[REVISION_HASH_LABEL] ?? '';

/** The pod's name, namespace and identity labels are those of its ordinal in this set. */
export function identityMatches(set: StatefulSet, pod: Pod): boolean {
  const { parent, ordinal } = parseName(pod.metadata?.name ?? '');
  if (ordinal < 0 || parent !== set.metadata?.name || pod.metadata?.namespace !== set.metadata?.namespace) return false;
  const labels = pod.metadata?.labels ?? {};
  return Object.entries(identityLabels(set, ordinal)).every(([k, v]) => labels[k] === v);
}

/** Every claim template is mounted from this ordinal's claim. */
export function storageMatches(set: StatefulSet, pod: Pod): boolean {
  const ordinal = ordinalOf(pod);
  if (ordinal < 0) return false;
  const vols = new Map((pod.spec?.volumes ?? []).map((v) => [v.name, v]));
  for (const [name, c] of claimsFor(set, ordinal)) {
    if (vols.get(name)?.persistentVolumeClaim?.claimName !== c.metadata?.name) return false;
  }
  return true;
}

/** The identity labels a drifted pod needs (its spec cannot change once created). */
export function identityPatch(set: StatefulSet, pod: Pod): Record<string, string> {
  return identityLabels(set, ordinalOf(pod));
}
