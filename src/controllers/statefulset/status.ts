// StatefulSet status counts from its pods: how many exist, are ready, available (ready for
// minReadySeconds), and run the current or the update revision. A rolling update is complete
// when every pod runs the update revision and is ready; the current revision then becomes the
// update revision, which is what `kubectl rollout status sts` waits for.
import type { StatefulSet, StatefulSetStatus } from '../../api/apps/v1/index.js';
import type { Pod } from '../../api/core/v1/index.js';
import { isPodAvailable, isPodReady, isRunning, isTerminating, msUntilAvailable } from '../history/index.js';
import { revisionOfPod } from './identity.js';

export interface Counts {
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
  currentReplicas: number;
  updatedReplicas: number;
  /** When the next ready pod becomes available, to sync again then. */
  recheckInMs: number | undefined;
}

export function countPods(pods: readonly Pod[], o: { current: string; update: string; minReadySeconds: number; now: number }): Counts {
  const c: Counts = { replicas: 0, readyReplicas: 0, availableReplicas: 0, currentReplicas: 0, updatedReplicas: 0, recheckInMs: undefined };
  for (const pod of pods) {
    c.replicas += 1;
    if (isRunning(pod) && isPodReady(pod)) {
      c.readyReplicas += 1;
      if (isPodAvailable(pod, o)) c.availableReplicas += 1;
      else c.recheckInMs = Math.min(c.recheckInMs ?? Infinity, msUntilAvailable(pod, o) ?? 0);
    }
    if (!isTerminating(pod)) {
      const rev = revisionOfPod(pod);
      if (rev === o.current) c.currentReplicas += 1;
      if (rev === o.update) c.updatedReplicas += 1;
    }
  }
  return c;
}

export function buildStatus(set: StatefulSet, o: { counts: Counts; current: string; update: string; collisionCount: number }): StatefulSetStatus {
  const c = o.counts;
  const status: StatefulSetStatus = {
    ...(set.status ?? { replicas: 0 }),
    observedGeneration: set.metadata?.generation ?? 0,
    replicas: c.replicas,
    readyReplicas: c.readyReplicas,
    availableReplicas: c.availableReplicas,
    currentReplicas: c.currentReplicas,
    updatedReplicas: c.updatedReplicas,
    currentRevision: o.current,
    updateRevision: o.update,
    collisionCount: o.collisionCount,
  };
  const rollingDone = set.spec?.updateStrategy?.type !== 'OnDelete' && status.updatedReplicas === status.replicas && status.readyReplicas === status.replicas;
  if (rollingDone) {
    status.currentReplicas = status.updatedReplicas;
    status.currentRevision = status.updateRevision;
  }
  // Like Kubernetes, the optional counts are left out when zero.
  for (const f of ['readyReplicas', 'availableReplicas', 'currentReplicas', 'updatedReplicas'] as const) if (status[f] === 0) delete status[f];
  return status;
}
