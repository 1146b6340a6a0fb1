// The fake runtime for hollow-node scale tests: an in-memory stand-in for containerd that keeps
// sandboxes, containers and images as plain records. Containers "run" until stopped, unless the
// pod's tugboat.dev/fake-* annotations tell them to exit (see annotations.ts); pod IPs come from
// the node's pod CIDR (or a per-node fallback range). Nothing is executed, so one process can host
// thousands of these, one per hollow node. Timers come from an injected clock. Containers still
// write CRI log lines, and exec/attach/port-forward work through a tiny built-in shell and a
// loopback stream server (streaming.ts), so kubectl's streaming verbs can be tested without containerd.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../../lib/workqueue.js';
import { realClock } from '../../../lib/workqueue.js';
import {
  RuntimeNotFoundError,
  RuntimeStateError,
  labelsMatch,
  type Container,
  type ContainerConfig,
  type ContainerEvent,
  type ContainerFilter,
  type ContainerStatus,
  type AttachRequest,
  type ExecRequest,
  type ExecSyncResult,
  type FilesystemUsage,
  type Image,
  type ImageSpec,
  type PodSandbox,
  type PodSandboxConfig,
  type PodSandboxFilter,
  type PodSandboxStatus,
  type Runtime,
  type LinuxContainerResources,
  type RuntimeCondition,
  type VersionInfo,
} from '../runtime.js';
import { CONTAINER_KIND, fakeBehaviour, type ContainerKind } from './annotations.js';
import { fakeImage, normalizeImageName } from './images.js';
import { IpPool } from './ip-pool.js';
import { fakeExec } from './exec.js';
import { FakeStreaming } from './streaming.js';

export const FAKE_RUNTIME_NAME = 'fake';
export const FAKE_RUNTIME_VERSION = '0.1';

export interface FakeRuntimeOptions {
  clock?: Clock;
  /** Range pod IPs come from until the kubelet passes the node's podCIDR. */
  fallbackPodCIDR?: string;
  /**
   * Write container log files even where the kubelet did not create the pod's log directory.
   * Off by default: hollow nodes (whose kubelets create no directories) then write nothing.
   */
  writeLogs?: boolean;
}

interface SandboxRecord {
  status: PodSandboxStatus;
  ipPool: IpPool | undefined;
}

interface ContainerRecord {
  status: ContainerStatus;
  podSandboxId: string;
  exitTimer: { cancel(): void } | undefined;
  stopping: Promise<void> | undefined;
}

const newId = (): string => randomBytes(32).toString('hex');
const copy = <T>(v: T): T => structuredClone(v);

/**
 * The label kubelets put on every sandbox and container of a pod (a CRI convention). Each pod
 * sync lists by it, so records are indexed by it rather than scanned: a hollow node resyncs each
 * of its pods every minute, and a thousand of them in one process made the scans add up.
 */
const POD_UID_LABEL = 'io.kubernetes.pod.uid';

/**
 * Nested parts of a record (metadata, labels, annotations, image, mounts) never change after
 * creation, so they are frozen and shared with callers instead of deep-copied on every list and
 * status call; only the top level, whose state and times do change, is copied.
 */
const frozen = <T extends object>(v: T): T => Object.freeze(v);

/** Ids under each pod uid, for label-filtered lists. */
class UidIndex {
  private readonly ids = new Map<string, Set<string>>();

  add(labels: Record<string, string>, id: string): void {
    const uid = labels[POD_UID_LABEL];
    if (uid === undefined) return;
    let set = this.ids.get(uid);
    if (!set) this.ids.set(uid, (set = new Set()));
    set.add(id);
  }

  remove(labels: Record<string, string>, id: string): void {
    const uid = labels[POD_UID_LABEL];
    const set = uid === undefined ? undefined : this.ids.get(uid);
    if (!set) return;
    set.delete(id);
    if (set.size === 0) this.ids.delete(uid as string);
  }

  /** The candidate ids for a selector, or undefined when the selector does not name a pod uid. */
  candidates(selector: Record<string, string> | undefined): Iterable<string> | undefined {
    const uid = selector?.[POD_UID_LABEL];
    if (uid === undefined) return undefined;
    return this.ids.get(uid) ?? [];
  }
}

export class FakeRuntime implements Runtime {
  private readonly clock: Clock;
  private readonly sandboxes = new Map<string, SandboxRecord>();
  private readonly containers = new Map<string, ContainerRecord>();
  private readonly images = new Map<string, Image>();
  private readonly sandboxesByUid = new UidIndex();
  private readonly containersByUid = new UidIndex();
  private readonly listeners = new Set<(e: ContainerEvent) => void>();
  private pool: IpPool;
  private readonly streaming: FakeStreaming;

  constructor(opts: FakeRuntimeOptions = {}) {
    this.clock = opts.clock ?? realClock;
    this.pool = new IpPool(opts.fallbackPodCIDR ?? '10.244.0.0/24');
    this.streaming = new FakeStreaming({ now: () => this.clock.now(), writeLogs: opts.writeLogs ?? false });
  }

  version(): Promise<VersionInfo> {
    return Promise.resolve({ version: '0.1.0', runtimeName: FAKE_RUNTIME_NAME, runtimeVersion: FAKE_RUNTIME_VERSION, runtimeApiVersion: 'v1' });
  }

  status(): Promise<RuntimeCondition[]> {
    return Promise.resolve([
      { type: 'RuntimeReady', status: true },
      { type: 'NetworkReady', status: true },
    ]);
  }

  updateRuntimeConfig(cfg: { podCIDR: string }): Promise<void> {
    // Sandboxes keep the pool their address came from, so releasing it later stays correct.
    if (cfg.podCIDR && cfg.podCIDR !== this.pool.cidr) this.pool = new IpPool(cfg.podCIDR.split(',')[0] ?? cfg.podCIDR);
    return Promise.resolve();
  }

  // ---- sandboxes

  runPodSandbox(req: { config: PodSandboxConfig; runtimeHandler?: string }): Promise<string> {
    const id = newId();
    const hostNetwork = req.config.linux?.securityContext?.namespaceOptions?.network === 'NODE';
    const ipPool = hostNetwork ? undefined : this.pool;
    const status: PodSandboxStatus = {
      id,
      metadata: frozen(copy(req.config.metadata)),
      state: 'SANDBOX_READY',
      createdAt: this.clock.now(),
      labels: frozen({ ...req.config.labels }),
      annotations: frozen({ ...req.config.annotations }),
      network: { ip: ipPool ? ipPool.allocate() : '' },
      namespaceOptions: { network: hostNetwork ? 'NODE' : 'POD' },
      ...(req.runtimeHandler ? { runtimeHandler: req.runtimeHandler } : {}),
    };
    this.sandboxes.set(id, { status, ipPool });
    this.sandboxesByUid.add(status.labels, id);
    return Promise.resolve(id);
  }

  async stopPodSandbox(id: string): Promise<void> {
    const sb = this.sandboxes.get(id);
    if (!sb) return;
    await Promise.all([...this.containers.entries()].filter(([, c]) => c.podSandboxId === id).map(([cid]) => this.stopContainer(cid, 0)));
    if (sb.status.state === 'SANDBOX_READY' && sb.status.network?.ip) sb.ipPool?.release(sb.status.network.ip);
    sb.status.state = 'SANDBOX_NOTREADY';
  }

  async removePodSandbox(id: string): Promise<void> {
    if (!this.sandboxes.has(id)) return;
    await this.stopPodSandbox(id);
    for (const [cid, c] of [...this.containers]) if (c.podSandboxId === id) await this.removeContainer(cid);
    const sb = this.sandboxes.get(id);
    if (sb) this.sandboxesByUid.remove(sb.status.labels, id);
    this.sandboxes.delete(id);
  }

  podSandboxStatus(id: string): Promise<PodSandboxStatus> {
    const sb = this.sandboxes.get(id);
    if (!sb) return Promise.reject(new RuntimeNotFoundError('sandbox', id));
    const s: PodSandboxStatus = { ...sb.status, network: sb.status.state === 'SANDBOX_NOTREADY' ? { ip: '' } : { ...sb.status.network, ip: sb.status.network?.ip ?? '' } };
    if (sb.status.namespaceOptions) s.namespaceOptions = { ...sb.status.namespaceOptions };
    return Promise.resolve(s);
  }

  listPodSandbox(filter: PodSandboxFilter = {}): Promise<PodSandbox[]> {
    const out: PodSandbox[] = [];
    const ids = this.sandboxesByUid.candidates(filter.labelSelector);
    const records = ids ? [...ids].map((id) => this.sandboxes.get(id)).filter((r): r is SandboxRecord => r !== undefined) : this.sandboxes.values();
    for (const { status: s } of records) {
      if (filter.id !== undefined && s.id !== filter.id) continue;
      if (filter.state !== undefined && s.state !== filter.state) continue;
      if (!labelsMatch(s.labels, filter.labelSelector)) continue;
      out.push({ id: s.id, metadata: s.metadata, state: s.state, createdAt: s.createdAt, labels: s.labels, annotations: s.annotations });
    }
    return Promise.resolve(out);
  }

  // ---- containers

  createContainer(req: { podSandboxId: string; config: ContainerConfig; sandboxConfig: PodSandboxConfig }): Promise<string> {
    const sb = this.sandboxes.get(req.podSandboxId);
    if (!sb) return Promise.reject(new RuntimeNotFoundError('sandbox', req.podSandboxId));
    if (sb.status.state !== 'SANDBOX_READY') return Promise.reject(new RuntimeStateError(`sandbox ${req.podSandboxId} is not ready`));
    const image = this.images.get(normalizeImageName(req.config.image.image));
    if (!image) return Promise.reject(new RuntimeNotFoundError('image', req.config.image.image));
    const id = newId();
    const now = this.clock.now();
    const status: ContainerStatus = {
      id,
      metadata: frozen(copy(req.config.metadata)),
      image: frozen({ image: image.spec?.image ?? req.config.image.image }),
      imageRef: image.repoDigests[0] ?? image.id,
      state: 'CONTAINER_CREATED',
      createdAt: now,
      startedAt: 0,
      finishedAt: 0,
      exitCode: 0,
      reason: '',
      message: '',
      labels: frozen({ ...req.config.labels }),
      annotations: frozen({ ...req.config.annotations }),
      mounts: frozen(copy(req.config.mounts ?? []).map(frozen)),
      logPath: FakeStreaming.logPath(req.config, req.sandboxConfig),
    };
    this.containers.set(id, { status, podSandboxId: req.podSandboxId, exitTimer: undefined, stopping: undefined });
    this.containersByUid.add(status.labels, id);
    this.streaming.created(id, req.config, req.sandboxConfig);
    this.emit(id, 'CONTAINER_CREATED_EVENT');
    return Promise.resolve(id);
  }

  startContainer(id: string): Promise<void> {
    const c = this.containers.get(id);
    if (!c) return Promise.reject(new RuntimeNotFoundError('container', id));
    if (c.status.state !== 'CONTAINER_CREATED') return Promise.reject(new RuntimeStateError(`container ${id} is ${c.status.state}, not created`));
    const sb = this.sandboxes.get(c.podSandboxId);
    c.status.state = 'CONTAINER_RUNNING';
    c.status.startedAt = this.clock.now();
    this.streaming.started(id);
    this.emit(id, 'CONTAINER_STARTED_EVENT');
    const kind = (c.status.annotations[CONTAINER_KIND] ?? 'app') as ContainerKind;
    const b = fakeBehaviour(sb?.status.annotations ?? {}, c.status.metadata.name, kind);
    if (b.exitCode !== undefined) {
      const code = b.exitCode;
      c.exitTimer = this.clock.setTimeout(() => this.exit(c, code), b.runMs);
    }
    return Promise.resolve();
  }

  stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    const c = this.containers.get(id);
    if (!c) return Promise.resolve();
    if (c.stopping) return c.stopping;
    if (c.status.state === 'CONTAINER_CREATED') {
      this.exit(c, 0);
      return Promise.resolve();
    }
    if (c.status.state !== 'CONTAINER_RUNNING') return Promise.resolve();
    const sb = this.sandboxes.get(c.podSandboxId);
    const kind = (c.status.annotations[CONTAINER_KIND] ?? 'app') as ContainerKind;
    const { stopMs } = fakeBehaviour(sb?.status.annotations ?? {}, c.status.metadata.name, kind);
    const graceMs = Math.max(0, timeoutSeconds) * 1000;
    // A well-behaved container exits 0 on SIGTERM; one slower than its grace period is killed.
    const killed = stopMs > graceMs;
    const waitMs = killed ? graceMs : stopMs;
    if (waitMs === 0) {
      this.exit(c, killed ? 137 : 0);
      return Promise.resolve();
    }
    c.stopping = new Promise<void>((resolve) => {
      this.clock.setTimeout(() => {
        this.exit(c, killed ? 137 : 0);
        c.stopping = undefined;
        resolve();
      }, waitMs);
    });
    return c.stopping;
  }

  async removeContainer(id: string): Promise<void> {
    const c = this.containers.get(id);
    if (!c) return;
    if (c.status.state === 'CONTAINER_RUNNING') this.exit(c, 137);
    c.exitTimer?.cancel();
    this.containers.delete(id);
    this.containersByUid.remove(c.status.labels, id);
    this.streaming.removed(id);
    this.emit(id, 'CONTAINER_DELETED_EVENT', c.podSandboxId);
  }

  listContainers(filter: ContainerFilter = {}): Promise<Container[]> {
    const out: Container[] = [];
    const ids = this.containersByUid.candidates(filter.labelSelector);
    const entries = ids ? [...ids].map((id) => [id, this.containers.get(id)] as const).filter((e): e is readonly [string, ContainerRecord] => e[1] !== undefined) : this.containers;
    for (const [id, c] of entries) {
      const s = c.status;
      if (filter.id !== undefined && id !== filter.id) continue;
      if (filter.state !== undefined && s.state !== filter.state) continue;
      if (filter.podSandboxId !== undefined && c.podSandboxId !== filter.podSandboxId) continue;
      if (!labelsMatch(s.labels, filter.labelSelector)) continue;
      out.push({
        id,
        podSandboxId: c.podSandboxId,
        metadata: s.metadata,
        image: s.image,
        imageRef: s.imageRef,
        state: s.state,
        createdAt: s.createdAt,
        labels: s.labels,
        annotations: s.annotations,
      });
    }
    return Promise.resolve(out);
  }

  containerStatus(id: string): Promise<ContainerStatus> {
    const c = this.containers.get(id);
    if (!c) return Promise.reject(new RuntimeNotFoundError('container', id));
    return Promise.resolve({ ...c.status });
  }

  execSync(req: { containerId: string; cmd: string[]; timeoutSeconds?: number }): Promise<ExecSyncResult> {
    const c = this.containers.get(req.containerId);
    if (!c) return Promise.reject(new RuntimeNotFoundError('container', req.containerId));
    if (c.status.state !== 'CONTAINER_RUNNING') return Promise.reject(new RuntimeStateError(`container ${req.containerId} is not running`));
    return Promise.resolve(fakeExec(req.cmd));
  }

  updateContainerResources(id: string, _resources: LinuxContainerResources): Promise<void> {
    return this.containers.has(id) ? Promise.resolve() : Promise.reject(new RuntimeNotFoundError('container', id));
  }

  reopenContainerLog(id: string): Promise<void> {
    const c = this.containers.get(id);
    if (!c) return Promise.reject(new RuntimeNotFoundError('container', id));
    if (c.status.state !== 'CONTAINER_RUNNING') return Promise.reject(new RuntimeStateError(`container ${id} is not running`));
    return Promise.resolve();
  }

  // Streams go through the fake's own stream server, as containerd's go through its own.
  exec(req: ExecRequest): Promise<string> {
    return this.running(req.containerId).then(() => this.streaming.exec(req));
  }

  attach(req: AttachRequest): Promise<string> {
    return this.running(req.containerId).then(() => this.streaming.attach(req));
  }

  portForward(req: { podSandboxId: string }): Promise<string> {
    const sb = this.sandboxes.get(req.podSandboxId);
    if (!sb) return Promise.reject(new RuntimeNotFoundError('sandbox', req.podSandboxId));
    if (sb.status.state !== 'SANDBOX_READY') return Promise.reject(new RuntimeStateError(`sandbox ${req.podSandboxId} is not ready`));
    return this.streaming.portForward(sb.status.annotations);
  }

  private running(containerId: string): Promise<void> {
    const c = this.containers.get(containerId);
    if (!c) return Promise.reject(new RuntimeNotFoundError('container', containerId));
    if (c.status.state !== 'CONTAINER_RUNNING') return Promise.reject(new RuntimeStateError(`container ${containerId} is not running`));
    return Promise.resolve();
  }

  // ---- images

  pullImage(req: { image: ImageSpec }): Promise<string> {
    const image = fakeImage(req.image.image);
    this.images.set(normalizeImageName(req.image.image), image);
    return Promise.resolve(image.repoDigests[0] ?? image.id);
  }

  imageStatus(image: ImageSpec): Promise<Image | undefined> {
    const found = this.images.get(normalizeImageName(image.image)) ?? [...this.images.values()].find((i) => i.id === image.image);
    return Promise.resolve(found ? copy(found) : undefined);
  }

  listImages(filter: { image?: ImageSpec } = {}): Promise<Image[]> {
    const all = [...this.images.values()];
    const want = filter.image ? normalizeImageName(filter.image.image) : undefined;
    return Promise.resolve(copy(want ? all.filter((i) => i.repoTags.includes(want)) : all));
  }

  removeImage(image: ImageSpec): Promise<void> {
    const name = normalizeImageName(image.image);
    if (this.images.has(name)) this.images.delete(name);
    else for (const [k, i] of this.images) if (i.id === image.image) this.images.delete(k);
    return Promise.resolve();
  }

  imageFsInfo(): Promise<FilesystemUsage[]> {
    let used = 0;
    for (const i of this.images.values()) used += i.size;
    return Promise.resolve([{ timestamp: this.clock.now(), mountpoint: '/var/lib/fake-runtime/images', usedBytes: used, inodesUsed: this.images.size }]);
  }

  // ---- events

  containerEvents(signal: AbortSignal, onEvent: (e: ContainerEvent) => void): void {
    if (signal.aborted) return;
    this.listeners.add(onEvent);
    signal.addEventListener('abort', () => this.listeners.delete(onEvent), { once: true });
  }

  close(): Promise<void> {
    for (const c of this.containers.values()) c.exitTimer?.cancel();
    this.listeners.clear();
    return this.streaming.close();
  }

  private exit(c: ContainerRecord, exitCode: number): void {
    if (c.status.state === 'CONTAINER_EXITED') return;
    c.exitTimer?.cancel();
    c.exitTimer = undefined;
    c.status.state = 'CONTAINER_EXITED';
    c.status.finishedAt = this.clock.now();
    c.status.exitCode = exitCode;
    c.status.reason = exitCode === 0 ? 'Completed' : 'Error';
    this.streaming.exited(c.status.id);
    this.emit(c.status.id, 'CONTAINER_STOPPED_EVENT');
  }

  private emit(containerId: string, type: ContainerEvent['type'], sandboxId?: string): void {
    if (this.listeners.size === 0) return;
    const podSandboxId = sandboxId ?? this.containers.get(containerId)?.podSandboxId ?? '';
    const sb = this.sandboxes.get(podSandboxId);
    const e: ContainerEvent = { containerId, type, podSandboxId, sandboxLabels: { ...(sb?.status.labels ?? {}) }, createdAt: this.clock.now() };
    for (const l of this.listeners) l(e);
  }
}
