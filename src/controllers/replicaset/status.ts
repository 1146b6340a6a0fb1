// A ReplicaSet's status as Kubernetes computes it: how many active pods it controls, how many
// carry all the template's labels, are Ready, and have been Ready for minReadySeconds; the
// generation acted on; and a ReplicaFailure condition while creating or deleting pods fails.
import type { Pod } from '../../api/core/v1/index.js';
import type { ReplicaSet, ReplicaSetStatus } from '../../api/apps/v1/index.js';
import { isPodAvailable, isPodReady } from './pods.js';
import { timestamp } from './semantic.js';

type Condition = NonNullable<ReplicaSetStatus['conditions']>[number];

function fullyLabeled(pod: Pod, templateLabels: Record<string, string>): boolean {
  const labels = pod.metadata?.labels ?? {};
  return Object.entries(templateLabels).every(([k, v]) => labels[k] === v);
}

export interface StatusInput {
  rs: ReplicaSet;
  /** Active pods the ReplicaSet controls. */
  pods: Pod[];
  now: number;
  /** The error of this sync's creates or deletes, if any. */
  manageError?: unknown;
}

export function calculateStatus(i: StatusInput): ReplicaSetStatus {
  const minReadySeconds = i.rs.spec?.minReadySeconds ?? 0;
  const templateLabels = i.rs.spec?.template?.metadata?.labels ?? {};
  const status: ReplicaSetStatus = {
    replicas: i.pods.length,
    fullyLabeledReplicas: i.pods.filter((p) => fullyLabeled(p, templateLabels)).length,
    readyReplicas: i.pods.filter(isPodReady).length,
    availableReplicas: i.pods.filter((p) => isPodAvailable(p, { minReadySeconds, now: i.now })).length,
    observedGeneration: i.rs.metadata?.generation ?? 0,
  };
  let conditions: Condition[] = [...(i.rs.status?.conditions ?? [])];
  const failure = conditions.find((c) => c.type === 'ReplicaFailure');
  if (i.manageError !== undefined && !failure) {
    const diff = i.pods.length - (i.rs.spec?.replicas ?? 1);
    conditions.push({
      type: 'ReplicaFailure',
      status: 'True',
      lastTransitionTime: timestamp(i.now),
      reason: diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '',
      message: i.manageError instanceof Error ? i.manageError.message : String(i.manageError),
    });
  } else if (i.manageError === undefined && failure) {
    conditions = conditions.filter((c) => c.type !== 'ReplicaFailure');
  }
  if (conditions.length > 0) status.conditions = conditions;
  return status;
}
