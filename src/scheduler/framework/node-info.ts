// One node as the scheduler sees it: the Node object (labels, taints, allocatable) and the pods
// on it, including pods the scheduler has assumed there while their binding is in flight, with
// running totals of what they request, the host ports they hold and which of them have
// (anti-)affinity terms. Plugins read these totals instead of walking the pods for every node.
import type { Node, Taint } from '../../api/core/v1/index.js';
import type { NodeLike } from './node-selector.js';
import { hasAffinity, hasRequiredAntiAffinity, type HostPort, type PodInfo } from './pod-info.js';
import { addInto, cloneResources, emptyResources, fromList, type Resources } from './resources.js';

/** Host ports in use, by IP, with counts so two claims of one port free it only when both go. */
export class HostPortSet {
  private readonly byIp = new Map<string, Map<string, number>>();

  add(p: HostPort, delta = 1): void {
    let ports = this.byIp.get(p.ip);
    if (!ports) this.byIp.set(p.ip, (ports = new Map()));
    const k = `${p.protocol}/${p.port}`;
    const n = (ports.get(k) ?? 0) + delta;
    if (n > 0) ports.set(k, n);
    else ports.delete(k);
    if (ports.size === 0) this.byIp.delete(p.ip);
  }

  /** A wildcard address conflicts with the same port on any address, and the other way round. */
  conflicts(p: HostPort): boolean {
    const k = `${p.protocol}/${p.port}`;
    if (p.ip === '0.0.0.0') {
      for (const ports of this.byIp.values()) if (ports.has(k)) return true;
      return false;
    }
    return (this.byIp.get('0.0.0.0')?.has(k) ?? false) || (this.byIp.get(p.ip)?.has(k) ?? false);
  }

  get size(): number {
    return this.byIp.size;
  }

  clone(): HostPortSet {
    const c = new HostPortSet();
    for (const [ip, ports] of this.byIp) c.byIp.set(ip, new Map(ports));
    return c;
  }
}

let generations = 0;

/** A memo key: a number standing for a descriptive string, so lookups need not compare text. */
export type MemoKey = number & { readonly __memoKey: unique symbol };
const memoKeys = new Map<string, MemoKey>();
let nextMemoKey = 0;

/** The key for a description; call once per attempt, not per node. */
export function memoKey(description: string): MemoKey {
  let k = memoKeys.get(description);
  if (k === undefined) {
    // Forgetting old descriptions only costs recomputation: numbers are never reused.
    if (memoKeys.size >= 100_000) memoKeys.clear();
    k = nextMemoKey++ as MemoKey;
    memoKeys.set(description, k);
  }
  return k;
}
/** Distinct memoised values kept per node (workloads being scheduled at once). */
const MAX_MEMOS = 64;

export class NodeInfo implements NodeLike {
  node: Node | undefined;
  labels: Readonly<Record<string, string>> = {};
  taints: readonly Taint[] = [];
  unschedulable = false;
  allocatable: Resources = emptyResources();
  /** Sum of the exact requests of the pods here (pods counts them). */
  readonly requested: Resources = emptyResources();
  /** Sum of cpu and memory with the scoring defaults. */
  nonZeroMilliCpu = 0;
  nonZeroMemory = 0;
  readonly pods: PodInfo[] = [];
  podsWithAffinity = 0;
  podsWithRequiredAntiAffinity = 0;
  readonly usedPorts = new HostPortSet();
  /** Bumped on every change, so callers can tell a node changed since they looked. */
  generation = ++generations;
  private memoGeneration = -1;
  private memoValues: Map<number, unknown> | undefined;

  constructor(readonly name: string) {}

  /**
   * A value derived from this node and its pods, computed once until the node changes. Plugins
   * use it for per-node counts that consecutive pods of one workload ask for again and again, so
   * an attempt costs O(nodes) rather than O(pods in the cluster). `key` (from `memoKey`) must
   * stand for everything else the value depends on.
   */
  memo<T>(key: MemoKey, compute: () => T): T {
    if (this.memoGeneration !== this.generation || !this.memoValues) {
      this.memoValues = new Map();
      this.memoGeneration = this.generation;
    } else if (this.memoValues.has(key)) {
      return this.memoValues.get(key) as T;
    }
    const v = compute();
    if (this.memoValues.size >= MAX_MEMOS) this.memoValues.clear();
    this.memoValues.set(key, v);
    return v;
  }

  setNode(node: Node | undefined): void {
    this.node = node;
    this.labels = node?.metadata?.labels ?? {};
    this.taints = node?.spec?.taints ?? [];
    this.unschedulable = node?.spec?.unschedulable === true;
    this.allocatable = fromList(node?.status?.allocatable ?? node?.status?.capacity);
    this.generation = ++generations;
  }

  addPod(p: PodInfo): void {
    this.pods.push(p);
    this.account(p, 1);
  }

  /** Removes the pod with this uid; returns it, or undefined if it was not here. */
  removePod(uid: string): PodInfo | undefined {
    const i = this.pods.findIndex((p) => p.uid === uid);
    if (i < 0) return undefined;
    const [p] = this.pods.splice(i, 1) as [PodInfo];
    this.account(p, -1);
    return p;
  }

  private account(p: PodInfo, sign: 1 | -1): void {
    addInto(this.requested, p.requests, sign);
    this.requested.pods += sign;
    this.nonZeroMilliCpu += sign * p.nonZeroMilliCpu;
    this.nonZeroMemory += sign * p.nonZeroMemory;
    for (const hp of p.hostPorts) this.usedPorts.add(hp, sign);
    if (hasAffinity(p)) this.podsWithAffinity += sign;
    if (hasRequiredAntiAffinity(p)) this.podsWithRequiredAntiAffinity += sign;
    this.generation = ++generations;
  }

  /** A copy whose pods and totals can change without touching this one (for preemption). */
  clone(): NodeInfo {
    const c = new NodeInfo(this.name);
    c.node = this.node;
    c.labels = this.labels;
    c.taints = this.taints;
    c.unschedulable = this.unschedulable;
    c.allocatable = this.allocatable;
    Object.assign(c.requested, cloneResources(this.requested));
    c.nonZeroMilliCpu = this.nonZeroMilliCpu;
    c.nonZeroMemory = this.nonZeroMemory;
    c.pods.push(...this.pods);
    c.podsWithAffinity = this.podsWithAffinity;
    c.podsWithRequiredAntiAffinity = this.podsWithRequiredAntiAffinity;
    for (const p of this.pods) for (const hp of p.hostPorts) c.usedPorts.add(hp);
    return c;
  }
}
