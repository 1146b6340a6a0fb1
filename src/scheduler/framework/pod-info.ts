// What the scheduler needs to know about a pod, computed once per pod object (informers hand out
// a new object on every change): its priority, the resources it asks for (exactly, and with the
// scoring defaults), host ports, node constraints compiled to a matcher, and its pod
// (anti-)affinity terms with their selectors parsed. Plugins read these instead of re-parsing
// the spec for every node.
import type { Pod, Toleration } from '../../api/core/v1/index.js';
import { labelSelectorAsSelector, nothing, requirement, selectorFromRequirements, type Labels, type Requirement, type Selector } from '../../lib/selectors/index.js';
import { compileLabelMap, compileTerms, type NodeMatcher } from './node-selector.js';
import { podRequests, type Resources } from './resources.js';

type PodSpec = NonNullable<Pod['spec']>;
type Affinity = NonNullable<PodSpec['affinity']>;
type PodAffinityTerm = NonNullable<NonNullable<Affinity['podAffinity']>['requiredDuringSchedulingIgnoredDuringExecution']>[number];

export interface AffinityTerm {
  readonly topologyKey: string;
  readonly selector: Selector;
  /** Namespaces the term looks in by name. */
  readonly namespaces: ReadonlySet<string>;
  /** Set when the term selects namespaces by label (an empty selector means all). */
  readonly namespaceSelector: Selector | undefined;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  readonly weight: number;
}

export interface HostPort {
  readonly ip: string;
  readonly protocol: string;
  readonly port: number;
}

export interface PodInfo {
  readonly pod: Pod;
  readonly uid: string;
  /** `namespace/name`. */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  readonly priority: number;
  readonly requests: Resources;
  /** CPU and memory with the scoring defaults for containers that request none. */
  readonly nonZeroMilliCpu: number;
  readonly nonZeroMemory: number;
  readonly hostPorts: readonly HostPort[];
  readonly tolerations: readonly Toleration[];
  /** nodeSelector and required node affinity together; undefined when any node will do. */
  readonly nodeMatcher: NodeMatcher | undefined;
  readonly requiredAffinity: readonly AffinityTerm[];
  readonly requiredAntiAffinity: readonly AffinityTerm[];
  readonly preferredAffinity: readonly WeightedAffinityTerm[];
  readonly preferredAntiAffinity: readonly WeightedAffinityTerm[];
  readonly terminating: boolean;
  /** Start time (or creation) in ms, for picking which of equal-priority victims to keep. */
  readonly startedAt: number;
}

export type NamespaceLabels = (namespace: string) => Labels | undefined;

/** True when `pod` is one the term counts (right namespace, matching labels). */
export function termMatches(term: AffinityTerm, pod: PodInfo, nsLabels: NamespaceLabels): boolean {
  const inNamespace = term.namespaces.has(pod.namespace) || (term.namespaceSelector !== undefined && term.namespaceSelector.matches(nsLabels(pod.namespace)));
  return inNamespace && term.selector.matches(pod.labels);
}

function buildTerm(t: PodAffinityTerm, namespace: string, labels: Labels): AffinityTerm {
  let selector: Selector;
  try {
    selector = labelSelectorAsSelector(t.labelSelector);
    const extra: Requirement[] = [];
    for (const k of t.matchLabelKeys ?? []) {
      const v = labels[k];
      if (v !== undefined) extra.push(requirement(k, 'in', [v]));
    }
    for (const k of t.mismatchLabelKeys ?? []) {
      const v = labels[k];
      if (v !== undefined) extra.push(requirement(k, 'notin', [v]));
    }
    if (extra.length > 0 && t.labelSelector) selector = selectorFromRequirements([...selector.requirements, ...extra]);
  } catch {
    // Validation keeps bad selectors out; one that slips through matches nothing.
    selector = nothing();
  }
  let namespaceSelector: Selector | undefined;
  try {
    namespaceSelector = t.namespaceSelector ? labelSelectorAsSelector(t.namespaceSelector) : undefined;
  } catch {
    namespaceSelector = undefined;
  }
  const names = t.namespaces ?? [];
  const namespaces = new Set(names.length === 0 && !t.namespaceSelector ? [namespace] : names);
  return { topologyKey: t.topologyKey ?? '', selector, namespaces, namespaceSelector };
}

function hostPortsOf(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  for (const c of pod.spec?.containers ?? [])
    for (const p of c.ports ?? []) if (p.hostPort && p.hostPort > 0) out.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort });
  return out;
}

function nodeMatcherOf(pod: Pod): NodeMatcher | undefined {
  const sel = pod.spec?.nodeSelector;
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  const bySelector = sel && Object.keys(sel).length > 0 ? compileLabelMap(sel) : undefined;
  const byAffinity = required ? compileTerms(required.nodeSelectorTerms ?? []) : undefined;
  if (bySelector && byAffinity) return (n) => bySelector(n) && byAffinity(n);
  return bySelector ?? byAffinity;
}

const cache = new WeakMap<Pod, PodInfo>();

export function podInfo(pod: Pod): PodInfo {
  const hit = cache.get(pod);
  if (hit) return hit;
  const m = pod.metadata ?? {};
  const namespace = m.namespace ?? '';
  const name = m.name ?? '';
  const labels: Labels = m.labels ?? {};
  const spec = pod.spec ?? { containers: [] };
  const requests = podRequests(spec);
  const nonZero = podRequests(spec, { nonZero: true });
  const aff = spec.affinity;
  const terms = (ts: readonly PodAffinityTerm[] | undefined): AffinityTerm[] => (ts ?? []).map((t) => buildTerm(t, namespace, labels));
  const weighted = (ts: readonly { weight?: number; podAffinityTerm?: PodAffinityTerm }[] | undefined): WeightedAffinityTerm[] =>
    (ts ?? []).filter((w) => w.podAffinityTerm).map((w) => ({ ...buildTerm(w.podAffinityTerm as PodAffinityTerm, namespace, labels), weight: w.weight ?? 0 }));
  const started = Date.parse(pod.status?.startTime ?? m.creationTimestamp ?? '');
  const info: PodInfo = {
    pod,
    uid: m.uid ?? `${namespace}/${name}`,
    key: `${namespace}/${name}`,
    namespace,
    name,
    labels,
    priority: spec.priority ?? 0,
    requests,
    nonZeroMilliCpu: nonZero.milliCpu,
    nonZeroMemory: nonZero.memory,
    hostPorts: hostPortsOf(pod),
    tolerations: spec.tolerations ?? [],
    nodeMatcher: nodeMatcherOf(pod),
    requiredAffinity: terms(aff?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
    requiredAntiAffinity: terms(aff?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
    preferredAffinity: weighted(aff?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
    preferredAntiAffinity: weighted(aff?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
    terminating: m.deletionTimestamp !== undefined,
    startedAt: Number.isNaN(started) ? 0 : started,
  };
  cache.set(pod, info);
  return info;
}

const signatures = new WeakMap<PodInfo, string>();

/**
 * Everything about a pod that pod (anti-)affinity results depend on — namespace, labels and its
 * own affinity terms — as one string, so per-node results can be shared by pods of a workload.
 */
export function affinitySignature(p: PodInfo): string {
  let sig = signatures.get(p);
  if (sig === undefined) {
    const a = p.pod.spec?.affinity;
    sig = JSON.stringify([p.namespace, p.labels, a?.podAffinity ?? null, a?.podAntiAffinity ?? null]);
    signatures.set(p, sig);
  }
  return sig;
}

export const hasAffinity = (p: PodInfo): boolean =>
  p.requiredAffinity.length + p.requiredAntiAffinity.length + p.preferredAffinity.length + p.preferredAntiAffinity.length > 0;

export const hasRequiredAntiAffinity = (p: PodInfo): boolean => p.requiredAntiAffinity.length > 0;
