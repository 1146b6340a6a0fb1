// The Deployment controller: rolls pod templates out through ReplicaSets (RollingUpdate or
// Recreate), keeps the revision history kubectl's rollout commands use, scales proportionally,
// and reports progress in the conditions `kubectl rollout status` reads. Public face of this folder.
import { deploymentKind, replicaSetKind, type Deployment, type ReplicaSet } from '../../api/apps/v1/index.js';
import { podKind, type Pod } from '../../api/core/v1/index.js';
import { StatusError } from '../../lib/errors.js';
import { WorkQueue, runWorkers, type ControllerFactory } from '../runtime/index.js';
import { aborted } from '../replicaset/index.js';
import type { DeploymentEnv } from './env.js';
import { deploymentHandlers, podHandlers, replicaSetHandlers } from './handlers.js';
import { syncDeployment } from './sync.js';

export { templateHash, equalIgnoreHash } from './template-hash.js';
export { resolveFenceposts } from './replicas.js';

export const deploymentController: ControllerFactory = (deps) => ({
  name: 'deployment',
  async run(signal) {
    const deployments = deps.informers.for<Deployment>(deploymentKind);
    const replicaSets = deps.informers.for<ReplicaSet>(replicaSetKind);
    const pods = deps.informers.for<Pod>(podKind);
    const env: DeploymentEnv = {
      client: deps.client,
      recorder: deps.recorder('deployment-controller'),
      clock: deps.clock,
      log: deps.log,
      queue: new WorkQueue({ clock: deps.clock }),
      deployments: deployments.store,
      replicaSets: replicaSets.store,
      pods: pods.store,
    };
    deployments.addHandlers(deploymentHandlers(env));
    replicaSets.addHandlers(replicaSetHandlers(env));
    pods.addHandlers(podHandlers(env));
    await Promise.race([Promise.all([deployments.synced, replicaSets.synced, pods.synced]), aborted(signal)]);
    if (signal.aborted) return;
    await runWorkers(
      { name: 'deployment', sync: (key) => syncDeployment(env, key) },
      {
        workers: 5,
        queue: env.queue,
        signal,
        // A conflict only means the cache was behind our own last write; the retry is routine.
        onError: (_c, key, err) => {
          if (!(err instanceof StatusError && err.reason === 'Conflict')) deps.log(`deployment ${key}: ${err instanceof Error ? err.message : String(err)}`);
        },
      },
    );
  },
});
