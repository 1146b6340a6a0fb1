// IngressController: the agent component that serves Ingresses of class `tugboat` on this
// node's HTTP and HTTPS ports. Informer events only schedule work: a debounced rebuild of the
// route table from the caches, handed to the data plane (nginx by default, which applies
// endpoint changes without a reload and reloads for Ingress changes; or Node's own http), and a
// debounced status sync that writes status.loadBalancer where it is stale. See
// docs/design/ingress.md.
import type { Node, Secret, Service } from '../../api/core/v1/index.js';
import { nodeKind, secretKind, serviceKind, endpointSliceKind, ingressClassKind, ingressKind } from '../../api/refs/index.js';
import type { EndpointSlice } from '../../api/discovery/v1/index.js';
import type { Ingress, IngressClass } from '../../api/networking/v1/index.js';
import type { ApiObject } from '../../api/kind.js';
import { objectKeyOf, type Client, type Informer, type InformerFactory } from '../../client/index.js';
import { SERVICE_NAME_LABEL } from './backends.js';
import { DEFAULT_CLASS_NAME, DEFAULT_CONTROLLER_NAME, classSelection, isOurs } from './class-selection.js';
import { ensureIngressClass } from './ingress-class.js';
import type { DataPlane, DataPlaneName, DataPlaneOptions } from './data-plane.js';
import { parseListen } from './listen.js';
import { NginxDataPlane } from './nginx/index.js';
import { NodeDataPlane } from './node-plane.js';
import { RouteTable } from './route-table.js';
import { loadBalancerAddresses, statusMatches, writeStatus } from './status.js';

/** The data planes, by the name `--ingress-data-plane` takes. */
const PLANES = {
  nginx: (o: DataPlaneOptions): DataPlane => {
    if (!o.dir) throw new Error('the nginx ingress data plane needs a state directory');
    return new NginxDataPlane({ ...o, dir: o.dir });
  },
  node: (o: DataPlaneOptions): DataPlane => new NodeDataPlane(o),
} satisfies Record<DataPlaneName, (o: DataPlaneOptions) => DataPlane>;

export interface IngressControllerOptions {
  client: Client;
  informers: InformerFactory;
  nodeName: string;
  log(msg: string): void;
  /** HTTP listen address (default `:80`); empty disables HTTP. */
  httpListen?: string;
  /** HTTPS listen address (default `:443`); empty disables HTTPS. */
  httpsListen?: string;
  /** This node's address, for the log; status lists every Ready node's InternalIP. */
  nodeIp?: string;
  /** IngressClass created at start and served (default `tugboat`). */
  className?: string;
  /** spec.controller of the classes served (default `tugboat.dev/ingress`). */
  controllerName?: string;
  /** Gather informer events this long before rebuilding the route table (default 20 ms). */
  debounceMs?: number;
  /** Write status.loadBalancer (default on); off for agents that must not write. */
  writeStatus?: boolean;
  /** Which data plane serves the routes (default nginx). */
  dataPlane?: DataPlaneName;
  /** The data plane's own directory (nginx.conf, certificates, pid); required for nginx. */
  stateDir?: string;
  /** DNS servers (`ip:port`) for ExternalName backends: the node's cluster DNS, then the host's resolver. */
  nameservers?: readonly string[];
}

const STATUS_DEBOUNCE_MS = 200;
const STATUS_RETRY_MS = 5_000;
const REBUILD_RETRY_MS = 1_000;

export class IngressController {
  readonly ready: Promise<void>;
  private resolveReady!: () => void;
  private rejectReady!: (err: unknown) => void;
  private table: RouteTable<unknown> = RouteTable.empty();
  private plane: DataPlane | undefined;
  private readonly ingresses: Informer<Ingress>;
  private readonly classes: Informer<IngressClass>;
  private readonly services: Informer<Service>;
  private readonly slices: Informer<EndpointSlice>;
  private readonly secrets: Informer<Secret>;
  private readonly nodes: Informer<Node>;
  private synced = false;
  private rebuildTimer: NodeJS.Timeout | undefined;
  private statusTimer: NodeJS.Timeout | undefined;
  private statusBusy = false;
  private statusAgain = false;
  private lastProblems = '';
  private boundPorts: { http?: number; https?: number } = {};

  constructor(private readonly o: IngressControllerOptions) {
    this.ready = new Promise((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    this.ready.catch(() => undefined);
    const inf = o.informers;
    this.ingresses = inf.for<Ingress>(ingressKind);
    this.classes = inf.for<IngressClass>(ingressClassKind);
    this.services = inf.for<Service>(serviceKind);
    this.slices = inf.for<EndpointSlice>(endpointSliceKind);
    this.secrets = inf.for<Secret>(secretKind);
    this.nodes = inf.for<Node>(nodeKind);
    this.slices.store.addIndex('ingress-service', (s) => {
      const svc = s.metadata?.labels?.[SERVICE_NAME_LABEL];
      return svc ? [`${s.metadata?.namespace ?? ''}/${svc}`] : [];
    });
    const always = (): void => this.changed({ status: true });
    this.watch(this.ingresses, always);
    this.watch(this.classes, always);
    this.watch(this.services, (s) => this.table.services.has(objectKeyOf(s)) && this.changed({}));
    this.watch(this.slices, (s) => this.table.services.has(`${s.metadata?.namespace ?? ''}/${s.metadata?.labels?.[SERVICE_NAME_LABEL] ?? ''}`) && this.changed({}));
    this.watch(this.secrets, (s) => this.table.secrets.has(objectKeyOf(s)) && this.changed({}));
    this.watch(this.nodes, () => this.scheduleStatus(STATUS_DEBOUNCE_MS));
  }

  /** Ports the listeners are bound to, once ready (handy with port 0). */
  get ports(): { http?: number; https?: number } {
    return { ...this.boundPorts };
  }

  private watch<T extends ApiObject>(inf: Informer<T>, fn: (obj: T) => unknown): void {
    inf.addHandlers({ onAdd: fn, onUpdate: (_old, obj) => fn(obj), onDelete: fn });
  }

  private changed(o: { status?: boolean }): void {
    if (!this.synced) return;
    this.rebuildTimer ??= setTimeout(() => {
      this.rebuildTimer = undefined;
      try {
        this.rebuild();
      } catch (err) {
        // The plane could not write its files (a full disk, say): try again, never crash the agent.
        this.o.log(`ingress: applying routes: ${err instanceof Error ? err.message : String(err)}; retrying`);
        setTimeout(() => this.changed({}), REBUILD_RETRY_MS).unref();
      }
    }, this.o.debounceMs ?? 20);
    if (o.status) this.scheduleStatus(STATUS_DEBOUNCE_MS);
  }

  private ours(): Ingress[] {
    const sel = classSelection(this.classes.store.list(), { className: this.o.className ?? DEFAULT_CLASS_NAME, controllerName: this.o.controllerName ?? DEFAULT_CONTROLLER_NAME });
    return this.ingresses.store.list().filter((i) => isOurs(i, sel));
  }

  private rebuild(): void {
    if (!this.plane) return;
    const table = this.plane.apply({
      ingresses: this.ours(),
      service: (ns, name) => this.services.store.get(ns, name),
      slices: (ns, name) => this.slices.store.byIndex('ingress-service', `${ns}/${name}`),
      secret: (ns, name) => this.secrets.store.get(ns, name),
    });
    this.table = table;
    const problems = table.problems.join('\n');
    if (problems !== this.lastProblems && problems) this.o.log(`ingress: ${table.problems.length} problem(s):\n  ${table.problems.join('\n  ')}`);
    this.lastProblems = problems;
  }

  private scheduleStatus(ms: number): void {
    if (!this.synced || this.o.writeStatus === false || this.statusTimer) return;
    this.statusTimer = setTimeout(() => {
      this.statusTimer = undefined;
      this.syncStatus().catch((err: unknown) => this.o.log(`ingress: status: ${String(err)}`));
    }, ms);
    this.statusTimer.unref();
  }

  private async syncStatus(): Promise<void> {
    if (this.statusBusy) {
      this.statusAgain = true;
      return;
    }
    this.statusBusy = true;
    try {
      const ips = loadBalancerAddresses(this.nodes.store.list());
      if (ips.length === 0) return;
      for (const ing of this.ours()) {
        if (statusMatches(ing, ips)) continue;
        try {
          await writeStatus(this.o.client, ing, ips);
        } catch (err) {
          this.o.log(`ingress: writing status of ${objectKeyOf(ing)}: ${err instanceof Error ? err.message : String(err)}`);
          this.scheduleStatus(STATUS_RETRY_MS);
        }
      }
    } finally {
      this.statusBusy = false;
      if (this.statusAgain) {
        this.statusAgain = false;
        this.scheduleStatus(STATUS_DEBOUNCE_MS);
      }
    }
  }

  async run(signal: AbortSignal): Promise<void> {
    const aborted = new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
    const className = this.o.className ?? DEFAULT_CLASS_NAME;
    const classReady = ensureIngressClass(this.o.client, { className, controllerName: this.o.controllerName ?? DEFAULT_CONTROLLER_NAME, log: this.o.log }, signal);
    const kind = this.o.dataPlane ?? 'nginx';
    let plane: DataPlane | undefined;
    try {
      const http = parseListen(this.o.httpListen ?? ':80');
      const https = parseListen(this.o.httpsListen ?? ':443');
      plane = PLANES[kind]({ ...(http ? { http } : {}), ...(https ? { https } : {}), ...(this.o.stateDir ? { dir: this.o.stateDir } : {}), ...(this.o.nameservers ? { nameservers: this.o.nameservers } : {}), log: this.o.log });
      const syncs = [this.ingresses, this.classes, this.services, this.slices, this.secrets, this.nodes].map((i) => i.synced);
      await Promise.race([Promise.all(syncs), aborted]);
      if (signal.aborted) return;
      this.plane = plane;
      this.synced = true;
      this.rebuild();
      this.boundPorts = await plane.start();
      this.o.log(
        `ingress: serving class ${className} on node ${this.o.nodeName}${this.o.nodeIp ? ` (${this.o.nodeIp})` : ''} with ${kind}: ${this.table.ingressCount} Ingress(es), http ${this.boundPorts.http ?? 'off'}, https ${this.boundPorts.https ?? 'off'}`,
      );
      this.scheduleStatus(0);
      this.resolveReady();
      await aborted;
    } catch (err) {
      this.rejectReady(err);
      throw err;
    } finally {
      this.rejectReady(new Error('ingress controller stopped'));
      this.synced = false;
      this.plane = undefined;
      clearTimeout(this.rebuildTimer);
      clearTimeout(this.statusTimer);
      await plane?.stop();
      await classReady;
    }
  }
}
