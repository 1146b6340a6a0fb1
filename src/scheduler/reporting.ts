// What the scheduler writes back about its decisions, as Kubernetes users see them: a Warning
// `FailedScheduling` event and the PodScheduled=False condition (reason Unschedulable, or
// SchedulerError for errors) with the same message, plus status.nominatedNodeName after a
// preemption; and for each preemption victim a DisruptionTarget condition, the deletion itself
// and a `Preempted` event. Writes are skipped when the pod already says the same thing.
import { podKind, type Pod } from '../api/core/v1/index.js';
import type { Client, EventRecorder } from '../client/index.js';
import { StatusError } from '../lib/errors.js';
import type { PodInfo } from './framework/pod-info.js';

export const SCHEDULER_NAME = 'default-scheduler';
/** Kubernetes truncates scheduling messages in conditions and events to this length. */
const MAX_MESSAGE = 1024;

const ts = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const truncate = (m: string): string => (m.length <= MAX_MESSAGE ? m : `${m.slice(0, MAX_MESSAGE - 3)}...`);
const ignoreNotFound = (e: unknown): undefined => {
  if (e instanceof StatusError && e.reason === 'NotFound') return undefined;
  throw e;
};

export interface ReporterDeps {
  client: Client;
  recorder: EventRecorder;
  now(): Date;
}

export interface Failure {
  reason: 'Unschedulable' | 'SchedulerError';
  message: string;
  /** A node name to nominate, null to clear the nomination, undefined to leave it. */
  nominatedNode?: string | null;
}

export class Reporter {
  constructor(private readonly d: ReporterDeps) {}

  /** Records the failure on the pod; resolves once the status write is done (or was not needed). */
  async failed(pod: Pod, f: Failure): Promise<void> {
    const message = truncate(f.message);
    this.d.recorder.event(pod, 'Warning', 'FailedScheduling', message);
    const current = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    const nominated = pod.status?.nominatedNodeName;
    const conditionSame = current?.status === 'False' && current.reason === f.reason && current.message === message;
    const nominationSame = f.nominatedNode === undefined || (f.nominatedNode ?? undefined) === (nominated || undefined);
    if (conditionSame && nominationSame) return;
    const condition = {
      type: 'PodScheduled',
      status: 'False',
      reason: f.reason,
      message,
      lastProbeTime: null,
      lastTransitionTime: current?.status === 'False' && current.lastTransitionTime ? current.lastTransitionTime : ts(this.d.now()),
    };
    const status: Record<string, unknown> = { conditions: [condition] };
    if (f.nominatedNode !== undefined) status.nominatedNodeName = f.nominatedNode;
    await this.patchStatus(pod, status);
  }

  scheduled(pod: Pod, node: string): void {
    this.d.recorder.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''} to ${node}`);
  }

  /** Evicts one victim for `preemptor`, which will run on `node`. */
  async preemptVictim(victim: PodInfo, o: { preemptor: PodInfo; node: string }): Promise<void> {
    const pod = victim.pod;
    const condition = {
      type: 'DisruptionTarget',
      status: 'True',
      reason: 'PreemptionByScheduler',
      message: `${SCHEDULER_NAME}: preempting to accommodate a higher priority pod`,
      lastTransitionTime: ts(this.d.now()),
    };
    await this.patchStatus(pod, { conditions: [condition] });
    await this.d.client
      .delete(podKind, victim.namespace, victim.name, { preconditions: { uid: victim.uid } })
      .catch(ignoreNotFound);
    this.d.recorder.event(pod, 'Normal', 'Preempted', `Preempted by pod ${o.preemptor.uid} on node ${o.node}`);
  }

  /** Takes back a nomination (a lower-priority pod's, when a higher one claims the node). */
  async clearNomination(pod: PodInfo): Promise<void> {
    if (!pod.pod.status?.nominatedNodeName) return;
    await this.patchStatus(pod.pod, { nominatedNodeName: null });
  }

  private async patchStatus(pod: Pod, status: Record<string, unknown>): Promise<void> {
    await this.d.client
      .patch(podKind, pod.metadata?.namespace, pod.metadata?.name ?? '', { type: 'strategic', body: { status } }, { subresource: 'status' })
      .catch(ignoreNotFound);
  }
}
