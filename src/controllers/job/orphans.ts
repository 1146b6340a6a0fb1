// Pods keep the Job tracking finalizer until their Job counts them; when the Job is deleted or
// has finished first, nobody else would ever remove it and the pods could never go away. This
// sync removes the finalizer from such a pod, after checking the cache still says so.
import { splitKey } from '../../client/index.js';
import { finishedType } from './conditions.js';
import { jobOfPod, type JobEnv } from './env.js';
import { removeOrphanFinalizer } from './pod-control.js';
import { hasTrackingFinalizer } from './pods.js';

export async function syncOrphanPod(env: JobEnv, key: string): Promise<void> {
  const { namespace, name } = splitKey(key);
  const pod = env.pods.get(namespace, name);
  if (!pod || !hasTrackingFinalizer(pod)) return;
  const job = jobOfPod(env, pod);
  if (job && finishedType(job) === undefined) return;
  await removeOrphanFinalizer(env, pod);
}
