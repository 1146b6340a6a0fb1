// What `kubectl describe node` calls "Allocated resources": the sum of the CPU and memory
// requests of the pods bound to a node (finished pods excluded), against the node's allocatable.
// A pod's request is the larger of its containers' sum and its largest init container, plus
// sidecars (restartable init containers, which run alongside) and the pod overhead.
import type { Condition, KubeObject } from '../../api/objects.ts';
import { parseQuantity } from '../../lib/quantity.ts';

interface Container {
  name?: string;
  restartPolicy?: string;
  resources?: { requests?: Record<string, string> };
}
interface PodSpec {
  nodeName?: string;
  containers?: Container[];
  initContainers?: Container[];
  overhead?: Record<string, string>;
}

export interface Requests {
  cpu: number;
  memory: number;
}

export function podRequests(pod: KubeObject): Requests {
  const spec = (pod.spec ?? {}) as PodSpec;
  const req = (c: Container, r: keyof Requests): number => parseQuantity(c.resources?.requests?.[r]);
  const out: Requests = { cpu: 0, memory: 0 };
  for (const r of ['cpu', 'memory'] as const) {
    let sidecars = 0;
    let initMax = 0;
    for (const c of spec.initContainers ?? []) {
      if (c.restartPolicy === 'Always') sidecars += req(c, r);
      else initMax = Math.max(initMax, sidecars + req(c, r));
    }
    const main = (spec.containers ?? []).reduce((s, c) => s + req(c, r), 0) + sidecars;
    out[r] = Math.max(main, initMax) + parseQuantity(spec.overhead?.[r]);
  }
  return out;
}

export interface NodeUsage {
  name: string;
  requested: Requests;
  allocatable: Requests;
  pods: number;
  conditions: Condition[];
  unschedulable: boolean;
}

export function nodeUsage(nodes: readonly KubeObject[], pods: readonly KubeObject[]): NodeUsage[] {
  const byNode = new Map<string, NodeUsage>();
  for (const n of nodes) {
    const alloc = ((n.status?.allocatable ?? {}) as Record<string, string>);
    byNode.set(n.metadata?.name ?? '', {
      name: n.metadata?.name ?? '',
      requested: { cpu: 0, memory: 0 },
      allocatable: { cpu: parseQuantity(alloc.cpu), memory: parseQuantity(alloc.memory) },
      pods: 0,
      conditions: n.status?.conditions ?? [],
      unschedulable: n.spec?.unschedulable === true,
    });
  }
  for (const p of pods) {
    const node = byNode.get(((p.spec ?? {}) as PodSpec).nodeName ?? '');
    const phase = p.status?.phase;
    if (!node || phase === 'Succeeded' || phase === 'Failed') continue;
    const r = podRequests(p);
    node.requested.cpu += r.cpu;
    node.requested.memory += r.memory;
    node.pods++;
  }
  return [...byNode.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** Share of allocatable requested, 0..100+ (a node can be overcommitted by static pods). */
export const percent = (used: number, total: number): number => (total > 0 ? Math.round((used / total) * 100) : 0);
