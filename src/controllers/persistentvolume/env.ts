// What the PV binder's sync functions share: the client, caches of claims, volumes, classes and
// nodes, the event recorder, clock and queue, and the small writes every step is made of (a
// volume's phase, a claim's status, a claim's phase), each skipped when nothing would change.
import { persistentVolumeClaimKind, persistentVolumeKind, type PersistentVolume, type PersistentVolumeClaim, type Node } from '../../api/core/v1/index.js';
import type { StorageClass } from '../../api/storage/v1/index.js';
import type { Client, EventRecorder, ObjectCache } from '../../client/index.js';
import type { Clock, WorkQueue } from '../runtime/index.js';

export interface BinderEnv {
  client: Client;
  recorder: EventRecorder;
  clock: Clock;
  queue: WorkQueue;
  claims: ObjectCache<PersistentVolumeClaim>;
  volumes: ObjectCache<PersistentVolume>;
  classes: ObjectCache<StorageClass>;
  nodes: ObjectCache<Node>;
}

export const claimQueueKey = (ns: string, name: string): string => `claim:${ns}/${name}`;
export const volumeQueueKey = (name: string): string => `volume:${name}`;

const apiTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export async function setVolumePhase(env: BinderEnv, v: PersistentVolume, phase: 'Available' | 'Bound' | 'Released' | 'Failed', message?: string): Promise<PersistentVolume> {
  if (v.status?.phase === phase && (message === undefined || v.status.message === message)) return v;
  const next = structuredClone(v);
  next.status = { ...next.status, phase, lastPhaseTransitionTime: apiTime(env.clock.now()) };
  if (message !== undefined) next.status.message = message;
  else delete next.status.message;
  return env.client.update<PersistentVolume>(persistentVolumeKind, undefined, next, { subresource: 'status' });
}

/** Sets a claim's phase; Bound also copies the volume's access modes and capacity. */
export async function setClaimStatus(env: BinderEnv, c: PersistentVolumeClaim, phase: 'Pending' | 'Bound' | 'Lost', v?: PersistentVolume): Promise<PersistentVolumeClaim> {
  const status = { ...c.status, phase };
  if (phase === 'Bound' && v) {
    status.accessModes = v.spec?.accessModes ?? [];
    status.capacity = { ...v.spec?.capacity };
  }
  if (JSON.stringify(status) === JSON.stringify({ ...c.status })) return c;
  return env.client.update<PersistentVolumeClaim>(persistentVolumeClaimKind, c.metadata?.namespace, { ...structuredClone(c), status }, { subresource: 'status' });
}
