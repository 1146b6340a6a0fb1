// The quality-of-service class of a pod (status.qosClass), derived from its containers' CPU and
// memory requests and limits. The API server sets it on create; the kubelet uses it to pick
// cgroup placement and eviction order.
import type { PodSpec } from './pod-spec.js';
import type { PodStatus } from './pod-status.js';
import { parseQuantity, compareQuantities, type Quantity } from '../../../lib/quantity.js';

export type QOSClass = NonNullable<PodStatus['qosClass']>;

const QOS_RESOURCES = ['cpu', 'memory'] as const;

function add(sums: Map<string, Quantity>, name: string, q: Quantity): void {
  sums.set(name, { value: (sums.get(name)?.value ?? 0) + q.value });
}

/** Guaranteed: every container limits CPU and memory and requests equal limits; BestEffort: none set. */
export function podQOSClass(spec: PodSpec): QOSClass {
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let everyContainerLimited = true;
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    let limited = 0;
    for (const name of QOS_RESOURCES) {
      const req = c.resources?.requests?.[name];
      const lim = c.resources?.limits?.[name];
      const rq = req === undefined ? undefined : parseQuantity(req);
      const lq = lim === undefined ? undefined : parseQuantity(lim);
      // Zero quantities count as unset, as they do in Kubernetes.
      if (rq && rq.value !== 0) add(requests, name, rq);
      if (lq && lq.value !== 0) {
        add(limits, name, lq);
        limited++;
      }
    }
    if (limited < QOS_RESOURCES.length) everyContainerLimited = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (!everyContainerLimited || requests.size !== limits.size) return 'Burstable';
  for (const [name, req] of requests) {
    const lim = limits.get(name);
    if (!lim || compareQuantities(req, lim) !== 0) return 'Burstable';
  }
  return 'Guaranteed';
}
