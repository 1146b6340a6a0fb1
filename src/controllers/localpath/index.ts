// Public face of the local-path folder: the dynamic provisioner of node-local volumes behind the
// default `local-path` StorageClass (provisioner rancher.io/local-path, as in k3s).
import type { ControllerFactory } from '../runtime/index.js';
import { LocalPathProvisioner, type LocalPathOptions } from './controller.js';

export type { LocalPathOptions } from './controller.js';
export { PROVISIONER as LOCAL_PATH_PROVISIONER, CLASS_NAME as LOCAL_PATH_CLASS, DEFAULT_STORAGE_ROOT } from './provisioner.js';

export function localPathProvisionerControllerWith(opts: LocalPathOptions): ControllerFactory {
  return (deps) => new LocalPathProvisioner(deps, opts);
}

export const localPathProvisionerController: ControllerFactory = localPathProvisionerControllerWith({});
