// Binding and unbinding, in Kubernetes' order so a crash half-way is finished by the next sync:
// the volume's claimRef first (the volume is then reserved), its phase, then the claim's
// volumeName with the bind-completed annotation, then the claim's status. `bound-by-controller`
// marks the halves the controller chose (as opposed to pre-binding by a user), which tells later
// syncs what they may undo.
import { persistentVolumeClaimKind, persistentVolumeKind, type PersistentVolume, type PersistentVolumeClaim } from '../../api/core/v1/index.js';
import { setClaimStatus, setVolumePhase, type BinderEnv } from './env.js';
import { ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER, hasAnnotation, isBoundToClaim } from './volumes.js';

async function bindVolumeToClaim(env: BinderEnv, v: PersistentVolume, c: PersistentVolumeClaim): Promise<PersistentVolume> {
  const ref = v.spec?.claimRef;
  const next = structuredClone(v);
  let dirty = false;
  if (!ref || ref.name !== c.metadata?.name || ref.namespace !== c.metadata?.namespace || ref.uid !== c.metadata?.uid) {
    next.spec = {
      ...next.spec,
      claimRef: {
        kind: 'PersistentVolumeClaim',
        namespace: c.metadata?.namespace ?? '',
        name: c.metadata?.name ?? '',
        uid: c.metadata?.uid ?? '',
        apiVersion: 'v1',
        resourceVersion: c.metadata?.resourceVersion ?? '',
      },
    };
    dirty = true;
  }
  if (!isBoundToClaim(v, c) && !hasAnnotation(v, ANN_BOUND_BY_CONTROLLER)) {
    next.metadata = { ...next.metadata, annotations: { ...next.metadata?.annotations, [ANN_BOUND_BY_CONTROLLER]: 'yes' } };
    dirty = true;
  }
  return dirty ? env.client.update<PersistentVolume>(persistentVolumeKind, undefined, next) : v;
}

async function bindClaimToVolume(env: BinderEnv, c: PersistentVolumeClaim, v: PersistentVolume): Promise<PersistentVolumeClaim> {
  const name = v.metadata?.name ?? '';
  const annotations = { ...c.metadata?.annotations };
  let dirty = false;
  if (c.spec?.volumeName !== name) {
    if (!hasAnnotation(c, ANN_BOUND_BY_CONTROLLER)) annotations[ANN_BOUND_BY_CONTROLLER] = 'yes';
    dirty = true;
  }
  if (!hasAnnotation(c, ANN_BIND_COMPLETED)) {
    annotations[ANN_BIND_COMPLETED] = 'yes';
    dirty = true;
  }
  if (!dirty) return c;
  const next = structuredClone(c);
  next.spec = { ...next.spec, volumeName: name };
  next.metadata = { ...next.metadata, annotations };
  return env.client.update<PersistentVolumeClaim>(persistentVolumeClaimKind, c.metadata?.namespace, next);
}

export async function bind(env: BinderEnv, v: PersistentVolume, c: PersistentVolumeClaim): Promise<void> {
  let volume = await bindVolumeToClaim(env, v, c);
  volume = await setVolumePhase(env, volume, 'Bound');
  const claim = await bindClaimToVolume(env, c, volume);
  await setClaimStatus(env, claim, 'Bound', volume);
}

/**
 * Releases a volume the controller bound to a claim that ended up elsewhere (claimRef cleared),
 * or, for a user's pre-binding, only forgets the claim's uid so the pre-binding stands.
 */
export async function unbindVolume(env: BinderEnv, v: PersistentVolume): Promise<void> {
  const next = structuredClone(v);
  if (hasAnnotation(v, ANN_BOUND_BY_CONTROLLER)) {
    delete next.spec?.claimRef;
    const annotations = { ...next.metadata?.annotations };
    delete annotations[ANN_BOUND_BY_CONTROLLER];
    next.metadata = { ...next.metadata, annotations };
  } else if (next.spec?.claimRef) {
    next.spec.claimRef = { ...next.spec.claimRef, uid: '' };
  }
  const updated = await env.client.update<PersistentVolume>(persistentVolumeKind, undefined, next);
  await setVolumePhase(env, updated, 'Available');
}
