// Test fixtures for the scheduler's unit tests: Node and Pod objects from a few options, a cache
// holding them, a Handle over that cache, and running one plugin's PreFilter + Filter or
// PreScore + Score for a pod the way the framework would.
import type { Node, PersistentVolume, PersistentVolumeClaim, Pod } from '../../api/core/v1/index.js';
import type { StorageClass } from '../../api/storage/v1/index.js';
import type { Client } from '../../client/index.js';
import type { Labels } from '../../lib/selectors/index.js';
import { SchedulerCache } from '../cache/cache.js';
import { CycleState } from '../framework/cycle-state.js';
import type { NodeInfo } from '../framework/node-info.js';
import { podInfo } from '../framework/pod-info.js';
import type { Status } from '../framework/status.js';
import { isFilter, isPreFilter, isPreScore, isScore, type Handle, type Plugin, type PluginFactory, type VolumeLister } from '../framework/types.js';

type PodSpec = NonNullable<Pod['spec']>;
type NodeSpec = NonNullable<Node['spec']>;

export interface NodeOptions {
  cpu?: string;
  memory?: string;
  pods?: number;
  labels?: Record<string, string>;
  taints?: NodeSpec['taints'];
  unschedulable?: boolean;
  extra?: Record<string, string>;
}

export function makeNode(name: string, o: NodeOptions = {}): Node {
  const allocatable = { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: String(o.pods ?? 110), ...(o.extra ?? {}) };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, uid: `uid-${name}`, labels: { 'kubernetes.io/hostname': name, ...(o.labels ?? {}) } },
    spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) },
    status: { allocatable, capacity: allocatable, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

export interface PodOptions {
  namespace?: string;
  cpu?: string;
  memory?: string;
  labels?: Record<string, string>;
  priority?: number;
  nodeName?: string;
  hostPort?: number;
  terminating?: boolean;
  startTime?: string;
  spec?: Partial<PodSpec>;
}

let uid = 0;

export function makePod(name: string, o: PodOptions = {}): Pod {
  const requests: Record<string, string> = {};
  if (o.cpu) requests.cpu = o.cpu;
  if (o.memory) requests.memory = o.memory;
  const container = {
    name: 'c',
    image: 'busybox',
    ...(Object.keys(requests).length > 0 ? { resources: { requests } } : {}),
    ...(o.hostPort ? { ports: [{ containerPort: 80, hostPort: o.hostPort, protocol: 'TCP' as const }] } : {}),
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: o.namespace ?? 'default',
      uid: `pod-uid-${++uid}`,
      labels: o.labels ?? {},
      creationTimestamp: '2024-01-01T00:00:00Z',
      ...(o.terminating ? { deletionTimestamp: '2024-01-01T00:01:00Z' } : {}),
    },
    spec: { containers: [container], priority: o.priority ?? 0, ...(o.nodeName ? { nodeName: o.nodeName } : {}), ...(o.spec ?? {}) },
    status: { phase: o.nodeName ? 'Running' : 'Pending', ...(o.startTime ? { startTime: o.startTime } : {}) },
  };
}

/** A cache holding the nodes and the bound pods (each on its spec.nodeName). */
export function clusterOf(nodes: Node[], pods: Pod[] = []): SchedulerCache {
  const cache = new SchedulerCache();
  for (const n of nodes) cache.setNode(n);
  for (const p of pods) cache.setPod(podInfo(p), p.spec?.nodeName ?? '');
  return cache;
}

export interface FakeVolumes {
  claims?: PersistentVolumeClaim[];
  volumes?: PersistentVolume[];
  classes?: StorageClass[];
}

export function handleFor(cache: SchedulerCache, o: { namespaces?: Record<string, Labels>; volumes?: FakeVolumes; client?: Client } = {}): Handle {
  const v = o.volumes ?? {};
  const volumes: VolumeLister = {
    claim: (ns, name) => v.claims?.find((c) => c.metadata?.namespace === ns && c.metadata?.name === name),
    volume: (name) => v.volumes?.find((p) => p.metadata?.name === name),
    storageClass: (name) => v.classes?.find((c) => c.metadata?.name === name),
    waitForBound: () => Promise.resolve(),
  };
  const client = o.client ?? (new Proxy({}, { get: () => () => Promise.reject(new Error('no client in this test')) }) as Client);
  return { snapshot: cache, namespaceLabels: (ns) => o.namespaces?.[ns], namespaceGeneration: () => 0, volumes, client };
}

/** Runs PreFilter then Filter of one plugin for `pod` on `node`; PreFilter's rejection wins. */
export function filterOn(factory: PluginFactory, h: Handle, pod: Pod, node: string): Status | undefined {
  const plugin: Plugin = factory(h);
  const info = podInfo(pod);
  const state = new CycleState();
  if (isPreFilter(plugin)) {
    const s = plugin.preFilter(state, info);
    if (s?.code === 'Skip') return undefined;
    if (s) return s;
  }
  const n = h.snapshot.get(node);
  if (!n) throw new Error(`no node ${node}`);
  return isFilter(plugin) ? plugin.filter(state, info, n) : undefined;
}

/** Normalised scores of one plugin for `pod` on the named nodes (all nodes when omitted). */
export function scoresOf(factory: PluginFactory, h: Handle, pod: Pod, names?: string[]): Record<string, number> {
  const plugin = factory(h);
  const info = podInfo(pod);
  const state = new CycleState();
  const nodes: NodeInfo[] = names ? names.map((n) => h.snapshot.get(n) as NodeInfo) : [...h.snapshot.nodes()];
  if (isPreScore(plugin) && plugin.preScore(state, info, nodes)?.code === 'Skip') return Object.fromEntries(nodes.map((n) => [n.name, 0]));
  if (!isScore(plugin)) throw new Error(`${plugin.name} does not score`);
  const scores = nodes.map((n) => plugin.score(state, info, n));
  plugin.normalize?.(state, info, scores);
  return Object.fromEntries(nodes.map((n, i) => [n.name, scores[i] as number]));
}
