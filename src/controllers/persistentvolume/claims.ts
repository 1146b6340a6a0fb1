// Syncing one claim. An unbound claim is bound to the best matching volume, or, failing that,
// handed to its class's provisioner (annotated with the provisioner's name; the provisioner
// makes a volume pre-bound to the claim, which the next sync binds); WaitForFirstConsumer claims
// wait for the scheduler's selected-node annotation. A claim naming a volume is bound to exactly
// that volume when it fits. A bound claim is checked: a vanished or stolen volume makes it Lost.
import type { PersistentVolume, PersistentVolumeClaim } from '../../api/core/v1/index.js';
import { persistentVolumeClaimKind } from '../../api/core/v1/index.js';
import type { StorageClass } from '../../api/storage/v1/index.js';
import { bind } from './bind.js';
import { setClaimStatus, type BinderEnv } from './env.js';
import { findBestMatch, mismatch } from './match.js';
import {
  ANN_BETA_STORAGE_PROVISIONER,
  ANN_BIND_COMPLETED,
  ANN_SELECTED_NODE,
  ANN_STORAGE_PROVISIONER,
  claimClass,
  hasAnnotation,
  isBoundToClaim,
} from './volumes.js';

const isDelayBinding = (cls: StorageClass | undefined): boolean => cls?.volumeBindingMode === 'WaitForFirstConsumer';

export async function syncClaim(env: BinderEnv, c: PersistentVolumeClaim): Promise<void> {
  if (!hasAnnotation(c, ANN_BIND_COMPLETED)) {
    if (c.spec?.volumeName) return syncPreboundClaim(env, c, c.spec.volumeName);
    return syncUnboundClaim(env, c);
  }
  return syncBoundClaim(env, c);
}

async function syncUnboundClaim(env: BinderEnv, c: PersistentVolumeClaim): Promise<void> {
  const className = claimClass(c);
  const cls = className ? env.classes.get(undefined, className) : undefined;
  const delay = isDelayBinding(cls);
  const selected = c.metadata?.annotations?.[ANN_SELECTED_NODE];
  // Once the scheduler has picked a node, volumes reachable from it may be bound (Kubernetes'
  // scheduler pre-binds those itself; ours leaves it to us).
  const node = selected ? (env.nodes.get(undefined, selected) ?? { metadata: { name: selected } }) : undefined;
  const volume = findBestMatch(c, env.volumes.list(), { delayBinding: delay, node });
  if (volume) return bind(env, volume, c);
  if (delay && !selected) {
    env.recorder.event(c, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
  } else if (!className) {
    env.recorder.event(c, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
  } else if (!cls) {
    env.recorder.event(c, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${className}" not found`);
  } else {
    c = await handToProvisioner(env, c, cls);
  }
  await setClaimStatus(env, c, 'Pending');
}

/** Names the provisioner on the claim (the signal external provisioners act on). */
async function handToProvisioner(env: BinderEnv, c: PersistentVolumeClaim, cls: StorageClass): Promise<PersistentVolumeClaim> {
  const provisioner = cls.provisioner ?? '';
  // Provisioners in the kubernetes.io/ namespace are Kubernetes' in-tree plugins, which we do
  // not have (kubernetes.io/no-provisioner means static volumes only).
  if (provisioner.startsWith('kubernetes.io/')) {
    env.recorder.event(c, 'Warning', 'ProvisioningFailed', `no volume plugin matched name: ${provisioner}`);
    return c;
  }
  env.recorder.event(
    c,
    'Normal',
    'ExternalProvisioning',
    `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
  );
  const a = c.metadata?.annotations ?? {};
  if (a[ANN_STORAGE_PROVISIONER] === provisioner && a[ANN_BETA_STORAGE_PROVISIONER] === provisioner) return c;
  const next = structuredClone(c);
  next.metadata = { ...next.metadata, annotations: { ...a, [ANN_STORAGE_PROVISIONER]: provisioner, [ANN_BETA_STORAGE_PROVISIONER]: provisioner } };
  return env.client.update<PersistentVolumeClaim>(persistentVolumeClaimKind, c.metadata?.namespace, next);
}

/** The user named a volume in spec.volumeName; bind to it if it is free (or already ours) and fits. */
async function syncPreboundClaim(env: BinderEnv, c: PersistentVolumeClaim, volumeName: string): Promise<void> {
  const v = env.volumes.get(undefined, volumeName);
  if (!v) return void (await setClaimStatus(env, c, 'Pending'));
  if (!v.spec?.claimRef) {
    const why = mismatch(v, c);
    if (why) {
      env.recorder.event(c, 'Warning', 'VolumeMismatch', `Cannot bind to requested volume "${volumeName}": ${why}`);
      return void (await setClaimStatus(env, c, 'Pending'));
    }
    return bind(env, v, c);
  }
  if (isBoundToClaim(v, c)) return bind(env, v, c);
  env.recorder.event(c, 'Warning', 'FailedBinding', `volume "${volumeName}" already bound to a different claim.`);
  await setClaimStatus(env, c, 'Pending');
}

async function syncBoundClaim(env: BinderEnv, c: PersistentVolumeClaim): Promise<void> {
  const name = c.spec?.volumeName ?? '';
  const v: PersistentVolume | undefined = name ? env.volumes.get(undefined, name) : undefined;
  if (!name || !v) {
    if (c.status?.phase !== 'Lost') {
      const what = name ? 'its PersistentVolume' : 'reference to PersistentVolume';
      env.recorder.event(c, 'Warning', 'ClaimLost', `Bound claim has lost ${what}. Data on the volume is lost!`);
    }
    return void (await setClaimStatus(env, c, 'Lost'));
  }
  if (!v.spec?.claimRef || v.spec.claimRef.uid === c.metadata?.uid) return bind(env, v, c);
  if (c.status?.phase !== 'Lost') env.recorder.event(c, 'Warning', 'ClaimMisbound', 'Two claims are bound to the same volume, this one is bound incorrectly');
  await setClaimStatus(env, c, 'Lost');
}
