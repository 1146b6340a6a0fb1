// A ReplicaSet's status as Kubernetes computes it: how many active pods it controls, how many
// carry all the template's labels, are Ready, and have been Ready for minReadySeconds; the
// generation acted on; and a ReplicaFailure condition while creating or deleting pods fails.
import type { Pod } from '../../api/core/v1/index.js';
import type { ReplicaSet, ReplicaSetStatus } from '../../api/apps/v1/index.js';
import { podView } from './pod-view.js';
import { isAvailable } from './pods.js';
import { timestamp } from './semantic.js';

type Condition = NonNullable<ReplicaSetStatus['conditions']>[number];

function fullyLabeled(pod: Pod, template: readonly [string, string][]): boolean {
  const labels = pod.metadata?.labels ?? {};
  for (const [k, v] of template) if (labels[k] !== v) return false;
  return true;
}

/** The counts of status, in one pass: a sync runs this over every pod of the ReplicaSet. */
function countPods(pods: readonly Pod[], o: { template: readonly [string, string][]; minReadySeconds: number; now: number }): { labeled: number; ready: number; available: number } {
  let labeled = 0;
  let ready = 0;
  let available = 0;
  for (const p of pods) {
    if (fullyLabeled(p, o.template)) labeled++;
    const v = podView(p);
    if (!v.ready) continue;
    ready++;
    if (isAvailable(v, o)) available++;
  }
  return { labeled, ready, available };
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
  const template = Object.entries(i.rs.spec?.template?.metadata?.labels ?? {});
  const counts = countPods(i.pods, { template, minReadySeconds, now: i.now });
  const status: ReplicaSetStatus = {
    replicas: i.pods.length,
    fullyLabeledReplicas: counts.labeled,
    readyReplicas: counts.ready,
    availableReplicas: counts.available,
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
