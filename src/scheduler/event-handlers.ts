// How informer events reach the scheduler: bound pods and nodes update the cache; pods waiting
// for a node enter, change in or leave the queue; and changes that could make waiting pods fit
// (a node added or changed in a way that matters, a bound pod added, changed or gone, a volume
// object changed) move the unschedulable pods whose rejecting plugins care about that event.
import type { Node, Pod } from '../api/core/v1/index.js';
import type { SchedulerCache } from './cache/cache.js';
import type { Nominator } from './cache/nominator.js';
import { podInfo } from './framework/pod-info.js';
import type { ClusterEvent } from './framework/types.js';
import type { SchedulingQueue } from './queue/scheduling-queue.js';
import { SCHEDULER_NAME } from './reporting.js';

export interface HandlerDeps {
  cache: SchedulerCache;
  queue: SchedulingQueue;
  nominator: Nominator;
  /** Moves the unschedulable pods this event may help. */
  moved(event: ClusterEvent): void;
}

const json = (v: unknown): string => JSON.stringify(v ?? null);

/** Whether a pod is ours to place: right scheduler, no node yet, not going away. */
export function wantsScheduling(pod: Pod): boolean {
  const name = pod.spec?.schedulerName || SCHEDULER_NAME;
  const phase = pod.status?.phase;
  return name === SCHEDULER_NAME && !pod.spec?.nodeName && !pod.metadata?.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
}

const terminal = (pod: Pod): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

const ready = (n: Node): string | undefined => n.status?.conditions?.find((c) => c.type === 'Ready')?.status;

/** Heartbeats rewrite node status all the time; only these changes can help a pending pod. */
function nodeSchedulingChanged(a: Node, b: Node): boolean {
  return (
    a !== b &&
    (json(a.metadata?.labels) !== json(b.metadata?.labels) ||
      json(a.spec?.taints) !== json(b.spec?.taints) ||
      a.spec?.unschedulable !== b.spec?.unschedulable ||
      json(a.status?.allocatable) !== json(b.status?.allocatable) ||
      ready(a) !== ready(b))
  );
}

/** A change the pod's own scheduling could depend on (not just its status). */
const podSpecChanged = (a: Pod, b: Pod): boolean => a !== b && (json(a.spec) !== json(b.spec) || json(a.metadata?.labels) !== json(b.metadata?.labels));

export class EventHandlers {
  constructor(private readonly d: HandlerDeps) {}

  nodeAdded(n: Node): void {
    this.d.cache.setNode(n);
    this.d.moved('NodeAdd');
  }

  nodeUpdated(old: Node, n: Node): void {
    this.d.cache.setNode(n);
    if (nodeSchedulingChanged(old, n)) this.d.moved('NodeUpdate');
  }

  nodeDeleted(n: Node): void {
    this.d.cache.removeNode(n.metadata?.name ?? '');
  }

  podAdded(pod: Pod): void {
    this.podChanged(undefined, pod);
  }

  podUpdated(old: Pod, pod: Pod): void {
    this.podChanged(old, pod);
  }

  podDeleted(pod: Pod): void {
    const uid = pod.metadata?.uid ?? '';
    this.d.queue.delete(uid);
    this.d.nominator.remove(uid);
    if (this.d.cache.nodeOf(uid) !== undefined) {
      this.d.cache.removePod(uid);
      this.d.moved('AssignedPodDelete');
    }
  }

  private podChanged(old: Pod | undefined, pod: Pod): void {
    const info = podInfo(pod);
    const node = pod.spec?.nodeName;
    if (node) {
      this.d.queue.delete(info.uid);
      this.d.nominator.remove(info.uid);
      const known = this.d.cache.nodeOf(info.uid) !== undefined;
      if (terminal(pod)) {
        // Finished pods hold nothing on their node.
        if (known) {
          this.d.cache.removePod(info.uid);
          this.d.moved('AssignedPodDelete');
        }
        return;
      }
      const wasAssumed = this.d.cache.isAssumed(info.uid);
      this.d.cache.setPod(info, node);
      // A confirmed assumption is news to pods waiting for it (pod affinity, spreading).
      if (!known || wasAssumed) this.d.moved('AssignedPodAdd');
      else if (!wasAssumed && old && podSpecChanged(old, pod)) this.d.moved('AssignedPodUpdate');
      return;
    }
    if (!wantsScheduling(pod)) {
      this.d.queue.delete(info.uid);
      this.d.nominator.remove(info.uid);
      return;
    }
    // A pod whose binding is in flight is the scheduler's own business until it lands.
    if (this.d.cache.isAssumed(info.uid)) return;
    if (pod.status?.nominatedNodeName) this.d.nominator.nominate(info, pod.status.nominatedNodeName);
    else this.d.nominator.refresh(info);
    if (!this.d.queue.contains(info.uid)) this.d.queue.add(info);
    else this.d.queue.update(info, { retry: !old || podSpecChanged(old, pod) });
  }
}
