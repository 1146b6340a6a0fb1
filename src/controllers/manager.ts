// The controller manager: builds the shared dependencies once (client, informers, event
// recorders, clock) and runs the selected controllers from the explicit list in index.ts until
// the signal aborts. Which ones run is chosen like kube-controller-manager's --controllers:
// '*' for all, a comma-separated list of names, '-name' to leave one out, '' for none.
import { setMaxListeners } from 'node:events';
import type { Client } from '../client/index.js';
import { ApiEventRecorder, InformerFactory } from '../client/index.js';
import { realClock, type Clock } from '../lib/workqueue.js';
import type { Controller, ControllerDeps, ControllerFactory } from './runtime/index.js';

export function selectControllers(all: Record<string, ControllerFactory>, spec: string): string[] {
  const parts = spec.split(',').map((s) => s.trim()).filter(Boolean);
  const names = Object.keys(all);
  const wantAll = parts.includes('*');
  return names.filter((n) => !parts.includes(`-${n}`) && (wantAll || parts.includes(n)));
}

export interface ManagerOptions {
  client: Client;
  controllers: Record<string, ControllerFactory>;
  /** '*' | 'a,b' | '*,-a' | '' */
  select: string;
  clock?: Clock;
  log(msg: string): void;
  /** The cluster CA (PEM), published to every namespace as the kube-root-ca.crt ConfigMap. */
  rootCaPem?: string;
  /** Extra components (the scheduler) that share the informers and run under the same leadership. */
  extra?: ((deps: ControllerDeps) => Controller)[];
}

export async function runControllerManager(o: ManagerOptions, signal: AbortSignal): Promise<void> {
  // Every informer and worker listens on this one signal; dozens of listeners are expected.
  setMaxListeners(1000, signal);
  const informers = new InformerFactory(o.client, { onError: (e) => o.log(`informer: ${String(e)}`) });
  const deps: ControllerDeps = {
    client: o.client,
    informers,
    recorder: (component) => new ApiEventRecorder(o.client, component, { onError: (e) => o.log(`event: ${String(e)}`) }),
    clock: o.clock ?? realClock,
    log: o.log,
    ...(o.rootCaPem ? { rootCaPem: o.rootCaPem } : {}),
  };
  const running = [
    ...selectControllers(o.controllers, o.select).map((n) => (o.controllers[n] as ControllerFactory)(deps)),
    ...(o.extra ?? []).map((f) => f(deps)),
  ];
  const runs = running.map((c) =>
    c.run(signal).catch((err: unknown) => o.log(`controller ${c.name} stopped: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)),
  );
  informers.start(signal);
  o.log(`controller manager running: ${running.map((c) => c.name).join(', ') || '(none)'}`);
  await Promise.all(runs);
}
