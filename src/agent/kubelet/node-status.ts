// The kubelet's Node: registration (create it, or adopt an existing one with the same name) and
// the status loop. Every nodeStatusUpdate period (10 s) the status is recomputed — capacity and
// allocatable, addresses, nodeInfo, images, and the MemoryPressure/DiskPressure/PIDPressure/Ready
// conditions from the runtime's health — and written only when it changed or when the report
// period (5 min, Kubernetes' nodeStatusReportFrequency) passed, as Kubernetes' kubelet does;
// liveness between reports is the Lease's job. The Node's own Events come from here too.
// spec.podCIDR is node IPAM's to set; the kubelet only reads it.
import { arch as osArch, release } from 'node:os';
import { createHash } from 'node:crypto';
import type { Node, NodeStatus, NodeCondition } from '../../api/core/v1/index.js';
import { nodeKind } from '../../api/refs/index.js';
import type { Client } from '../../client/index.js';
import { StatusError } from '../../lib/errors.js';
import { Backoff } from '../../lib/backoff.js';
import type { Clock } from '../../lib/workqueue.js';
import type { Runtime, VersionInfo } from '../cri/index.js';
import { KUBELET_VERSION, type KubeletTiming, type NodeSettings } from './options.js';
import { apiTime } from './pod-status.js';
import { canonicalJson } from './status-writer.js';
import type { EventRecorder } from '../../client/index.js';
import { conditionEvents, nodeRef, STARTING, type NodeEvent } from './node-events.js';

const ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x' };
export const nodeArch = (): string => ARCH[osArch()] ?? osArch();

const fakeId = (name: string, salt: string): string => {
  const h = createHash('sha256').update(`${salt}/${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

export function nodeLabels(name: string, settings: NodeSettings): Record<string, string> {
  const arch = nodeArch();
  return {
    'beta.kubernetes.io/arch': arch,
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': arch,
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    ...(settings.labels ?? {}),
  };
}

interface ConditionSpec {
  type: string;
  ok: boolean;
  okStatus: 'True' | 'False';
  reason: [string, string];
  message: [string, string];
}

function conditionsFor(runtimeProblems: string[]): ConditionSpec[] {
  const ready = runtimeProblems.length === 0;
  return [
    { type: 'MemoryPressure', ok: true, okStatus: 'False', reason: ['KubeletHasSufficientMemory', 'KubeletHasInsufficientMemory'], message: ['kubelet has sufficient memory available', 'kubelet has insufficient memory available'] },
    { type: 'DiskPressure', ok: true, okStatus: 'False', reason: ['KubeletHasNoDiskPressure', 'KubeletHasDiskPressure'], message: ['kubelet has no disk pressure', 'kubelet has disk pressure'] },
    { type: 'PIDPressure', ok: true, okStatus: 'False', reason: ['KubeletHasSufficientPID', 'KubeletHasInsufficientPID'], message: ['kubelet has sufficient PID available', 'kubelet has insufficient PID available'] },
    { type: 'Ready', ok: ready, okStatus: 'True', reason: ['KubeletReady', 'KubeletNotReady'], message: ['kubelet is posting ready status', runtimeProblems.join('; ')] },
  ];
}

export interface NodeStatusInput {
  name: string;
  settings: NodeSettings;
  version: VersionInfo;
  /** Human-readable runtime problems; empty when RuntimeReady and NetworkReady hold. */
  runtimeProblems: string[];
  images: { names: string[]; sizeBytes: number }[];
  previous: NodeStatus | undefined;
  now: number;
}

export function buildNodeStatus(i: NodeStatusInput): NodeStatus {
  const s = i.settings;
  const prevConditions = i.previous?.conditions ?? [];
  const conditions: NodeCondition[] = conditionsFor(i.runtimeProblems).map((c) => {
    const status = c.ok ? c.okStatus : c.okStatus === 'True' ? 'False' : 'True';
    const prev = prevConditions.find((p) => p.type === c.type);
    return {
      type: c.type,
      status,
      lastHeartbeatTime: apiTime(i.now),
      lastTransitionTime: prev && prev.status === status && prev.lastTransitionTime ? prev.lastTransitionTime : apiTime(i.now),
      reason: c.ok ? c.reason[0] : c.reason[1],
      message: c.ok ? c.message[0] : c.message[1],
    };
  });
  return {
    capacity: { ...s.capacity },
    allocatable: { ...(s.allocatable ?? s.capacity) },
    conditions,
    addresses: [
      { type: 'InternalIP', address: s.internalIP },
      { type: 'Hostname', address: i.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: s.kubeletPort ?? 10250 } },
    nodeInfo: {
      machineID: s.machineID ?? fakeId(i.name, 'machine').replace(/-/g, ''),
      systemUUID: s.systemUUID ?? fakeId(i.name, 'system'),
      bootID: s.bootID ?? fakeId(i.name, `boot-${process.pid}`),
      kernelVersion: s.kernelVersion ?? release(),
      osImage: s.osImage ?? 'Tugboat',
      containerRuntimeVersion: `${i.version.runtimeName}://${i.version.runtimeVersion}`,
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: '',
      operatingSystem: 'linux',
      architecture: nodeArch(),
    },
    ...(i.images.length > 0 ? { images: i.images } : {}),
  };
}

/** Equal apart from heartbeat times, i.e. nothing a reader would call a change. */
export function sameStatus(a: NodeStatus | undefined, b: NodeStatus): boolean {
  if (!a) return false;
  const strip = (s: NodeStatus): unknown => ({ ...s, conditions: (s.conditions ?? []).map((c) => ({ ...c, lastHeartbeatTime: undefined })) });
  return canonicalJson(strip(a)) === canonicalJson(strip(b));
}

/** True when both resourceVersions are numbers (as etcd's and sqlite's are) and `a`'s is not above `b`'s. */
function notNewer(a: Node, b: Node | undefined): boolean {
  const x = Number(a.metadata?.resourceVersion);
  const y = Number(b?.metadata?.resourceVersion);
  return Number.isFinite(x) && Number.isFinite(y) && x <= y;
}

export interface NodeStatusDeps {
  client: Client;
  runtime: Runtime;
  name: string;
  settings: NodeSettings;
  clock: Clock;
  timing: KubeletTiming;
  log(msg: string): void;
  /** Where the node's own Events go (Starting, condition changes); none when absent. */
  recorder?: EventRecorder;
}

export class NodeStatusManager {
  private reported: NodeStatus | undefined;
  private lastReport = 0;
  /** The Node as last returned by the API. */
  node: Node | undefined;

  constructor(private readonly d: NodeStatusDeps) {}

  /** Creates (or adopts) the Node and writes its first status; retries until it works or the signal aborts. */
  async register(signal: AbortSignal): Promise<void> {
    const backoff = new Backoff({ initialMs: 200, maxMs: 7_000 });
    this.record(STARTING);
    while (!signal.aborted) {
      try {
        await this.ensureNode();
        await this.report(true);
        return;
      } catch (err) {
        this.d.log(`node ${this.d.name}: registration failed: ${err instanceof Error ? err.message : String(err)}`);
        await backoff.wait(signal);
      }
    }
  }

  private async ensureNode(): Promise<void> {
    const { client, name, settings } = this.d;
    const labels = nodeLabels(name, settings);
    try {
      this.node = await client.create<Node>(nodeKind, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec: {} });
      this.reported = undefined;
    } catch (err) {
      if (!(err instanceof StatusError && err.reason === 'AlreadyExists')) throw err;
      const existing = await client.get<Node>(nodeKind, undefined, name);
      const missing = Object.entries(labels).filter(([k, v]) => existing.metadata?.labels?.[k] !== v);
      this.node = missing.length > 0 ? await client.patch<Node>(nodeKind, undefined, name, { type: 'merge', body: { metadata: { labels: Object.fromEntries(missing) } } }) : existing;
      this.reported = existing.status;
    }
  }

  /**
   * The Node as the watch shows it. When a condition's status there is not the one last written
   * (the node lifecycle controller set Ready to Unknown while our writes were late), the next
   * check writes the status again instead of waiting for the report period, as the kubelet
   * compares with the Node it reads from the API.
   */
  observe(node: Node): void {
    // A watch event older than the Node our last write returned says nothing new (the Node as
    // created, before its first status): acting on it would write, and record events, twice.
    if (notNewer(node, this.node)) return;
    const seen = node.status?.conditions ?? [];
    const ours = this.reported?.conditions;
    if (!ours) return;
    if (ours.some((c) => seen.find((x) => x.type === c.type)?.status !== c.status)) this.reported = node.status;
  }

  /** Recomputes the status and writes it if it changed, the report period passed, or `force`. */
  async report(force = false): Promise<void> {
    const { runtime, clock } = this.d;
    const [version, conditions, images] = await Promise.all([runtime.version(), runtime.status(), runtime.listImages()]);
    const problems = conditions
      .filter((c) => (c.type === 'RuntimeReady' || c.type === 'NetworkReady') && !c.status)
      .map((c) => `container runtime ${c.type === 'NetworkReady' ? 'network ' : ''}not ready: ${c.type}=false reason:${c.reason ?? ''} message:${c.message ?? ''}`);
    const now = clock.now();
    const status = buildNodeStatus({
      name: this.d.name,
      settings: this.d.settings,
      version,
      runtimeProblems: problems,
      images: images
        .sort((a, b) => b.size - a.size)
        .slice(0, 50)
        .map((img) => ({ names: [...img.repoDigests, ...img.repoTags], sizeBytes: img.size })),
      previous: this.reported,
      now,
    });
    if (!force && sameStatus(this.reported, status) && now - this.lastReport < this.d.timing.nodeStatusReportMs) return;
    try {
      this.node = await this.d.client.patch<Node>(nodeKind, undefined, this.d.name, { type: 'strategic', body: { status } }, { subresource: 'status' });
    } catch (err) {
      // Someone deleted the Node: register again, so the node comes back as it would after a reboot.
      if (err instanceof StatusError && err.reason === 'NotFound') {
        await this.ensureNode();
        this.node = await this.d.client.patch<Node>(nodeKind, undefined, this.d.name, { type: 'strategic', body: { status } }, { subresource: 'status' });
      } else throw err;
    }
    for (const e of conditionEvents(this.d.name, this.reported?.conditions, status.conditions ?? [])) this.record(e);
    this.reported = status;
    this.lastReport = now;
  }

  private record(e: NodeEvent): void {
    this.d.recorder?.event(nodeRef(this.d.name), e.type, e.reason, e.message);
  }

  /** Re-checks the status every update period until the signal aborts. */
  start(signal: AbortSignal): void {
    const { clock, timing } = this.d;
    let timer: { cancel(): void } | undefined;
    const tick = (): void => {
      this.report()
        .catch((err: unknown) => this.d.log(`node ${this.d.name}: status update failed: ${err instanceof Error ? err.message : String(err)}`))
        .finally(() => {
          if (!signal.aborted) timer = clock.setTimeout(tick, timing.nodeStatusUpdateMs);
        });
    };
    timer = clock.setTimeout(tick, timing.nodeStatusUpdateMs * (1 + timing.phase));
    signal.addEventListener('abort', () => timer?.cancel(), { once: true });
  }
}
