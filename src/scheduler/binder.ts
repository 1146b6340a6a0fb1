// The binding half of scheduling, which runs concurrently for many pods while the scheduler
// moves on: PreBind plugins (volume provisioning hints), then the pods/binding write, then the
// `Scheduled` event. The pod was assumed onto its node before this started; if anything fails,
// the assumption is forgotten (freeing the room for others), the failure is reported and the
// pod goes back to the queue with backoff. A pod deleted or bound by someone else meanwhile is
// simply dropped.
import { podKind } from '../api/core/v1/index.js';
import type { Client } from '../client/index.js';
import { StatusError } from '../lib/errors.js';
import type { SchedulerCache } from './cache/cache.js';
import type { CycleState } from './framework/cycle-state.js';
import type { Framework } from './framework/framework.js';
import type { QueuedPod, SchedulingQueue } from './queue/scheduling-queue.js';
import type { Reporter } from './reporting.js';

export interface BinderDeps {
  client: Client;
  framework: Framework;
  cache: SchedulerCache;
  queue: SchedulingQueue;
  reporter: Reporter;
  /** Called when an assumed pod is forgotten, since its room is free again. */
  onForget(): void;
  /** How long PreBind may wait (for volumes to be provisioned). */
  bindTimeoutMs: number;
  signal: AbortSignal;
}

const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export class Binder {
  constructor(private readonly d: BinderDeps) {}

  async bind(qp: QueuedPod, state: CycleState, node: string): Promise<void> {
    const pod = qp.pod;
    let stage = 'PreBind';
    try {
      await this.d.framework.runPreBind(state, pod, { nodeName: node, signal: this.d.signal, timeoutMs: this.d.bindTimeoutMs });
      stage = 'Bind';
      await this.d.client.createSubresource(podKind, pod.namespace, pod.name, 'binding', {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: pod.name, namespace: pod.namespace, uid: pod.uid },
        target: { apiVersion: 'v1', kind: 'Node', name: node },
      });
      this.d.queue.done(pod.uid);
      this.d.reporter.scheduled(qp.pod.pod, node);
    } catch (err) {
      this.d.cache.forget(pod.uid);
      this.d.onForget();
      if (err instanceof StatusError && (err.reason === 'NotFound' || (err.reason === 'Conflict' && /already assigned|being deleted/.test(err.message)))) {
        this.d.queue.done(pod.uid);
        return;
      }
      if (this.d.signal.aborted) {
        this.d.queue.done(pod.uid);
        return;
      }
      const message = stage === 'Bind' ? `Binding rejected: running Bind plugin "DefaultBinder": ${errorMessage(err)}` : `running PreBind plugin "VolumeBinding": ${errorMessage(err)}`;
      this.d.queue.addBackoff(qp);
      await this.d.reporter.failed(qp.pod.pod, { reason: 'SchedulerError', message });
    }
  }
}
