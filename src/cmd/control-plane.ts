// Runs the controller manager and the scheduler next to the API server of
// this process, under leader election on the `kube-system/tugboat-controller-manager` Lease, so
// that with several servers on one etcd exactly one runs them and another takes over when it
// dies. They reach the API over HTTPS like any other client.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { ApiServerInfo } from '../apiserver/index.js';
import { HttpClient, LeaderElector } from '../client/index.js';
import { CONTROLLERS, runControllerManager } from '../controllers/index.js';
import type { Controller, ControllerDeps } from '../controllers/runtime/index.js';

export interface ControlPlaneOptions {
  controllers: string;
  /** Components run next to the controllers under the same leadership (the scheduler). */
  extra: ((deps: ControllerDeps) => Controller)[];
  log(msg: string): void;
}

export async function runControlPlane(info: ApiServerInfo, o: ControlPlaneOptions, signal: AbortSignal): Promise<void> {
  const client = new HttpClient({ server: info.url, caCertPem: info.caCertPem, token: info.tokens.admin });
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
  client.close();
}
