// What every controller is given and what it must offer. The controller manager builds one
// ControllerDeps for the process and starts each controller from the explicit list in
// src/controllers/index.ts.
import type { Client, EventRecorder, InformerFactory } from '../../client/index.js';
import type { Clock } from '../../lib/workqueue.js';

export interface ControllerDeps {
  client: Client;
  /** Shared informers: ask for a kind with `informers.for(kind)` before `start` returns. */
  informers: InformerFactory;
  /** An event recorder reporting as the given component (e.g. `deployment-controller`). */
  recorder(component: string): EventRecorder;
  clock: Clock;
  log(msg: string): void;
  /** The cluster CA (PEM) that in-cluster clients verify the API server with, when the manager was given it. */
  rootCaPem?: string;
}

export interface Controller {
  readonly name: string;
  /**
   * Registers informer handlers and runs the workers until the signal aborts. Must not resolve
   * before the signal aborts; must not throw for errors of single objects (requeue them).
   */
  run(signal: AbortSignal): Promise<void>;
}

export type ControllerFactory = (deps: ControllerDeps) => Controller;
