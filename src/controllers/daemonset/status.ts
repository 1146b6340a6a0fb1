// DaemonSet status from the cache: per node that should run the daemon, whether it has a pod
// and whether that pod (the oldest one, bound pods first) is ready, available and up to date;
// per node that should not, whether a pod is there anyway. These are the counts `kubectl get ds`
// and `kubectl rollout status ds` read.
import type { DaemonSet, DaemonSetStatus } from '../../api/apps/v1/index.js';
import type { Node, Pod } from '../../api/core/v1/index.js';
import { isPodAvailable, isPodReady, msUntilAvailable } from '../history/index.js';
import { byScheduledThenCreation } from './manage.js';
import { isPodUpdated, nodeEligibility } from './placement.js';

export interface StatusInput {
  ds: DaemonSet;
  nodes: readonly Node[];
  nodeToPods: ReadonlyMap<string, Pod[]>;
  hash: string;
  generation: string | undefined;
  now: number;
  /** False while expectations are pending: the counts are fresh but the spec was not acted on. */
  observed: boolean;
}

export interface StatusResult {
  status: DaemonSetStatus;
  /** When a ready pod will become available (minReadySeconds), so the DaemonSet is synced again then. */
  recheckInMs: number | undefined;
}

export function computeStatus(input: StatusInput): StatusResult {
  const { ds, now } = input;
  const minReadySeconds = ds.spec?.minReadySeconds ?? 0;
  let desired = 0;
  let current = 0;
  let misscheduled = 0;
  let ready = 0;
  let available = 0;
  let updated = 0;
  let recheckInMs: number | undefined;
  for (const node of input.nodes) {
    const pods = [...(input.nodeToPods.get(node.metadata?.name ?? '') ?? [])].sort(byScheduledThenCreation);
    const { shouldRun } = nodeEligibility(ds, node);
    if (!shouldRun) {
      if (pods.length > 0) misscheduled += 1;
      continue;
    }
    desired += 1;
    const pod = pods[0];
    if (!pod) continue;
    current += 1;
    if (isPodReady(pod)) {
      ready += 1;
      if (isPodAvailable(pod, { minReadySeconds, now })) available += 1;
      else {
        const wait = msUntilAvailable(pod, { minReadySeconds, now }) ?? 0;
        recheckInMs = Math.min(recheckInMs ?? Infinity, wait);
      }
    }
    if (isPodUpdated(pod, input)) updated += 1;
  }
  const old = ds.status;
  const status: DaemonSetStatus = {
    ...(old ?? {}),
    currentNumberScheduled: current,
    numberMisscheduled: misscheduled,
    desiredNumberScheduled: desired,
    numberReady: ready,
    updatedNumberScheduled: updated,
    numberAvailable: available,
    numberUnavailable: desired - available,
    observedGeneration: input.observed ? (ds.metadata?.generation ?? 0) : (old?.observedGeneration ?? 0),
  };
  // Like Kubernetes, counts that are optional in the API are left out when zero.
  for (const f of ['updatedNumberScheduled', 'numberAvailable', 'numberUnavailable', 'observedGeneration'] as const) if (status[f] === 0) delete status[f];
  return { status, recheckInMs };
}
