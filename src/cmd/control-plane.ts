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
import { CONTROLLERS, runControllerManager } from '../controllers/index.js';
import type { Controller, ControllerDeps } from '../controllers/runtime/index.js';

export interface ControlPlaneOptions {
  controllers: string;
  /** Components run next to the controllers under the same leadership (the scheduler). */
  extra: ((deps: ControllerDeps) => Controller)[];
  log(msg: string): void;
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
      runControllerManager({ client, controllers: CONTROLLERS, select: o.controllers, extra: o.extra, log: o.log }, leading).catch((e: unknown) =>
        o.log(`controller manager: ${String(e)}`),
      ),
    );
    leading.addEventListener('abort', () => o.log(`${identity} stopped leading`), { once: true });
  });
  await Promise.all(terms);
  http?.close();
}
