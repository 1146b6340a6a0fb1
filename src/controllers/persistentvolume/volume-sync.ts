// Syncing one volume. An unclaimed (or only pre-bound) volume is Available; one whose claim is
// bound to it is Bound; one whose claim is gone is Released and then reclaimed by its policy:
// Retain keeps it Released for an administrator, Delete leaves provisioned volumes to their
// provisioner (which deletes them) and fails for hand-made ones (no plugin here can delete their
// storage), as Kubernetes does. A volume the controller bound to a claim that got another volume
// is unbound again.
import { persistentVolumeClaimKind, type PersistentVolume, type PersistentVolumeClaim } from '../../api/core/v1/index.js';
import { StatusError } from '../../lib/errors.js';
import { unbindVolume } from './bind.js';
import { claimQueueKey, setVolumePhase, type BinderEnv } from './env.js';
import { ANN_PROVISIONED_BY, volumeModeOf } from './volumes.js';

/** The claim the volume points at, if it still exists with that uid (asking the API before giving up on it). */
async function claimOf(env: BinderEnv, v: PersistentVolume): Promise<PersistentVolumeClaim | undefined> {
  const ref = v.spec?.claimRef;
  const ns = ref?.namespace ?? '';
  const name = ref?.name ?? '';
  let c = env.claims.get(ns, name);
  if (!c) {
    // Our cache may just not have it yet; a volume is only released on the API's word.
    try {
      c = await env.client.get<PersistentVolumeClaim>(persistentVolumeClaimKind, ns, name);
    } catch (err) {
      if (!(err instanceof StatusError && err.reason === 'NotFound')) throw err;
    }
  }
  return c && c.metadata?.uid === ref?.uid ? c : undefined;
}

async function reclaim(env: BinderEnv, v: PersistentVolume): Promise<void> {
  const name = v.metadata?.name ?? '';
  switch (v.spec?.persistentVolumeReclaimPolicy ?? 'Retain') {
    case 'Retain':
      return;
    case 'Delete':
      // The provisioner that made it deletes it, storage and object.
      if (v.metadata?.annotations?.[ANN_PROVISIONED_BY] !== undefined) return;
      if (v.status?.phase === 'Failed') return;
      env.recorder.event(v, 'Warning', 'VolumeFailedDelete', `error getting deleter volume plugin for volume "${name}": no deletable volume plugin matched`);
      await setVolumePhase(env, v, 'Failed', 'no deletable volume plugin matched');
      return;
    default:
      if (v.status?.phase === 'Failed') return;
      env.recorder.event(v, 'Warning', 'VolumeFailedRecycle', 'No recycler plugin found for the volume!');
      await setVolumePhase(env, v, 'Failed', 'No recycler plugin found for the volume!');
  }
}

export async function syncVolume(env: BinderEnv, v: PersistentVolume): Promise<void> {
  const ref = v.spec?.claimRef;
  if (!ref || !ref.uid) {
    await setVolumePhase(env, v, 'Available');
    return;
  }
  const c = await claimOf(env, v);
  if (!c) {
    const released = v.status?.phase === 'Released' || v.status?.phase === 'Failed' ? v : await setVolumePhase(env, v, 'Released');
    return reclaim(env, released);
  }
  const volumeName = c.spec?.volumeName ?? '';
  if (!volumeName) {
    if (volumeModeOf(c.spec) !== volumeModeOf(v.spec)) {
      env.recorder.event(v, 'Warning', 'VolumeMismatch', `Cannot bind PersistentVolume to requested PersistentVolumeClaim "${c.metadata?.name ?? ''}" due to incompatible volumeMode.`);
      return;
    }
    // Reserved for the claim (by us half-way, or by a provisioner): the claim's sync binds it.
    env.queue.add(claimQueueKey(c.metadata?.namespace ?? '', c.metadata?.name ?? ''));
    return;
  }
  if (volumeName === v.metadata?.name) {
    await setVolumePhase(env, v, 'Bound');
    return;
  }
  // The claim got another volume.
  if (v.metadata?.annotations?.[ANN_PROVISIONED_BY] !== undefined && v.spec?.persistentVolumeReclaimPolicy === 'Delete') {
    const released = v.status?.phase === 'Released' || v.status?.phase === 'Failed' ? v : await setVolumePhase(env, v, 'Released');
    return reclaim(env, released);
  }
  await unbindVolume(env, v);
}
