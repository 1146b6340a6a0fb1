// Public face of the volumes folder: the manager the kubelet uses per node, the mounts of a
// container, the automatic service-account volume, and the seams tests replace (mounter, objects).
export { VolumeManager, type VolumeManagerDeps, type SetUpResult, type VolumeFailure } from './manager.js';
export { containerMounts } from './mounts.js';
export { withServiceAccountVolume, kubeApiAccessVolume, SERVICE_ACCOUNT_MOUNT_PATH } from './kube-api-access.js';
export { TokenManager } from './tokens.js';
export { systemMounter } from './mounter.js';
export { AtomicWriter, type FileProjection } from './atomic-writer.js';
export { VolumeError, type Mounter, type MountedVolume, type TokenSource, type VolumeObjects } from './types.js';
