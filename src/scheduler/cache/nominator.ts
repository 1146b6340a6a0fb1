// Pods that preempted others and are waiting for the room to free up, by the node they were
// nominated to. While they wait, lower- or equal-priority pods must not take that room, so the
// scheduler counts nominated pods on a node when filtering it for such pods.
import type { PodInfo } from '../framework/pod-info.js';

export class Nominator {
  private readonly byNode = new Map<string, Map<string, PodInfo>>();
  private readonly nodeOf = new Map<string, string>();

  nominate(pod: PodInfo, node: string): void {
    this.remove(pod.uid);
    let m = this.byNode.get(node);
    if (!m) this.byNode.set(node, (m = new Map()));
    m.set(pod.uid, pod);
    this.nodeOf.set(pod.uid, node);
  }

  remove(uid: string): void {
    const node = this.nodeOf.get(uid);
    if (node === undefined) return;
    this.nodeOf.delete(uid);
    const m = this.byNode.get(node);
    m?.delete(uid);
    if (m?.size === 0) this.byNode.delete(node);
  }

  /** Keeps the nomination but with the pod's latest state. */
  refresh(pod: PodInfo): void {
    const node = this.nodeOf.get(pod.uid);
    if (node !== undefined) this.byNode.get(node)?.set(pod.uid, pod);
  }

  nominatedNode(uid: string): string | undefined {
    return this.nodeOf.get(uid);
  }

  /** Pods nominated to `node` that `pod` must leave room for (priority at least its own). */
  blocking(node: string, pod: PodInfo): PodInfo[] {
    const m = this.byNode.get(node);
    if (!m) return [];
    const out: PodInfo[] = [];
    for (const p of m.values()) if (p.uid !== pod.uid && p.priority >= pod.priority) out.push(p);
    return out;
  }

  /** Pods nominated to `node` with lower priority than `priority`. */
  lowerThan(node: string, priority: number): PodInfo[] {
    return [...(this.byNode.get(node)?.values() ?? [])].filter((p) => p.priority < priority);
  }

  get size(): number {
    return this.nodeOf.size;
  }
}
