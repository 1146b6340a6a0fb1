// The node lifecycle controller: watches Nodes and their heartbeat Leases (kube-node-lease), and
// when a node shows no sign of life for the grace period sets its Ready and pressure conditions
// to Unknown. It keeps the condition taints in step (NoSchedule for the scheduler; NoExecute
// not-ready/unreachable, rate limited per zone, for the taint eviction controller), records
// RegisteredNode/NodeNotReady/RemovingNode events and marks a failed node's pods not ready.
// Handlers only enqueue node names; a periodic monitor re-enqueues every node and re-judges the
// zones, and `sync(name)` does the rest from the caches.
import { leaseKind, type Lease } from '../../api/coordination/v1/index.js';
import { nodeKind, podKind, type Node, type Pod } from '../../api/core/v1/index.js';
import type { EventRecorder, Informer } from '../../client/index.js';
import { WorkQueue, runWorkers, type Controller, type ControllerDeps } from '../runtime/index.js';
import { aborted } from '../replicaset/index.js';
import { HealthTracker, unknownConditions } from './health.js';
import type { ResolvedOptions } from './options.js';
import { apiTime, indexPodsByNode, markPodsNotReady, podsOnNode } from './pods.js';
import { hasOwnedNoExecute, readyCondition, reconcileTaints, wantedNoExecuteKey, wantedNoScheduleKeys } from './taints.js';
import { ZoneCensus, ZoneLimiters, allFullyDisrupted, zoneKey, zoneRate } from './zones.js';

const NODE_LEASE_NAMESPACE = 'kube-node-lease';
const WORKERS = 4;

export class NodeLifecycleController implements Controller {
  readonly name = 'nodelifecycle';
  private readonly queue: WorkQueue;
  private readonly nodes: Informer<Node>;
  private readonly leases: Informer<Lease>;
  private readonly pods: Informer<Pod>;
  private readonly recorder: EventRecorder;
  private readonly health = new HealthTracker();
  private readonly limiters = new ZoneLimiters();
  private readonly census = new ZoneCensus();
  private allDisrupted = false;

  constructor(
    private readonly deps: ControllerDeps,
    private readonly opts: ResolvedOptions,
  ) {
    this.queue = new WorkQueue({ clock: deps.clock });
    this.nodes = deps.informers.for<Node>(nodeKind);
    this.leases = deps.informers.for<Lease>(leaseKind);
    this.pods = deps.informers.for<Pod>(podKind);
    indexPodsByNode(this.pods);
    this.recorder = deps.recorder('node-controller');
  }

  async run(signal: AbortSignal): Promise<void> {
    const enqueue = (n: Node): void => this.queue.add(n.metadata?.name ?? '');
    this.nodes.addHandlers({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
    const onLease = (l: Lease): void => {
      if (l.metadata?.namespace === NODE_LEASE_NAMESPACE) this.queue.add(l.metadata.name ?? '');
    };
    this.leases.addHandlers({ onAdd: onLease, onUpdate: (_o, l) => onLease(l) });
    await Promise.race([Promise.all([this.nodes.synced, this.leases.synced, this.pods.synced]), aborted(signal)]);
    if (signal.aborted) return;
    this.monitor(signal);
    await runWorkers(this, {
      workers: WORKERS,
      queue: this.queue,
      signal,
      onError: (_c, key, err) => this.deps.log(`nodelifecycle ${key}: ${err instanceof Error ? err.message : String(err)}`),
    });
  }

  /** Every monitor period: judge the zones, then look at every node again. */
  private monitor(signal: AbortSignal): void {
    let timer: { cancel(): void } | undefined;
    const tick = (): void => {
      const nodes = this.nodes.store.list();
      for (const n of nodes) this.census.observe(n);
      const zones = this.census.zones(this.opts);
      const all = allFullyDisrupted(zones);
      // Coming back from a cluster-wide outage: give every node a fresh grace period rather than
      // evicting from nodes that simply have not reported yet.
      if (this.allDisrupted && !all) this.health.resetProbes(this.deps.clock.now());
      if (all !== this.allDisrupted) this.deps.log(`nodelifecycle: ${all ? 'all zones fully disrupted; evictions stopped' : 'evictions resumed'}`);
      this.allDisrupted = all;
      for (const n of nodes) this.queue.add(n.metadata?.name ?? '');
      if (!signal.aborted) timer = this.deps.clock.setTimeout(tick, this.opts.monitorPeriodMs);
    };
    tick();
    signal.addEventListener('abort', () => timer?.cancel(), { once: true });
  }

  async sync(name: string): Promise<void> {
    const cached = this.nodes.store.get(undefined, name);
    const now = this.deps.clock.now();
    if (!cached) {
      const h = this.health.get(name);
      if (h) this.recorder.event(h.node, 'Normal', 'RemovingNode', `Node ${name} event: Removing Node ${name} from Controller`);
      this.health.forget(name);
      this.census.forget(name);
      return;
    }
    const { health, first } = this.health.observe(cached, this.leases.store.get(NODE_LEASE_NAMESPACE, name), now);
    if (first) this.recorder.event(cached, 'Normal', 'RegisteredNode', `Node ${name} event: Registered Node ${name} in Controller`);
    let node = cached;
    const deadline = health.probeTimestamp + (readyCondition(cached) ? this.opts.gracePeriodMs : this.opts.startupGracePeriodMs);
    if (now > deadline) {
      const conditions = unknownConditions(cached, apiTime(now));
      if (conditions) {
        const renew = this.leases.store.get(NODE_LEASE_NAMESPACE, name)?.spec?.renewTime;
        this.deps.log(`nodelifecycle: node ${name} silent for ${now - health.probeTimestamp} ms (lease renewTime ${renew ?? 'none'}, ${renew ? Date.now() - Date.parse(renew) : '?'} ms ago by the wall clock): Unknown`);
        const next = structuredClone(cached);
        next.status = { ...next.status, conditions };
        node = await this.deps.client.update<Node>(nodeKind, undefined, next, { subresource: 'status' });
      }
    } else {
      this.queue.addAfter(name, deadline - now + 1);
    }
    this.census.observe(node);
    const ready = readyCondition(node)?.status ?? 'Unknown';
    if (health.lastReady === 'True' && ready !== 'True') {
      this.recorder.event(node, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
      await markPodsNotReady({ client: this.deps.client, recorder: this.recorder, pods: podsOnNode(this.pods, name), now });
    }
    health.lastReady = ready;
    await this.syncTaints(node, { ready, now });
  }

  private async syncTaints(node: Node, o: { ready: string; now: number }): Promise<void> {
    const name = node.metadata?.name ?? '';
    const current = node.spec?.taints ?? [];
    const want = this.allDisrupted ? undefined : wantedNoExecuteKey(o.ready);
    let noExecute: string | undefined | 'keep' = want;
    if (want !== undefined && !hasOwnedNoExecute(current)) {
      // A first NoExecute taint starts evictions: judge the zones with this node's new state,
      // and take a token from the zone's rate limiter.
      const zones = this.census.zones(this.opts);
      // Nodes left out of zone accounting (exclude-disruption) are tainted at the normal rate.
      const zone = zones.get(zoneKey(node)) ?? { state: 'Normal', size: 1 };
      if (allFullyDisrupted(zones)) noExecute = 'keep';
      else {
        const wait = this.limiters.take(zoneKey(node), { now: o.now, rate: zoneRate(zone, this.opts) });
        if (wait > 0) {
          noExecute = 'keep';
          if (Number.isFinite(wait)) this.queue.addAfter(name, wait);
        }
      }
    }
    const taints = reconcileTaints(current, { noSchedule: wantedNoScheduleKeys(node), noExecute, now: apiTime(o.now) });
    if (!taints) return;
    await this.deps.client.patch(nodeKind, undefined, name, {
      type: 'merge',
      body: { metadata: { resourceVersion: node.metadata?.resourceVersion }, spec: { taints } },
    });
  }
}
