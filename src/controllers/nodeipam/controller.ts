// The node IPAM controller: gives every Node a pod CIDR (spec.podCIDR and spec.podCIDRs, one
// subnet per configured cluster CIDR, so dual-stack clusters get one of each family) cut from the
// cluster CIDR, as Kubernetes' range allocator does. It first marks the subnets of existing nodes
// taken, never changes a CIDR once assigned (the API forbids it too), and frees a node's subnets
// when the node is deleted. Keys are node names.
import { nodeKind, type Node } from '../../api/core/v1/index.js';
import type { EventRecorder, Informer } from '../../client/index.js';
import { WorkQueue, runWorkers, type Controller, type ControllerDeps } from '../runtime/index.js';
import { aborted } from '../replicaset/index.js';
import { CidrSet, parseCidr } from './cidr-set.js';

export interface NodeIpamOptions {
  /** Cluster CIDRs, at most one per family (default k3s's 10.42.0.0/16). */
  clusterCIDRs?: string[];
  /** Size of each IPv4 node subnet (default /24). */
  nodeCIDRMaskSizeIPv4?: number;
  /** Size of each IPv6 node subnet (default /64). */
  nodeCIDRMaskSizeIPv6?: number;
  /** Service CIDRs; node subnets overlapping them are never handed out. */
  serviceCIDRs?: string[];
}

export const DEFAULT_CLUSTER_CIDR = '10.42.0.0/16';

const cidrsOf = (node: Node): string[] => node.spec?.podCIDRs?.length ? node.spec.podCIDRs : node.spec?.podCIDR ? [node.spec.podCIDR] : [];

/** Builds one subnet set per cluster CIDR; throws on a bad configuration (caught at start). */
export function buildSets(o: NodeIpamOptions): CidrSet[] {
  const cidrs = o.clusterCIDRs?.length ? o.clusterCIDRs : [DEFAULT_CLUSTER_CIDR];
  const sets = cidrs.map((s) => {
    const c = parseCidr(s.trim());
    if (!c) throw new Error(`invalid cluster CIDR ${JSON.stringify(s)}`);
    return new CidrSet(c, c.family === 'IPv4' ? (o.nodeCIDRMaskSizeIPv4 ?? 24) : (o.nodeCIDRMaskSizeIPv6 ?? 64));
  });
  if (sets.length > 2 || (sets.length === 2 && sets[0]?.family === sets[1]?.family)) throw new Error('at most one cluster CIDR per IP family');
  for (const svc of o.serviceCIDRs ?? []) for (const s of sets) s.occupy(svc);
  return sets;
}

export class NodeIpamController implements Controller {
  readonly name = 'nodeipam';
  private readonly queue: WorkQueue;
  private readonly nodes: Informer<Node>;
  private readonly recorder: EventRecorder;
  /** What each node holds, by name, with the uid of the node it was given to. */
  private readonly held = new Map<string, { uid: string; cidrs: string[] }>();
  /** Nodes told there is no subnet left for them, so they are told only once. */
  private readonly starved = new Set<string>();

  constructor(
    private readonly deps: ControllerDeps,
    private readonly sets: CidrSet[],
  ) {
    this.queue = new WorkQueue({ clock: deps.clock });
    this.nodes = deps.informers.for<Node>(nodeKind);
    this.recorder = deps.recorder('cidrAllocator');
  }

  async run(signal: AbortSignal): Promise<void> {
    const enqueue = (n: Node): void => this.queue.add(n.metadata?.name ?? '');
    this.nodes.addHandlers({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
    await Promise.race([this.nodes.synced, aborted(signal)]);
    if (signal.aborted) return;
    // Everything already assigned is taken before anything new is handed out.
    for (const n of this.nodes.store.list()) this.take(n);
    await runWorkers(this, {
      workers: 1,
      queue: this.queue,
      signal,
      onError: (_c, key, err) => this.deps.log(`nodeipam ${key}: ${err instanceof Error ? err.message : String(err)}`),
    });
  }

  private take(node: Node): void {
    const cidrs = cidrsOf(node);
    if (cidrs.length === 0) return;
    for (const c of cidrs) for (const s of this.sets) s.occupy(c);
    this.held.set(node.metadata?.name ?? '', { uid: node.metadata?.uid ?? '', cidrs });
  }

  private release(name: string): void {
    for (const c of this.held.get(name)?.cidrs ?? []) for (const s of this.sets) s.release(c);
    this.held.delete(name);
  }

  async sync(name: string): Promise<void> {
    const node = this.nodes.store.get(undefined, name);
    if (!node) {
      this.starved.delete(name);
      if (!this.held.has(name)) return;
      this.release(name);
      // Nodes still waiting for a subnet may have one now.
      for (const n of this.nodes.store.list()) if (cidrsOf(n).length === 0) this.queue.add(n.metadata?.name ?? '');
      return;
    }
    if (cidrsOf(node).length > 0) {
      this.starved.delete(name);
      return this.take(node);
    }
    const held = this.held.get(name);
    if (held?.uid === node.metadata?.uid) {
      // We assigned this node its CIDRs and the cache has not caught up yet.
      this.queue.addAfter(name, 1000);
      return;
    }
    // A node of the same name deleted and made again: its old subnets are free.
    if (held) this.release(name);
    if (node.metadata?.deletionTimestamp) return;
    const got: string[] = [];
    for (const s of this.sets) {
      const c = s.allocate();
      if (c === undefined) {
        for (const g of got) for (const t of this.sets) t.release(g);
        // Said once per node: retrying cannot help until a subnet is released (which re-enqueues
        // the waiting nodes), and every heartbeat of every waiting node would otherwise log again.
        if (this.starved.has(name)) return;
        this.starved.add(name);
        this.recorder.event(node, 'Normal', 'CIDRNotAvailable', `Node ${name} status is now: CIDRNotAvailable`);
        this.deps.log(`nodeipam ${name}: no ${s.family} pod CIDR left in the cluster CIDR (${this.starved.size} node(s) waiting; use a larger --cluster-cidr)`);
        return;
      }
      got.push(c);
    }
    try {
      await this.deps.client.patch(nodeKind, undefined, name, {
        type: 'merge',
        body: { metadata: { resourceVersion: node.metadata?.resourceVersion }, spec: { podCIDR: got[0], podCIDRs: got } },
      });
    } catch (err) {
      for (const g of got) for (const t of this.sets) t.release(g);
      this.recorder.event(node, 'Normal', 'CIDRAssignmentFailed', `Node ${name} status is now: CIDRAssignmentFailed`);
      throw err;
    }
    this.held.set(name, { uid: node.metadata?.uid ?? '', cidrs: got });
    this.starved.delete(name);
  }
}
