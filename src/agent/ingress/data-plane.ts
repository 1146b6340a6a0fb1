// The data plane as the controller sees it: whatever serves the routes on this node's HTTP and
// HTTPS ports. The controller owns the informers and decides *when* routes change; a plane owns
// *how* they are served. It builds each RouteTable itself from the sources the controller hands
// over, because only it knows what a TLS Secret becomes (a Node secure context, or PEM files
// nginx reads). Implementations: nginx (the default, nginx/), and Node's own http (node-plane.ts).
import type { Secret } from '../../api/core/v1/index.js';
import type { Ingress } from '../../api/networking/v1/index.js';
import type { BackendSource } from './backends.js';
import type { ListenAddress } from './listen.js';
import type { RouteTable } from './route-table.js';

export const DATA_PLANES = ['nginx', 'node'] as const;
export type DataPlaneName = (typeof DATA_PLANES)[number];

/** What a route table is built from: our Ingresses, and the caches they refer to. */
export interface RouteSource extends BackendSource {
  ingresses: readonly Ingress[];
  secret(namespace: string, name: string): Secret | undefined;
}

export interface BoundPorts {
  http?: number;
  https?: number;
}

export interface DataPlane {
  /** Builds the table for these sources and serves it from now on; requests in flight keep their backend. */
  apply(src: RouteSource): RouteTable<unknown>;
  /** Starts serving the table applied last; resolves once the listeners are bound. */
  start(): Promise<BoundPorts>;
  /** Stops serving; requests in flight get a few seconds; nothing the plane started is left after. */
  stop(): Promise<void>;
}

/** What every plane is configured with. */
export interface DataPlaneOptions {
  /** Where to listen (parsed from the agent flags); undefined turns a listener off. */
  http?: ListenAddress;
  https?: ListenAddress;
  /** A directory of the plane's own (config, certificates, pid); created when missing. nginx needs one. */
  dir?: string;
  /** DNS servers (`ip:port`, the node's cluster DNS) asked first for ExternalName backends. */
  nameservers?: readonly string[];
  log(msg: string): void;
}
