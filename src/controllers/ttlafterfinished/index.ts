// The TTL-after-finished controller: deletes a Job ttlSecondsAfterFinished seconds after it
// finished (its Complete or Failed condition's transition time), as Kubernetes does — the
// deletion cascades in the foreground, so the Job disappears only after its pods, and is made
// only after a fresh read confirms the TTL (the cache may hold an older one). Public face of
// this folder.
import { jobKind, type Job } from '../../api/batch/v1/index.js';
import { objectKeyOf, splitKey, type ObjectCache } from '../../client/index.js';
import { StatusError } from '../../lib/errors.js';
import { WorkQueue, runWorkers, type ControllerDeps, type ControllerFactory } from '../runtime/index.js';
import { aborted } from '../replicaset/index.js';

/**
 * When the Job's TTL runs out (ms); undefined when it has no TTL, is being deleted, has not
 * finished, or its finish condition carries no transition time to count from.
 */
export function expiresAt(job: Job): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl === undefined || job.metadata?.deletionTimestamp) return undefined;
  const finished = job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  const at = Date.parse(finished?.lastTransitionTime ?? '');
  return Number.isNaN(at) ? undefined : at + ttl * 1000;
}

interface TtlEnv {
  deps: ControllerDeps;
  queue: WorkQueue;
  jobs: ObjectCache<Job>;
}

/** Milliseconds left before the Job expires: <= 0 when due, undefined when never. */
function timeLeft(env: TtlEnv, job: Job): number | undefined {
  const at = expiresAt(job);
  return at === undefined ? undefined : at - env.deps.clock.now();
}

async function syncTtl(env: TtlEnv, key: string): Promise<void> {
  const { namespace, name } = splitKey(key);
  const cached = env.jobs.get(namespace, name);
  if (!cached) return;
  const left = timeLeft(env, cached);
  if (left === undefined) return;
  if (left > 0) return void env.queue.addAfter(key, left);
  let fresh: Job;
  try {
    fresh = await env.deps.client.get<Job>(jobKind, namespace, name);
  } catch (err) {
    if (err instanceof StatusError && err.reason === 'NotFound') return;
    throw err;
  }
  const freshLeft = timeLeft(env, fresh);
  if (freshLeft === undefined) return;
  if (freshLeft > 0) return void env.queue.addAfter(key, freshLeft);
  try {
    await env.deps.client.delete(jobKind, namespace, name, { propagationPolicy: 'Foreground', preconditions: { uid: fresh.metadata?.uid ?? '' } });
  } catch (err) {
    if (err instanceof StatusError && (err.reason === 'NotFound' || err.reason === 'Conflict')) return;
    throw err;
  }
}

export const ttlAfterFinishedController: ControllerFactory = (deps) => ({
  name: 'ttl-after-finished',
  async run(signal) {
    const informer = deps.informers.for<Job>(jobKind);
    const env: TtlEnv = { deps, queue: new WorkQueue({ clock: deps.clock }), jobs: informer.store };
    const consider = (job: Job): void => {
      if (expiresAt(job) !== undefined) env.queue.add(objectKeyOf(job));
    };
    informer.addHandlers({ onAdd: consider, onUpdate: (_old, cur) => consider(cur) });
    await Promise.race([informer.synced, aborted(signal)]);
    if (signal.aborted) return;
    await runWorkers(
      { name: 'ttl-after-finished', sync: (key) => syncTtl(env, key) },
      {
        workers: 2,
        queue: env.queue,
        signal,
        onError: (_c, key, err) => deps.log(`ttl-after-finished ${key}: ${err instanceof Error ? err.message : String(err)}`),
      },
    );
  },
});
