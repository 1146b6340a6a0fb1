// One pass of the StatefulSet algorithm over the set's pods. Pods are slotted by ordinal:
// missing ones are created (with their claims first); failed or finished ones are deleted so
// they come back; pods above the replica count are condemned and deleted from the highest
// ordinal down. With OrderedReady every step waits for all lower ordinals to be Running and
// Ready, one change per pass; Parallel does everything at once. Then, for RollingUpdate, the
// highest-ordinal pod not at the update revision (down to the partition) is deleted, to be
// re-created from the new template once its successors are healthy again.
import type { ControllerRevision, StatefulSet } from '../../api/apps/v1/index.js';
import type { Pod } from '../../api/core/v1/index.js';
import { isPodAvailable, isPodReady, isRunning, isTerminating, templateOf } from '../history/index.js';
import { identityMatches, newStatefulPod, ordinalOf, revisionOfPod, startOrdinal, storageMatches } from './identity.js';
import type { Counts } from './status.js';

/** The writes a pass makes; the controller implements them with events and expectations. */
export interface StatefulActions {
  /** Creates the pod's missing claims, then the pods, in slow-start batches. */
  createPods(pods: Pod[]): Promise<void>;
  deletePod(pod: Pod): Promise<void>;
  /** Restores identity labels, missing claims and claim owners of an existing pod; no-op when all agree. */
  repairPod(pod: Pod, o: { scaledDown: boolean }): Promise<void>;
  /** True when the pod's claims carry the owners the retention policy wants. */
  claimsMatch(pod: Pod, o: { scaledDown: boolean }): boolean;
  warn(reason: string, message: string): void;
}

export interface PassInput {
  set: StatefulSet;
  current: ControllerRevision;
  update: ControllerRevision;
  pods: readonly Pod[];
  counts: Counts;
  now: number;
  actions: StatefulActions;
}

const healthy = (p: Pod): boolean => isRunning(p) && isPodReady(p) && !isTerminating(p);

/** Pods in their slots; `created` is false for pods this pass has yet to create. */
interface Slot {
  pod: Pod;
  created: boolean;
}

function newVersionedPod(input: PassInput, ordinal: number): Pod {
  const { set, current, update } = input;
  const strategy = set.spec?.updateStrategy;
  const start = startOrdinal(set);
  const ru = strategy?.rollingUpdate;
  const keepCurrent =
    strategy?.type === 'RollingUpdate' && (ru ? ordinal < start + (ru.partition ?? 0) : ordinal < start + (set.status?.currentReplicas ?? 0));
  if (keepCurrent) {
    const currentSet: StatefulSet = { ...set, spec: { ...(set.spec ?? { selector: {}, template: {} }), template: templateOf(current) } } as StatefulSet;
    return newStatefulPod(currentSet, { ordinal, revision: current.metadata?.name ?? '' });
  }
  return newStatefulPod(set, { ordinal, revision: update.metadata?.name ?? '' });
}

function adjust(counts: Counts, pod: Pod, o: { input: PassInput; delta: 1 | -1 }): void {
  const rev = revisionOfPod(pod);
  counts.replicas += o.delta;
  if (rev === o.input.current.metadata?.name) counts.currentReplicas += o.delta;
  if (rev === o.input.update.metadata?.name) counts.updatedReplicas += o.delta;
}

export async function runPass(input: PassInput): Promise<void> {
  const { set, actions, counts } = input;
  if (set.metadata?.deletionTimestamp) return;
  const start = startOrdinal(set);
  const replicaCount = set.spec?.replicas ?? 1;
  const minReadySeconds = set.spec?.minReadySeconds ?? 0;
  const available = (p: Pod): boolean => isPodAvailable(p, { minReadySeconds, now: input.now });
  const monotonic = set.spec?.podManagementPolicy !== 'Parallel';

  const slots: (Slot | undefined)[] = new Array<Slot | undefined>(replicaCount).fill(undefined);
  const condemned: Pod[] = [];
  for (const pod of input.pods) {
    const ord = ordinalOf(pod);
    if (ord >= start && ord < start + replicaCount) slots[ord - start] = { pod, created: true };
    else if (ord >= 0) condemned.push(pod);
  }
  condemned.sort((a, b) => ordinalOf(b) - ordinalOf(a));
  for (let i = 0; i < replicaCount; i++) slots[i] ??= { pod: newVersionedPod(input, start + i), created: false };
  const replicas = slots as Slot[];
  const firstUnhealthy = [...replicas.map((s) => s.pod), ...condemned].find((p) => !healthy(p));

  const toCreate: Pod[] = [];
  for (const slot of replicas) {
    const pod = slot.pod;
    if (slot.created && !isTerminating(pod) && (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded')) {
      const failed = pod.status?.phase === 'Failed';
      actions.warn(
        failed ? 'RecreatingFailedPod' : 'RecreatingTerminatedPod',
        `StatefulSet ${set.metadata?.namespace ?? ''}/${set.metadata?.name ?? ''} is recreating ${failed ? 'failed' : 'terminated'} Pod ${pod.metadata?.name ?? ''}`,
      );
      await actions.deletePod(pod);
      adjust(counts, pod, { input, delta: -1 });
      if (monotonic) return;
      continue;
    }
    if (!slot.created) {
      if (monotonic) {
        await actions.createPods([pod]);
        adjust(counts, pod, { input, delta: 1 });
        return;
      }
      toCreate.push(pod);
      continue;
    }
    if (monotonic && (isTerminating(pod) || !healthy(pod) || !available(pod))) return;
    if (isTerminating(pod)) continue;
    if (!identityMatches(set, pod) || !storageMatches(set, pod) || !actions.claimsMatch(pod, { scaledDown: false })) {
      await actions.repairPod(pod, { scaledDown: false });
    }
  }
  if (toCreate.length > 0) {
    await actions.createPods(toCreate);
    for (const pod of toCreate) adjust(counts, pod, { input, delta: 1 });
  }

  for (const pod of condemned) {
    if (isTerminating(pod)) {
      if (monotonic) return;
      continue;
    }
    if (monotonic && pod !== firstUnhealthy && (!healthy(pod) || !available(pod))) return;
    // whenScaled=Delete: the pod becomes its claims' owner just before it goes, so they follow it.
    if (!actions.claimsMatch(pod, { scaledDown: true })) await actions.repairPod(pod, { scaledDown: true });
    await actions.deletePod(pod);
    adjust(counts, pod, { input, delta: -1 });
    if (monotonic) return;
  }

  if (set.spec?.updateStrategy?.type === 'OnDelete') return;
  const partition = set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
  for (let i = replicas.length - 1; i >= partition; i--) {
    const slot = replicas[i] as Slot;
    if (slot.created && revisionOfPod(slot.pod) !== input.update.metadata?.name && !isTerminating(slot.pod)) {
      await actions.deletePod(slot.pod);
      if (revisionOfPod(slot.pod) === input.current.metadata?.name) counts.currentReplicas -= 1;
      return;
    }
    if (!slot.created || !healthy(slot.pod)) return;
  }
}
