// Runs the controller manager and the scheduler next to the API server of
// this process, under leader election on the `kube-system/tugboat-controller-manager` Lease, so
// that with several servers on one etcd exactly one runs them and another takes over when it
// dies. They reach the registry in-process through the LocalClient, with the same semantics as
// the REST API.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { ApiServerInfo } from '../apiserver/index.js';
import { HttpClient, LeaderElector, type Client } from '../client/index.js';
import { LocalClient } from './local-client.js';
import { CONTROLLERS, runControllerManager, selectControllers } from '../controllers/index.js';
import { nodeIpamControllerWith } from '../controllers/nodeipam/index.js';
import { localPathProvisionerControllerWith } from '../controllers/localpath/index.js';
import { Scheduler } from '../scheduler/index.js';
import type { Controller, ControllerDeps } from '../controllers/runtime/index.js';

export interface ControlPlaneOptions {
  controllers: string;
  /** Components run next to the controllers under the same leadership (the scheduler). */
  extra: ((deps: ControllerDeps) => Controller)[];
  log(msg: string): void;
}

export interface ComponentChoice {
  /** `--controllers` as given: '*', a list, '*,-name' or ''. */
  controllers: string;
  scheduler: boolean;
  clusterCIDR: string;
  serviceCIDR: string;
  /** Where local-path volumes live on the nodes (`tug up`: under its data dir); the provisioner's default otherwise. */
  storageRoot?: string;
}

/**
 * The controller selection and extra components for this cluster's configuration: node IPAM is
 * built for the cluster's CIDRs and the local-path provisioner for its storage root (each
 * replacing the default-configured one when it was selected), and the scheduler runs unless
 * disabled.
 */
export function controlPlaneComponents(c: ComponentChoice): Pick<ControlPlaneOptions, 'controllers' | 'extra'> {
  const selected = selectControllers(CONTROLLERS, c.controllers);
  const ipam = selected.includes('nodeipam');
  const localPath = c.storageRoot !== undefined && selected.includes('local-path-provisioner');
  const extra: ControlPlaneOptions['extra'] = [];
  if (ipam) extra.push(nodeIpamControllerWith({ clusterCIDRs: [c.clusterCIDR], serviceCIDRs: [c.serviceCIDR] }));
  if (localPath) extra.push(localPathProvisionerControllerWith({ storageRoot: c.storageRoot }));
  if (c.scheduler) extra.push((deps) => new Scheduler(deps));
  const replaced = [...(ipam ? ['-nodeipam'] : []), ...(localPath ? ['-local-path-provisioner'] : [])];
  return { controllers: [c.controllers, ...replaced].join(','), extra };
}

export async function runControlPlane(info: ApiServerInfo, o: ControlPlaneOptions, signal: AbortSignal): Promise<void> {
  // In-process components skip TLS, HTTP and JSON; `TUG_CONTROL_PLANE_HTTP=1` sends them over
  // HTTPS like remote clients (for comparing the two in benchmarks).
  const http = process.env.TUG_CONTROL_PLANE_HTTP === '1' ? new HttpClient({ server: info.url, caCertPem: info.caCertPem, token: info.tokens.admin }) : undefined;
  const client: Client = http ?? new LocalClient(info.registry);
  const identity = `${hostname()}_${randomBytes(4).toString('hex')}`;
  const elector = new LeaderElector(client, {
    namespace: 'kube-system',
    name: 'tugboat-controller-manager',
    identity,
    onError: (e) => o.log(`leader election: ${String(e)}`),
  });
  const terms: Promise<void>[] = [];
  await elector.run(signal, (leading) => {
    o.log(`${identity} became leader`);
    terms.push(
      runControllerManager({ client, controllers: CONTROLLERS, select: o.controllers, extra: o.extra, log: o.log, rootCaPem: info.caCertPem }, leading).catch((e: unknown) =>
        o.log(`controller manager: ${String(e)}`),
      ),
    );
    leading.addEventListener('abort', () => o.log(`${identity} stopped leading`), { once: true });
  });
  await Promise.all(terms);
  http?.close();
}
