// What both endpoint controllers (EndpointSlice and the legacy Endpoints) need to know about a
// Service's pods: which pods a Service selects, whether a pod belongs in its endpoints at all,
// its readiness, its address in a given IP family, the port number a service port resolves to on
// that pod (named target ports are looked up in each pod's own containers), and which changes
// to a pod matter to endpoints at all.
import type { ApiObject } from '../../api/kind.js';
import { ipFamily, type Pod, type Service } from '../../api/core/v1/index.js';

export type PodObj = Pod & ApiObject;
export type ServiceObj = Service & ApiObject;
type ServicePort = NonNullable<NonNullable<Service['spec']>['ports']>[number];
export type Family = 'IPv4' | 'IPv6';

/** Services without a selector are managed by their users; an empty selector counts as none. */
export function hasSelector(svc: ServiceObj): boolean {
  return svc.spec?.type !== 'ExternalName' && Object.keys(svc.spec?.selector ?? {}).length > 0;
}

export function selects(svc: ServiceObj, labels: Record<string, string> | undefined): boolean {
  const sel = svc.spec?.selector ?? {};
  const keys = Object.keys(sel);
  return keys.length > 0 && keys.every((k) => labels?.[k] === sel[k]);
}

export const isTerminal = (pod: PodObj): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

export const isReady = (pod: PodObj): boolean => (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

export const isTerminating = (pod: PodObj): boolean => pod.metadata?.deletionTimestamp !== undefined;

export function podIPs(pod: PodObj): string[] {
  const ips = (pod.status?.podIPs ?? []).map((p) => p.ip ?? '').filter(Boolean);
  if (ips.length === 0 && pod.status?.podIP) ips.push(pod.status.podIP);
  return ips;
}

export const podIPOf = (pod: PodObj, family: Family): string | undefined => podIPs(pod).find((ip) => ipFamily(ip) === family);

/** Whether a pod appears in endpoints at all: it has an address, has not finished, and (unless asked) is not terminating. */
export function belongsInEndpoints(pod: PodObj, o: { includeTerminating: boolean }): boolean {
  if (isTerminal(pod) || podIPs(pod).length === 0) return false;
  return o.includeTerminating || !isTerminating(pod);
}

/** IP families a service's endpoints are published in. */
export function serviceFamilies(svc: ServiceObj): Family[] {
  const fams = (svc.spec?.ipFamilies ?? []).filter((f): f is Family => f === 'IPv4' || f === 'IPv6');
  if (fams.length > 0) return fams;
  const fam = svc.spec?.clusterIP && svc.spec.clusterIP !== 'None' ? ipFamily(svc.spec.clusterIP) : undefined;
  return [fam ?? 'IPv4'];
}

/**
 * The container port a service port reaches on this pod: a number is taken as is; a name is
 * looked up among the pod's container ports (and sidecar init containers) with the same
 * protocol. Undefined when the pod has no such port; the pod then gets no endpoint for it.
 */
export function resolvePort(pod: PodObj, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  const protocol = sp.protocol ?? 'TCP';
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always')];
  for (const c of containers) for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  return undefined;
}

/** A pod's own DNS hostname is published only for the service named as its subdomain. */
export function hostnameFor(pod: PodObj, svc: ServiceObj): string | undefined {
  const h = pod.spec?.hostname;
  return h && pod.spec?.subdomain === svc.metadata?.name && pod.metadata?.namespace === svc.metadata?.namespace ? h : undefined;
}

/** The parts of a pod endpoints are built from; an update that leaves them alone needs no sync. */
export function endpointRelevant(pod: PodObj): string {
  return JSON.stringify([
    pod.metadata?.labels ?? {},
    podIPs(pod),
    isReady(pod),
    pod.metadata?.deletionTimestamp ?? '',
    pod.status?.phase ?? '',
    pod.spec?.nodeName ?? '',
    pod.spec?.hostname ?? '',
    pod.spec?.subdomain ?? '',
    (pod.spec?.containers ?? []).map((c) => c.ports ?? []),
    (pod.spec?.initContainers ?? []).map((c) => c.ports ?? []),
  ]);
}

/** When a pod last changed in a way endpoints show: its Ready transition, else its creation. */
function podChangeTime(pod: PodObj): string {
  const ready = (pod.status?.conditions ?? []).find((c) => c.type === 'Ready');
  return ready?.lastTransitionTime ?? pod.metadata?.creationTimestamp ?? '';
}

/**
 * The value of `endpoints.kubernetes.io/last-change-trigger-time`: the newest change among the
 * service and the pods its endpoints are built from.
 */
export function lastChangeTime(svc: ServiceObj, pods: PodObj[]): string | undefined {
  let latest = svc.metadata?.creationTimestamp ?? '';
  for (const p of pods) {
    const t = podChangeTime(p);
    if (t && Date.parse(t) > (latest ? Date.parse(latest) : -Infinity)) latest = t;
  }
  return latest || undefined;
}
