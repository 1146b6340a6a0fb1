// The scheduler's picture of the cluster: a NodeInfo per node with the pods on it, built from the
// node and pod informers, plus the pods the scheduler has assumed onto nodes while their binding
// is in flight (so the next pod does not take the same room). When the informer later shows the
// pod bound, the assumption is confirmed; if binding fails, it is forgotten. Scheduling attempts
// run synchronously between informer events, so this cache is itself the per-attempt snapshot.
import type { Node } from '../../api/core/v1/index.js';
import { NodeInfo } from '../framework/node-info.js';
import { hasAffinity, type PodInfo } from '../framework/pod-info.js';
import type { Snapshot } from '../framework/types.js';

interface PodState {
  pod: PodInfo;
  node: string;
  assumed: boolean;
}

export class SchedulerCache implements Snapshot {
  /** Includes entries for node names that only pods mention (their Node object is missing). */
  private readonly infos = new Map<string, NodeInfo>();
  private readonly ordered: NodeInfo[] = [];
  private readonly pods = new Map<string, PodState>();
  private affinityVersion = 0;
  private affinityCache: { version: number; all: NodeInfo[]; anti: NodeInfo[] } | undefined;

  nodes(): readonly NodeInfo[] {
    return this.ordered;
  }

  get(name: string): NodeInfo | undefined {
    const n = this.infos.get(name);
    return n?.node ? n : undefined;
  }

  nodesWithAffinityPods(): readonly NodeInfo[] {
    return this.affinityLists().all;
  }

  nodesWithRequiredAntiAffinityPods(): readonly NodeInfo[] {
    return this.affinityLists().anti;
  }

  private affinityLists(): { all: NodeInfo[]; anti: NodeInfo[] } {
    if (this.affinityCache?.version !== this.affinityVersion) {
      this.affinityCache = {
        version: this.affinityVersion,
        all: this.ordered.filter((n) => n.podsWithAffinity > 0),
        anti: this.ordered.filter((n) => n.podsWithRequiredAntiAffinity > 0),
      };
    }
    return this.affinityCache;
  }

  private info(name: string): NodeInfo {
    let n = this.infos.get(name);
    if (!n) this.infos.set(name, (n = new NodeInfo(name)));
    return n;
  }

  /** Adds or updates a node. */
  setNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    const n = this.info(name);
    const isNew = !n.node;
    n.setNode(node);
    if (isNew) {
      this.ordered.push(n);
      this.affinityVersion++;
    }
  }

  removeNode(name: string): void {
    const n = this.infos.get(name);
    if (!n) return;
    const i = this.ordered.indexOf(n);
    if (i >= 0) this.ordered.splice(i, 1);
    n.setNode(undefined);
    if (n.pods.length === 0) this.infos.delete(name);
    this.affinityVersion++;
  }

  /** Records an assigned pod as the informer reports it (confirming an assumption if there was one). */
  setPod(pod: PodInfo, nodeName: string): void {
    const prev = this.pods.get(pod.uid);
    if (prev) this.detach(prev);
    const state = { pod, node: nodeName, assumed: false };
    this.pods.set(pod.uid, state);
    this.attach(state);
  }

  removePod(uid: string): void {
    const prev = this.pods.get(uid);
    if (!prev) return;
    this.detach(prev);
    this.pods.delete(uid);
  }

  /** Counts the pod on the node before the binding is written. */
  assume(pod: PodInfo, nodeName: string): void {
    const state = { pod, node: nodeName, assumed: true };
    const prev = this.pods.get(pod.uid);
    if (prev) this.detach(prev);
    this.pods.set(pod.uid, state);
    this.attach(state);
  }

  /** Undoes an assumption whose binding failed; a confirmed pod is left alone. */
  forget(uid: string): void {
    const prev = this.pods.get(uid);
    if (prev?.assumed) this.removePod(uid);
  }

  isAssumed(uid: string): boolean {
    return this.pods.get(uid)?.assumed === true;
  }

  /** Where the cache has the pod, if anywhere. */
  nodeOf(uid: string): string | undefined {
    return this.pods.get(uid)?.node;
  }

  private attach(s: PodState): void {
    this.info(s.node).addPod(s.pod);
    if (hasAffinity(s.pod)) this.affinityVersion++;
  }

  private detach(s: PodState): void {
    const n = this.infos.get(s.node);
    if (!n) return;
    const removed = n.removePod(s.pod.uid);
    if (removed && hasAffinity(removed)) this.affinityVersion++;
    if (!n.node && n.pods.length === 0) this.infos.delete(s.node);
  }
}
