// The plugin contract of the scheduler framework, after Kubernetes': a plugin has a name and
// implements any of the extension points below. PreFilter runs once per pod to compute state;
// Filter runs per node and rejects it or not; PreScore and Score rank the nodes that passed;
// PreBind runs just before the binding is written. Plugins see the cluster only through the
// Handle: the node snapshot, namespace labels and the volume objects.
import type { Client } from '../../client/index.js';
import type { PersistentVolume, PersistentVolumeClaim } from '../../api/core/v1/index.js';
import type { StorageClass } from '../../api/storage/v1/index.js';
import type { Labels } from '../../lib/selectors/index.js';
import type { CycleState } from './cycle-state.js';
import type { NodeInfo } from './node-info.js';
import type { PodInfo } from './pod-info.js';
import type { Status } from './status.js';

/** The nodes as of this scheduling attempt (the cache, which only changes between attempts). */
export interface Snapshot {
  /** Every node that has a Node object, in a stable order. */
  nodes(): readonly NodeInfo[];
  get(name: string): NodeInfo | undefined;
  /** Nodes with at least one pod that has pod (anti-)affinity terms. */
  nodesWithAffinityPods(): readonly NodeInfo[];
  /** Nodes with at least one pod that has required anti-affinity terms. */
  nodesWithRequiredAntiAffinityPods(): readonly NodeInfo[];
}

export interface VolumeLister {
  claim(namespace: string, name: string): PersistentVolumeClaim | undefined;
  volume(name: string): PersistentVolume | undefined;
  storageClass(name: string): StorageClass | undefined;
  /** Resolves when the claim is bound; rejects when the signal aborts or the time is up first. */
  waitForBound(namespace: string, name: string, o: WaitOptions): Promise<void>;
}

export interface Handle {
  readonly snapshot: Snapshot;
  namespaceLabels(namespace: string): Labels | undefined;
  /** Changes whenever any namespace's labels may have changed (for memos that read them). */
  namespaceGeneration(): number;
  readonly volumes: VolumeLister;
  readonly client: Client;
}

/** Cluster changes that can make a pod that did not fit schedulable. */
export type ClusterEvent =
  | 'NodeAdd'
  | 'NodeUpdate'
  | 'AssignedPodAdd'
  | 'AssignedPodUpdate'
  | 'AssignedPodDelete'
  | 'VolumeChange';

export interface Plugin {
  readonly name: string;
  /** The events after which a pod this plugin rejected is worth retrying. */
  readonly events?: readonly ClusterEvent[];
}

export interface PreFilterPlugin extends Plugin {
  /** Failure rejects the pod on every node; Skip means this plugin's Filter need not run. */
  preFilter(state: CycleState, pod: PodInfo): Status | undefined;
  /** Names of the only nodes that can pass, when the pod pins them (e.g. DaemonSet pods). */
  preFilterNodeNames?(pod: PodInfo): ReadonlySet<string> | undefined;
  /** Updates the state as if `other` were added to / removed from `node` (preemption dry runs). */
  addPod?(state: CycleState, pod: PodInfo, other: PodInfo, node: NodeInfo): void;
  removePod?(state: CycleState, pod: PodInfo, other: PodInfo, node: NodeInfo): void;
}

export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: PodInfo, node: NodeInfo): Status | undefined;
}

export interface PreScorePlugin extends Plugin {
  /** Skip means this plugin's Score need not run for the pod. */
  preScore(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): Status | undefined;
}

export interface ScorePlugin extends Plugin {
  /** A raw score; `normalize` (when present) maps the scores of all nodes to 0..100. */
  score(state: CycleState, pod: PodInfo, node: NodeInfo): number;
  normalize?(state: CycleState, pod: PodInfo, scores: number[]): void;
}

export interface WaitOptions {
  signal: AbortSignal;
  timeoutMs: number;
}

export interface PreBindPlugin extends Plugin {
  /** May wait (for volumes, say) up to `timeoutMs`. */
  preBind(state: CycleState, pod: PodInfo, o: WaitOptions & { nodeName: string }): Promise<void>;
}

export type PluginFactory = (h: Handle) => Plugin;

export const MAX_NODE_SCORE = 100;

export const isPreFilter = (p: Plugin): p is PreFilterPlugin => typeof (p as Partial<PreFilterPlugin>).preFilter === 'function';
export const isFilter = (p: Plugin): p is FilterPlugin => typeof (p as Partial<FilterPlugin>).filter === 'function';
export const isPreScore = (p: Plugin): p is PreScorePlugin => typeof (p as Partial<PreScorePlugin>).preScore === 'function';
export const isScore = (p: Plugin): p is ScorePlugin => typeof (p as Partial<ScorePlugin>).score === 'function';
export const isPreBind = (p: Plugin): p is PreBindPlugin => typeof (p as Partial<PreBindPlugin>).preBind === 'function';
