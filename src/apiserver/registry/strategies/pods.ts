// Pods: created Pending with their QoS class; deleted gracefully when a kubelet runs them (the
// object stays, with deletionTimestamp, until the kubelet confirms the containers are gone),
// at once when no node was ever assigned or the pod already finished.
import type { ApiObject } from '../../../api/kind.js';
import type { Strategy } from '../strategy.js';
import { addDefaultTolerations } from './pod-default-tolerations.js';

interface PodLike {
  spec?: {
    nodeName?: string;
    terminationGracePeriodSeconds?: number;
    containers?: { resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> } }[];
    initContainers?: { resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> } }[];
  };
  status?: { phase?: string };
}

/** Guaranteed when every container limits and requests cpu and memory equally; BestEffort when none set anything. */
export function qosClass(pod: PodLike): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length > 0 || Object.keys(lim).length > 0) any = true;
    for (const r of ['cpu', 'memory']) {
      if (lim[r] === undefined || (req[r] !== undefined && String(req[r]) !== String(lim[r]))) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

export const podStrategy: Strategy = {
  tracksGeneration: false,
  allowCreateOnUpdate: false,
  prepareForCreate(obj: ApiObject) {
    const pod = obj as PodLike & ApiObject;
    addDefaultTolerations(obj);
    obj.status = { phase: 'Pending', qosClass: qosClass(pod) };
  },
  gracePeriod(obj: ApiObject, requested: number | undefined) {
    const pod = obj as PodLike & ApiObject;
    if (!pod.spec?.nodeName) return 0;
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return 0;
    return requested ?? pod.spec.terminationGracePeriodSeconds ?? 30;
  },
};
