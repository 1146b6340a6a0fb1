// The service load-balancer controller (k3s's ServiceLB equivalent, without its per-node pods:
// each node's proxy already answers on load-balancer addresses). It writes
// status.loadBalancer.ingress of every default-class LoadBalancer Service — the Ready nodes'
// InternalIPs — clears it when a Service stops being a LoadBalancer, and reports port clashes
// between load-balancer Services as Warning events. Since one Service's addresses depend on the
// others' ports and on the nodes, any relevant change requeues every load-balancer Service;
// sync(key) recomputes the whole assignment from the caches (there are few such Services).
import { nodeKind, serviceKind, type Node, type Service } from '../../api/core/v1/index.js';
import type { ApiObject } from '../../api/kind.js';
import { objectKeyOf, splitKey, type EventRecorder, type Informer } from '../../client/index.js';
import { StatusError } from '../../lib/errors.js';
import { aborted } from '../replicaset/index.js';
import { WorkQueue, runWorkers, type Controller, type ControllerDeps } from '../runtime/index.js';
import { assign, ingressIPs, nodeAddresses, servedHere } from './assign.js';

export const PORT_CONFLICT_REASON = 'LoadBalancerPortConflict';
export const ENSURED_REASON = 'EnsuredLoadBalancer';

type ServiceObj = Service & ApiObject;
type NodeObj = Node & ApiObject;

const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

export class ServiceLbController implements Controller {
  readonly name = 'servicelb';
  private readonly queue: WorkQueue;
  private readonly services: Informer<ServiceObj>;
  private readonly nodes: Informer<NodeObj>;
  private readonly recorder: EventRecorder;
  /** Last conflict reported per Service, so a resync does not repeat the event. */
  private readonly reported = new Map<string, string>();

  constructor(private readonly deps: ControllerDeps) {
    this.queue = new WorkQueue({ clock: deps.clock });
    this.services = deps.informers.for<ServiceObj>(serviceKind);
    this.nodes = deps.informers.for<NodeObj>(nodeKind);
    this.recorder = deps.recorder('service-lb-controller');
  }

  async run(signal: AbortSignal): Promise<void> {
    const all = (): void => {
      for (const s of this.services.store.list()) if (servedHere(s) || ingressIPs(s).length > 0) this.queue.add(objectKeyOf(s));
    };
    const onService = (s: ServiceObj): void => {
      this.queue.add(objectKeyOf(s));
      all();
    };
    this.services.addHandlers({
      onAdd: onService,
      onUpdate: (a, b) => {
        if (a !== b) onService(b);
      },
      onDelete: (s) => {
        this.reported.delete(objectKeyOf(s));
        all();
      },
    });
    // Heartbeats rewrite node status all the time; only addresses and readiness matter here.
    this.nodes.addHandlers({
      onAdd: all,
      onUpdate: (a, b) => {
        if (!same(nodeAddresses([a]), nodeAddresses([b]))) all();
      },
      onDelete: all,
    });
    await Promise.race([Promise.all([this.services.synced, this.nodes.synced]), aborted(signal)]);
    if (signal.aborted) return;
    await runWorkers(this, {
      workers: 1,
      queue: this.queue,
      signal,
      onError: (_c, key, err) => this.deps.log(`servicelb ${key}: ${err instanceof Error ? err.message : String(err)}`),
    });
  }

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const svc = this.services.store.get(namespace, name);
    if (!svc) return;
    if (!servedHere(svc)) {
      // Another implementation's Service (a class) is not ours to touch; a former LoadBalancer is.
      if (svc.spec?.type !== 'LoadBalancer' && ingressIPs(svc).length > 0) await this.writeIngress(svc, []);
      this.reported.delete(key);
      return;
    }
    const plan = assign(this.services.store.list(), this.nodes.store.list()).get(key);
    if (!plan) return;
    if (plan.conflict) {
      const { port, protocol, holder } = plan.conflict;
      const msg = `port ${port}/${protocol} is already used by load balancer ${holder}; this Service stays pending until the port is free`;
      if (this.reported.get(key) !== msg) this.recorder.event(svc, 'Warning', PORT_CONFLICT_REASON, msg);
      this.reported.set(key, msg);
    } else {
      this.reported.delete(key);
    }
    if (same(ingressIPs(svc), plan.ingress)) return;
    await this.writeIngress(svc, plan.ingress);
    if (plan.ingress.length > 0) this.recorder.event(svc, 'Normal', ENSURED_REASON, `Load balancer on node addresses ${plan.ingress.join(', ')}`);
  }

  private async writeIngress(svc: ServiceObj, ips: string[]): Promise<void> {
    const body = { status: { loadBalancer: { ingress: ips.length > 0 ? ips.map((ip) => ({ ip, ipMode: 'VIP' })) : null } } };
    try {
      await this.deps.client.patch(serviceKind, svc.metadata?.namespace, svc.metadata?.name ?? '', { type: 'merge', body }, { subresource: 'status' });
    } catch (err) {
      if (err instanceof StatusError && err.reason === 'NotFound') return;
      throw err;
    }
  }
}
