// Creating and deleting a ReplicaSet's pods: pods are stamped from the template (labels,
// annotations, finalizers and spec, a `<name>-` generated name and a controller reference), go out
// in slow-start batches (1, 2, 4, ...) so a failing create (quota, admission) costs one request
// rather than hundreds, and every outcome becomes the Event users know from Kubernetes.
import { podKind, type Pod } from '../../api/core/v1/index.js';
import { replicaSetKind, type ReplicaSet } from '../../api/apps/v1/index.js';
import type { Client, EventRecorder } from '../../client/index.js';
import { StatusError } from '../../lib/errors.js';
import { controllerRefOf } from '../runtime/index.js';

/**
 * Runs `fn` `count` times in batches that double in size while every call succeeds. Returns
 * how many succeeded and the first error; after a failing batch nothing more is attempted.
 */
export async function slowStartBatch(count: number, o: { initialBatch: number; fn: () => Promise<void> }): Promise<{ successes: number; error?: unknown }> {
  let remaining = count;
  let successes = 0;
  for (let batch = Math.min(remaining, o.initialBatch); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => o.fn()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += results.filter((r) => r.status === 'fulfilled').length;
    if (failed) return { successes, error: failed.reason };
    remaining -= batch;
  }
  return { successes };
}

/** Kubernetes falls back to the bare name when `<name>-` would be too long for a name. */
function generateNamePrefix(name: string): string {
  return name.length + 1 <= 253 ? `${name}-` : name;
}

export function podFromTemplate(rs: ReplicaSet): Pod {
  const t = rs.spec?.template ?? {};
  const meta = t.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: generateNamePrefix(rs.metadata?.name ?? ''),
      namespace: rs.metadata?.namespace,
      ...(meta.labels ? { labels: structuredClone(meta.labels) } : {}),
      ...(meta.annotations ? { annotations: structuredClone(meta.annotations) } : {}),
      ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
      ownerReferences: [controllerRefOf(rs, replicaSetKind)],
    },
    spec: structuredClone(t.spec ?? { containers: [] }),
  } as Pod;
}

const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export async function createPod(o: { client: Client; recorder: EventRecorder; rs: ReplicaSet }): Promise<void> {
  try {
    const pod = await o.client.create<Pod>(podKind, o.rs.metadata?.namespace, podFromTemplate(o.rs));
    o.recorder.event(o.rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata?.name ?? ''}`);
  } catch (err) {
    o.recorder.event(o.rs, 'Warning', 'FailedCreate', `Error creating: ${describe(err)}`);
    throw err;
  }
}

/** Deletes a pod; a pod already gone is not an error (returns false). */
export async function deletePod(o: { client: Client; recorder: EventRecorder; rs: ReplicaSet; pod: Pod }): Promise<boolean> {
  const name = o.pod.metadata?.name ?? '';
  try {
    await o.client.delete(podKind, o.pod.metadata?.namespace, name, { preconditions: { uid: o.pod.metadata?.uid ?? '' } });
    o.recorder.event(o.rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
    return true;
  } catch (err) {
    if (err instanceof StatusError && err.reason === 'NotFound') return false;
    o.recorder.event(o.rs, 'Warning', 'FailedDelete', `Error deleting: ${describe(err)}`);
    throw err;
  }
}
