// Finding or creating the Deployment's new ReplicaSet — the one whose template equals the
// Deployment's — and keeping the revision bookkeeping right: the new ReplicaSet's revision is one
// more than any old one's (a rollback re-numbers the ReplicaSet it brings back), the Deployment
// carries the same revision, and the Progressing condition says a new ReplicaSet was created or
// found. A name taken by a ReplicaSet with another template is a hash collision: collisionCount
// goes up and the next sync tries another name.
import { deploymentKind, replicaSetKind, type Deployment, type ReplicaSet } from '../../api/apps/v1/index.js';
import { StatusError } from '../../lib/errors.js';
import { controllerRefOf, isControlledBy } from '../runtime/index.js';
import { POD_TEMPLATE_HASH, REVISION, maxRevision, setNewReplicaSetAnnotations } from './annotations.js';
import { PROGRESSING, Reason, getCondition, newCondition, progressDeadline, setCondition } from './conditions.js';
import { remember, setDeploymentRevision, updateReplicaSet, writeStatus, type DeploymentEnv, type SyncState } from './env.js';
import { byCreation, desiredReplicas, isRollingUpdate, maxSurge, podsBound, specReplicas } from './replicas.js';
import { equalIgnoreHash, templateHash } from './template-hash.js';

/** The oldest ReplicaSet whose template matches the Deployment's, ignoring the hash label. */
export function findNewReplicaSet(d: Deployment, rsList: ReplicaSet[]): ReplicaSet | undefined {
  return [...rsList].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/** How big the new ReplicaSet may be now: within maxSurge for rolling updates, all at once for Recreate. */
export function newReplicaSetReplicas(d: Deployment, allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet): number {
  const desired = desiredReplicas(d);
  if (!isRollingUpdate(d)) return desired;
  const maxTotal = desired + maxSurge(d);
  const current = podsBound(allRSs);
  if (current >= maxTotal) return specReplicas(newRS);
  return specReplicas(newRS) + Math.min(maxTotal - current, desired - specReplicas(newRS));
}

export interface Rollout {
  newRS: ReplicaSet | undefined;
  oldRSs: ReplicaSet[];
}

/** Splits the ReplicaSets into new and old, creating the new one when asked and missing. */
export async function getReplicaSets(env: DeploymentEnv, st: SyncState, o: { create: boolean }): Promise<Rollout> {
  const existing = findNewReplicaSet(st.d, st.rsList);
  const oldRSs = st.rsList.filter((rs) => rs !== existing);
  const revision = maxRevision(oldRSs) + 1;
  const newRS = existing ? await refreshExisting(env, st, { rs: existing, revision }) : o.create ? await createNew(env, st, { oldRSs, revision }) : undefined;
  return { newRS, oldRSs };
}

async function refreshExisting(env: DeploymentEnv, st: SyncState, o: { rs: ReplicaSet; revision: number }): Promise<ReplicaSet> {
  const d = st.d;
  const copy = structuredClone(o.rs);
  const annotationsChanged = setNewReplicaSetAnnotations(d, copy, { revision: o.revision, exists: true, maxSurge: maxSurge(d) });
  const minReadySeconds = d.spec?.minReadySeconds ?? 0;
  if (annotationsChanged || (copy.spec?.minReadySeconds ?? 0) !== minReadySeconds) {
    (copy.spec ??= {} as NonNullable<ReplicaSet['spec']>).minReadySeconds = minReadySeconds;
    // The next sync (woken by this update) records the revision on the Deployment.
    return updateReplicaSet(env, st, copy);
  }
  await setDeploymentRevision(env, st, copy.metadata?.annotations?.[REVISION] ?? '');
  const status = (st.d.status ??= {});
  if (progressDeadline(st.d) !== undefined && !getCondition(status, PROGRESSING)) {
    const message = `Found new replica set "${copy.metadata?.name ?? ''}"`;
    setCondition(status, newCondition({ type: PROGRESSING, status: 'True', reason: Reason.FoundNewReplicaSet, message, now: env.clock.now() }));
    await writeStatus(env, st);
  }
  return o.rs;
}

function buildReplicaSet(d: Deployment, hash: string): ReplicaSet {
  const template = structuredClone(d.spec?.template ?? {});
  const labels = { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH]: hash };
  template.metadata = { ...template.metadata, labels };
  const selector = structuredClone(d.spec?.selector ?? {});
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH]: hash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata?.name ?? ''}-${hash}`,
      namespace: d.metadata?.namespace,
      labels: { ...labels },
      ownerReferences: [controllerRefOf(d, deploymentKind)],
    },
    spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
  } as ReplicaSet;
}

async function createNew(env: DeploymentEnv, st: SyncState, o: { oldRSs: ReplicaSet[]; revision: number }): Promise<ReplicaSet> {
  const d = st.d;
  const ns = d.metadata?.namespace;
  const rs = buildReplicaSet(d, templateHash(d.spec?.template, d.status?.collisionCount));
  const name = rs.metadata?.name ?? '';
  const replicas = newReplicaSetReplicas(d, [...o.oldRSs, rs], rs);
  (rs.spec as NonNullable<ReplicaSet['spec']>).replicas = replicas;
  setNewReplicaSetAnnotations(d, rs, { revision: o.revision, exists: false, maxSurge: maxSurge(d) });

  let created: ReplicaSet;
  let alreadyExisted = false;
  try {
    created = await env.client.create<ReplicaSet>(replicaSetKind, ns, rs);
  } catch (err) {
    if (!(err instanceof StatusError && err.reason === 'AlreadyExists')) {
      if (progressDeadline(d) !== undefined) {
        const message = `Failed to create new replica set "${name}": ${err instanceof Error ? err.message : String(err)}`;
        setCondition((st.d.status ??= {}), newCondition({ type: PROGRESSING, status: 'False', reason: Reason.ReplicaSetCreateError, message, now: env.clock.now() }));
        await writeStatus(env, st);
      }
      throw err;
    }
    // Our own earlier create that the cache has not shown yet, or a genuine name collision.
    const found = await env.client.get<ReplicaSet>(replicaSetKind, ns, name);
    if (!isControlledBy(found, d) || !equalIgnoreHash(found.spec?.template, d.spec?.template)) {
      const collisionCount = (d.status?.collisionCount ?? 0) + 1;
      await writeStatus(env, st, { ...d.status, collisionCount });
      throw new Error(`replica set ${name} already exists with another template; collisionCount is now ${collisionCount}`);
    }
    created = found;
    alreadyExisted = true;
  }
  remember(st, created);
  if (!alreadyExisted && replicas > 0) {
    env.recorder.event(st.d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${name} from 0 to ${replicas}`);
  }
  await setDeploymentRevision(env, st, String(o.revision));
  if (!alreadyExisted && progressDeadline(st.d) !== undefined) {
    const message = `Created new replica set "${name}"`;
    setCondition((st.d.status ??= {}), newCondition({ type: PROGRESSING, status: 'True', reason: Reason.NewReplicaSetCreated, message, now: env.clock.now() }));
    await writeStatus(env, st);
  }
  return created;
}
