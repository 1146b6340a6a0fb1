// The ReplicaSet controller: keeps spec.replicas pods of each ReplicaSet in existence. Public
// face of this folder; the pieces other workload controllers reuse (claiming by selector, pod
// availability, semantic equality) are exported from here too.
import { podKind, type Pod } from '../../api/core/v1/index.js';
import { replicaSetKind, type ReplicaSet } from '../../api/apps/v1/index.js';
import { StatusError } from '../../lib/errors.js';
import { Expectations, WorkQueue, runWorkers, type ControllerFactory } from '../runtime/index.js';
import { podHandlers, replicaSetHandlers } from './handlers.js';
import { MatchMemo } from './pod-view.js';
import { POD_OWNER_INDEX, RS_OWNER_INDEX, podOwnerIndex, rsOwnerIndex, syncReplicaSet, type ReplicaSetEnv } from './sync.js';

export { claimObjects, type ClaimOptions } from './claim.js';
export { isPodActive, isPodReady, isPodAvailable } from './pods.js';
export { semanticEqual, canonicalJson, timestamp, type SemanticOptions } from './semantic.js';

/** Resolves when the signal aborts (at once if it already has). */
export function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

export const replicaSetController: ControllerFactory = (deps) => ({
  name: 'replicaset',
  async run(signal) {
    const rsInformer = deps.informers.for<ReplicaSet>(replicaSetKind);
    const podInformer = deps.informers.for<Pod>(podKind);
    rsInformer.store.addIndex(RS_OWNER_INDEX, rsOwnerIndex);
    podInformer.store.addIndex(POD_OWNER_INDEX, podOwnerIndex);
    const env: ReplicaSetEnv = {
      client: deps.client,
      recorder: deps.recorder('replicaset-controller'),
      clock: deps.clock,
      log: deps.log,
      queue: new WorkQueue({ clock: deps.clock }),
      expectations: new Expectations(() => deps.clock.now()),
      replicaSets: rsInformer.store,
      pods: podInformer.store,
      matches: new MatchMemo(),
    };
    rsInformer.addHandlers(replicaSetHandlers(env));
    podInformer.addHandlers(podHandlers(env));
    await Promise.race([Promise.all([rsInformer.synced, podInformer.synced]), aborted(signal)]);
    if (signal.aborted) return;
    await runWorkers(
      { name: 'replicaset', sync: (key) => syncReplicaSet(env, key) },
      {
        workers: 5,
        queue: env.queue,
        signal,
        // A conflict only means the cache was behind our own last write; the retry is routine.
        onError: (_c, key, err) => {
          if (!(err instanceof StatusError && err.reason === 'Conflict')) deps.log(`replicaset ${key}: ${err instanceof Error ? err.message : String(err)}`);
        },
      },
    );
  },
});
