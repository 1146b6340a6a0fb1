// Public face of the PV binder folder: the controller binding PersistentVolumeClaims to
// PersistentVolumes (and handing claims to provisioners), and the annotation names other
// components (the scheduler, provisioners) share with it.
import type { ControllerFactory } from '../runtime/index.js';
import { PersistentVolumeBinderController, type PersistentVolumeBinderOptions } from './controller.js';

export type { PersistentVolumeBinderOptions } from './controller.js';
export {
  ANN_BIND_COMPLETED,
  ANN_BOUND_BY_CONTROLLER,
  ANN_PROVISIONED_BY,
  ANN_SELECTED_NODE,
  ANN_STORAGE_PROVISIONER,
  ANN_BETA_STORAGE_PROVISIONER,
  claimClass,
} from './volumes.js';

export function persistentVolumeBinderControllerWith(opts: PersistentVolumeBinderOptions): ControllerFactory {
  return (deps) => new PersistentVolumeBinderController(deps, opts);
}

export const persistentVolumeBinderController: ControllerFactory = persistentVolumeBinderControllerWith({});
