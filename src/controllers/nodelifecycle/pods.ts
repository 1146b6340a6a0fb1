// Pods by node, for the two controllers of this folder, and marking a dead node's pods not
// ready: once a node stops being Ready its pods' Ready conditions are set False (through the
// status subresource, as the kubelet would), so endpoints stop sending traffic to them long
// before any eviction.
import { podKind, type Pod } from '../../api/core/v1/index.js';
import type { Client, EventRecorder, Informer } from '../../client/index.js';
import { StatusError } from '../../lib/errors.js';

const PODS_BY_NODE = 'nodelifecycle-node';

/** Indexes the pod informer by spec.nodeName (once, whoever asks first). */
export function indexPodsByNode(pods: Informer<Pod>): void {
  pods.store.addIndex(PODS_BY_NODE, (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []));
}

export const podsOnNode = (pods: Informer<Pod>, node: string): Pod[] => pods.store.byIndex(PODS_BY_NODE, node);

/** RFC 3339 to the second, as API timestamps are written. */
export const apiTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export async function markPodsNotReady(o: { client: Client; recorder: EventRecorder; pods: Pod[]; now: number }): Promise<void> {
  let failure: unknown;
  for (const pod of o.pods) {
    const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
    if (!ready || ready.status === 'False' || pod.metadata?.deletionTimestamp) continue;
    try {
      await o.client.patch(
        podKind,
        pod.metadata?.namespace,
        pod.metadata?.name ?? '',
        { type: 'strategic', body: { status: { conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: apiTime(o.now) }] } } },
        { subresource: 'status' },
      );
      o.recorder.event(pod, 'Warning', 'NodeNotReady', 'Node is not ready');
    } catch (err) {
      if (err instanceof StatusError && err.reason === 'NotFound') continue;
      failure ??= err;
    }
  }
  if (failure !== undefined) throw failure;
}
