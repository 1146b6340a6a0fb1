// Public face of the namespace controller: the factory the controller manager runs. It empties
// terminating namespaces of every namespaced kind Tugboat serves.
import { allKinds } from '../../api/kinds.js';
import type { ControllerFactory } from '../runtime/index.js';
import { NamespaceController } from './controller.js';

export const namespaceController: ControllerFactory = (deps) => new NamespaceController(deps, allKinds);
