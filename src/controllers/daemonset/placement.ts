// Where daemon pods go and what they look like. Every daemon pod tolerates the node conditions a
// node agent must survive (not-ready, unreachable, resource pressure, cordoning), and is pinned
// to its node through required node affinity on `metadata.name`, so the default scheduler binds
// it (as Kubernetes has done since 1.12) instead of the controller setting spec.nodeName.
import type { DaemonSet } from '../../api/apps/v1/index.js';
import type { Node, Pod, PodSpec, PodTemplateSpec, Toleration } from '../../api/core/v1/index.js';
import { REVISION_HASH_LABEL } from '../history/index.js';
import { matchesNodeSelectorAndAffinity, untoleratedTaint } from './node-match.js';

export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';
export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

const exists = (key: string, effect: 'NoExecute' | 'NoSchedule'): Toleration => ({ key, operator: 'Exists', effect });

/** The tolerations Kubernetes adds to every daemon pod (network-unavailable only for hostNetwork pods). */
export function daemonTolerations(spec: PodSpec): Toleration[] {
  return [
    exists('node.kubernetes.io/not-ready', 'NoExecute'),
    exists('node.kubernetes.io/unreachable', 'NoExecute'),
    exists('node.kubernetes.io/disk-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/memory-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/pid-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/unschedulable', 'NoSchedule'),
    ...(spec.hostNetwork ? [exists('node.kubernetes.io/network-unavailable', 'NoSchedule')] : []),
  ];
}

/** Adds the daemon tolerations the spec lacks; one with the same key, operator, value and effect is replaced. */
export function withDaemonTolerations(spec: PodSpec): Toleration[] {
  const out = [...(spec.tolerations ?? [])];
  for (const t of daemonTolerations(spec)) {
    const i = out.findIndex((u) => u.key === t.key && (u.operator ?? 'Equal') === t.operator && (u.value ?? '') === '' && u.effect === t.effect);
    if (i >= 0) out[i] = t;
    else out.push(t);
  }
  return out;
}

export interface Eligibility {
  /** A daemon pod should be created on the node. */
  shouldRun: boolean;
  /** An existing daemon pod may stay (only NoExecute taints evict it). */
  shouldContinueRunning: boolean;
}

export function nodeEligibility(ds: DaemonSet, node: Node): Eligibility {
  const spec = ds.spec?.template?.spec;
  const no = { shouldRun: false, shouldContinueRunning: false };
  if (!spec) return no;
  if (spec.nodeName && spec.nodeName !== node.metadata?.name) return no;
  if (!matchesNodeSelectorAndAffinity(spec, node)) return no;
  const taints = node.spec?.taints ?? [];
  const tolerations = withDaemonTolerations(spec);
  if (!untoleratedTaint({ taints, tolerations, effects: ['NoSchedule', 'NoExecute'] })) return { shouldRun: true, shouldContinueRunning: true };
  return { shouldRun: false, shouldContinueRunning: !untoleratedTaint({ taints, tolerations, effects: ['NoExecute'] }) };
}

/** The node a daemon pod is on, or (before the scheduler binds it) the node its affinity pins it to. */
export function targetNodeOf(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const term of terms) {
    for (const f of term.matchFields ?? []) {
      if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
    }
  }
  return undefined;
}

/** The template generation the API server stamps on DaemonSets, when present. */
export function templateGeneration(ds: DaemonSet): string | undefined {
  const v = ds.metadata?.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  return v && /^\d+$/.test(v) ? v : undefined;
}

/** The template a daemon pod is created from: DS labels plus hash (and generation), daemon tolerations, pinned to `nodeName`. */
export function daemonPodTemplate(ds: DaemonSet, o: { nodeName: string; hash: string }): PodTemplateSpec {
  const t = structuredClone(ds.spec?.template ?? {}) as PodTemplateSpec;
  const meta = (t.metadata ??= {});
  const generation = templateGeneration(ds);
  meta.labels = { ...(meta.labels ?? {}), ...(generation ? { [TEMPLATE_GENERATION_LABEL]: generation } : {}), [REVISION_HASH_LABEL]: o.hash };
  const spec = (t.spec ??= { containers: [] });
  spec.tolerations = withDaemonTolerations(spec);
  const affinity = (spec.affinity ??= {});
  const nodeAffinity = (affinity.nodeAffinity ??= {});
  // The controller already checked the DaemonSet's own node rules; the pod only needs its node.
  nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = {
    nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [o.nodeName] }] }],
  };
  return t;
}

/** A pod runs the DaemonSet's current template: same hash label, or same template generation. */
export function isPodUpdated(pod: Pod, o: { hash: string; generation: string | undefined }): boolean {
  const labels = pod.metadata?.labels ?? {};
  return (o.hash !== '' && labels[REVISION_HASH_LABEL] === o.hash) || (o.generation !== undefined && labels[TEMPLATE_GENERATION_LABEL] === o.generation);
}
