// The writes a DaemonSet sync makes to pods: creations in slow-start batches (1, 2, 4, ...; a
// failing batch stops the rest, so a quota or admission error costs one request, not hundreds)
// and deletions, each recorded as the Event Kubernetes users know and counted in expectations
// so the next sync waits until the informer has seen them.
import { daemonSetKind, type DaemonSet } from '../../api/apps/v1/index.js';
import { podKind, type Pod } from '../../api/core/v1/index.js';
import type { Client, EventRecorder } from '../../client/index.js';
import { keyFor } from '../../client/index.js';
import { StatusError } from '../../lib/errors.js';
import { controllerRefOf, type Expectations } from '../runtime/index.js';
import { daemonPodTemplate } from './placement.js';

/** At most this many creations plus deletions per sync, as Kubernetes' burstReplicas. */
export const BURST = 250;

export interface PodControl {
  client: Client;
  recorder: EventRecorder;
  expectations: Expectations;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

function newDaemonPod(ds: DaemonSet, o: { nodeName: string; hash: string }): Pod {
  const t = daemonPodTemplate(ds, o);
  const m = t.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${ds.metadata?.name ?? ''}-`,
      namespace: ds.metadata?.namespace,
      labels: m.labels,
      ...(m.annotations ? { annotations: m.annotations } : {}),
      ...(m.finalizers ? { finalizers: m.finalizers } : {}),
      ownerReferences: [controllerRefOf(ds, daemonSetKind)],
    },
    spec: t.spec ?? { containers: [] },
  };
}

/** Creates one pod per node name; throws the first error after the batch it happened in. */
export async function createDaemonPods(pc: PodControl, o: { ds: DaemonSet; key: string; nodes: string[]; hash: string }): Promise<void> {
  const { ds, key } = o;
  pc.expectations.expectCreations(key, o.nodes.length);
  let next = 0;
  let batch = 1;
  let firstError: unknown;
  while (next < o.nodes.length && firstError === undefined) {
    const names = o.nodes.slice(next, next + batch);
    next += names.length;
    await Promise.all(
      names.map(async (nodeName) => {
        try {
          const pod = await pc.client.create<Pod>(podKind, ds.metadata?.namespace, newDaemonPod(ds, { nodeName, hash: o.hash }));
          pc.recorder.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata?.name ?? ''}`);
        } catch (err) {
          pc.expectations.creationFailed(key);
          // A namespace being deleted refuses new pods; that is expected, not worth an event.
          if (!(err instanceof StatusError && err.reason === 'Forbidden' && /being terminated/.test(err.message))) {
            pc.recorder.event(ds, 'Warning', 'FailedCreate', `Error creating: ${message(err)}`);
          }
          firstError ??= err;
        }
      }),
    );
    batch *= 2;
  }
  // Creations never attempted will never be observed.
  for (let i = next; i < o.nodes.length; i++) pc.expectations.creationFailed(key);
  if (firstError !== undefined) throw firstError;
}

export async function deleteDaemonPods(pc: PodControl, o: { ds: DaemonSet; key: string; pods: Pod[] }): Promise<void> {
  const { ds, key } = o;
  const podKey = (p: Pod): string => keyFor(p.metadata?.namespace, p.metadata?.name ?? '');
  pc.expectations.expectDeletions(key, o.pods.map(podKey));
  const errors: unknown[] = [];
  await Promise.all(
    o.pods.map(async (pod) => {
      const name = pod.metadata?.name ?? '';
      try {
        await pc.client.delete(podKind, pod.metadata?.namespace, name, { preconditions: { uid: pod.metadata?.uid ?? '' } });
        pc.recorder.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
      } catch (err) {
        pc.expectations.deletionObserved(key, podKey(pod));
        if (err instanceof StatusError && (err.reason === 'NotFound' || err.reason === 'Conflict')) return;
        pc.recorder.event(ds, 'Warning', 'FailedDelete', `Error deleting: ${message(err)}`);
        errors.push(err);
      }
    }),
  );
  if (errors.length > 0) throw errors[0];
}
