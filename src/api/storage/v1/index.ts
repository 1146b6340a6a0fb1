// The storage.k8s.io group, version v1: StorageClass, which the PV binder and the local-path
// provisioner read. Other folders import storage/v1 only through this file.
import type { KindDef } from '../../kind.js';
import { storageClassKind } from './storageclass.js';

export const storageV1Kinds: KindDef[] = [storageClassKind];

export { storageClassKind };
export { StorageClass, BINDING_MODES, DEFAULT_CLASS_ANNOTATION } from './storageclass.js';
