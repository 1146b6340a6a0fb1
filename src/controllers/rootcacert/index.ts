// Public face of the root CA publisher: the factory the controller manager runs. Without the
// cluster CA in its dependencies (a controller manager not given one) it runs idle and says so.
import type { Controller, ControllerFactory } from '../runtime/index.js';
import { RootCaCertPublisher } from './controller.js';

export { ROOT_CA_CONFIGMAP, ROOT_CA_KEY } from './controller.js';

export const rootCaCertPublisherController: ControllerFactory = (deps): Controller => {
  if (deps.rootCaPem) return new RootCaCertPublisher(deps, deps.rootCaPem);
  return {
    name: 'root-ca-cert-publisher',
    run: async (signal) => {
      deps.log('root-ca-cert-publisher: no cluster CA given; kube-root-ca.crt ConfigMaps are not published');
      await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
    },
  };
};
