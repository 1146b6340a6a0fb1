// Creating, deleting and un-finalizing a Job's pods. Pods are stamped from the template with a
// controller reference and the tracking finalizer (Indexed pods also get their index as
// annotation, label, JOB_COMPLETION_INDEX and host name `<job>-<index>`); creates go out in
// slow-start batches (1, 2, 4, ...) and every outcome becomes the Event users know.
import { podKind, type Pod } from '../../api/core/v1/index.js';
import { jobKind, type Job } from '../../api/batch/v1/index.js';
import { StatusError } from '../../lib/errors.js';
import { controllerRefOf } from '../runtime/index.js';
import type { JobEnv } from './env.js';
import { COMPLETION_INDEX_ENV, COMPLETION_INDEX_KEY } from './indexes.js';
import { JOB_TRACKING_FINALIZER, hasTrackingFinalizer } from './pods.js';

type Container = NonNullable<Pod['spec']>['containers'][number];

/** Generated names leave 5 characters of the 63 allowed for the random suffix. */
const MAX_GENERATED_PREFIX = 58;

const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const notFound = (err: unknown): boolean => err instanceof StatusError && err.reason === 'NotFound';

function generateName(jobName: string, index: number | undefined): string {
  if (index === undefined) return `${jobName}-`;
  const tail = `-${index}-`;
  const prefix = `${jobName}${tail}`;
  return prefix.length <= MAX_GENERATED_PREFIX ? prefix : `${jobName.slice(0, MAX_GENERATED_PREFIX - tail.length)}${tail}`;
}

function addIndexEnv(c: Container): void {
  if ((c.env ?? []).some((e) => e.name === COMPLETION_INDEX_ENV)) return;
  (c.env ??= []).push({
    name: COMPLETION_INDEX_ENV,
    valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: `metadata.annotations['${COMPLETION_INDEX_KEY}']` } },
  });
}

export function podFromTemplate(job: Job, index: number | undefined): Pod {
  const t = job.spec?.template ?? {};
  const meta = t.metadata ?? {};
  const name = job.metadata?.name ?? '';
  const labels = { ...meta.labels };
  const annotations = { ...meta.annotations };
  const spec = structuredClone(t.spec ?? { containers: [] });
  if (index !== undefined) {
    annotations[COMPLETION_INDEX_KEY] = String(index);
    labels[COMPLETION_INDEX_KEY] = String(index);
    spec.hostname = `${name}-${index}`;
    for (const c of [...(spec.initContainers ?? []), ...spec.containers]) addIndexEnv(c);
  }
  const finalizers = [...(meta.finalizers ?? [])];
  if (!finalizers.includes(JOB_TRACKING_FINALIZER)) finalizers.push(JOB_TRACKING_FINALIZER);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: generateName(name, index),
      namespace: job.metadata?.namespace,
      ...(Object.keys(labels).length > 0 ? { labels } : {}),
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      finalizers,
      ownerReferences: [controllerRefOf(job, jobKind)],
    },
    spec,
  };
}

/**
 * Creates one pod per entry of `indexes` (undefined entries for NonIndexed Jobs) in slow-start
 * batches, telling the expectations about every create that will never be observed. Returns
 * how many were created and, when a batch failed (nothing more is then attempted), the first error.
 */
export async function createPods(env: JobEnv, o: { key: string; job: Job; indexes: (number | undefined)[] }): Promise<{ created: number; error?: unknown }> {
  const total = o.indexes.length;
  env.expectations.expectCreations(o.key, total);
  let created = 0;
  let next = 0;
  for (let batch = Math.min(1, total); batch > 0; batch = Math.min(2 * batch, total - next)) {
    const slice = o.indexes.slice(next, next + batch);
    next += slice.length;
    const results = await Promise.allSettled(slice.map((index) => createOne(env, { job: o.job, index })));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    created += results.filter((r) => r.status === 'fulfilled').length;
    if (failed) {
      for (let i = created; i < total; i++) env.expectations.creationFailed(o.key);
      return { created, error: failed.reason };
    }
  }
  return { created };
}

async function createOne(env: JobEnv, o: { job: Job; index: number | undefined }): Promise<void> {
  const { job, index } = o;
  try {
    const pod = await env.client.create<Pod>(podKind, job.metadata?.namespace, podFromTemplate(job, index));
    env.recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata?.name ?? ''}`);
  } catch (err) {
    env.recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${describe(err)}`);
    throw err;
  }
}

/**
 * Deletes pods. With `keepFinalizers` (a failing Job) the pods stay until the status has counted
 * them as failed, and no deletion is expected; otherwise (scale-down, suspend) their finalizer
 * goes first so they are never counted, and the expectations wait for each deletion to be seen.
 * Returns how many are gone or going and the first error, after trying all.
 */
export async function deletePods(env: JobEnv, o: { key: string; job: Job; pods: Pod[]; keepFinalizers: boolean }): Promise<{ deleted: number; error?: unknown }> {
  const podKey = (p: Pod): string => `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`;
  if (!o.keepFinalizers) env.expectations.expectDeletions(o.key, o.pods.map(podKey));
  let deleted = 0;
  const errors: unknown[] = [];
  await Promise.all(
    o.pods.map(async (pod) => {
      const ns = pod.metadata?.namespace;
      const name = pod.metadata?.name ?? '';
      try {
        if (!o.keepFinalizers && hasTrackingFinalizer(pod)) await env.client.patch(podKind, ns, name, removeFinalizerPatch());
        await env.client.delete(podKind, ns, name, { preconditions: { uid: pod.metadata?.uid ?? '' } });
        env.recorder.event(o.job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
        deleted++;
      } catch (err) {
        // A delete that failed, or found the pod already gone, will not be observed from here on.
        if (!o.keepFinalizers) env.expectations.deletionObserved(o.key, podKey(pod));
        if (notFound(err)) {
          deleted++;
          return;
        }
        env.recorder.event(o.job, 'Warning', 'FailedDelete', `Error deleting: ${describe(err)}`);
        errors.push(err);
      }
    }),
  );
  return errors.length > 0 ? { deleted, error: errors[0] } : { deleted };
}

const removeFinalizerPatch = (): { type: 'strategic'; body: unknown } => ({
  type: 'strategic',
  body: { metadata: { [`$deleteFromPrimitiveList/finalizers`]: [JOB_TRACKING_FINALIZER] } },
});

/**
 * Removes the tracking finalizer from pods the status has accounted for. Returns the uids whose
 * finalizer is gone (a pod already deleted counts) and, after trying all, the first error.
 */
export async function removeFinalizers(env: JobEnv, o: { key: string; pods: Pod[] }): Promise<{ removed: Set<string>; error?: unknown }> {
  const removed = new Set<string>();
  let error: unknown;
  env.finalizers.expect(o.key, o.pods.map((p) => p.metadata?.uid ?? ''));
  await Promise.all(
    o.pods.map(async (pod) => {
      const uid = pod.metadata?.uid ?? '';
      try {
        await env.client.patch(podKind, pod.metadata?.namespace, pod.metadata?.name ?? '', removeFinalizerPatch());
        removed.add(uid);
      } catch (err) {
        // A failed patch will never be observed, so stop waiting for it.
        env.finalizers.observed(o.key, uid);
        if (notFound(err)) removed.add(uid);
        else error ??= err;
      }
    }),
  );
  return error === undefined ? { removed } : { removed, error };
}

/** Removes the tracking finalizer from one pod whose Job is gone or finished. */
export async function removeOrphanFinalizer(env: JobEnv, pod: Pod): Promise<void> {
  try {
    await env.client.patch(podKind, pod.metadata?.namespace, pod.metadata?.name ?? '', removeFinalizerPatch());
  } catch (err) {
    if (!notFound(err)) throw err;
  }
}
