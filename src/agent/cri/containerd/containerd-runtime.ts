// The Runtime interface on containerd's CRI v1 API: each call is one gRPC call on the node's
// containerd socket, translated by convert.ts. The runtime is constructed synchronously (the agent's
// runtime map is a plain factory) and gets ready in the background — containerd started, project
// images imported (node-setup.ts) — so every call first awaits `ready`. Stop and remove calls treat
// NOT_FOUND as done, as the interface promises; close() stops the containerd we started, leaving
// its containers running for the next agent to adopt.
import {
  RuntimeNotFoundError,
  type AttachRequest,
  type Container,
  type ContainerConfig,
  type ContainerFilter,
  type ContainerStatus,
  type ExecRequest,
  type ExecSyncResult,
  type FilesystemUsage,
  type Image,
  type ImageSpec,
  type AuthConfig,
  type LinuxContainerResources,
  type PodSandbox,
  type PodSandboxConfig,
  type PodSandboxFilter,
  type PodSandboxStatus,
  type Runtime,
  type RuntimeCondition,
  type VersionInfo,
} from '../runtime.js';
import {
  authToWire,
  containerConfigToWire,
  containerFromWire,
  containerStatusFromWire,
  fsUsageFromWire,
  imageFromWire,
  resourcesToWire,
  sandboxConfigToWire,
  sandboxFromWire,
  sandboxStatusFromWire,
} from './convert.js';
import { criError, isNotFound, mapError } from './errors.js';
import { CriConnection, DEFAULT_CALL_TIMEOUT_MS, type CallOptions } from './grpc-client.js';
import { nodeEndpoint, setUpContainerdNode, type ContainerdNode, type ContainerdNodeOptions } from './node-setup.js';
import type * as W from './wire.js';

export type ContainerdRuntimeOptions = ContainerdNodeOptions;

export class ContainerdRuntime implements Runtime {
  /** Settles when containerd answers and the project images are in place. */
  readonly ready: Promise<void>;
  /** The CRI endpoint, `unix:///…/containerd.sock`. */
  readonly endpoint: string;
  private node: ContainerdNode | undefined;
  private conn: CriConnection | undefined;
  private closed = false;

  constructor(opts: ContainerdRuntimeOptions) {
    this.endpoint = nodeEndpoint(opts);
    this.ready = setUpContainerdNode(opts).then((node) => {
      this.node = node;
    });
    // Callers see a failed start through their first call; this keeps it from being unhandled.
    this.ready.catch(() => undefined);
  }

  /** containerd's socket path, for tools that take a plain address (ctr). */
  get address(): string {
    return this.endpoint.replace(/^unix:\/\//, '');
  }

  /** The hosts.toml directory of the containerd we started (see registry-hosts.ts), if we did. */
  get registryHostsDir(): string | undefined {
    return this.node?.process?.paths.registryHosts;
  }

  /** PID of the containerd we started, if we did. */
  get containerdPid(): number | undefined {
    return this.node?.process?.pid;
  }

  /** Milliseconds the managed containerd took from spawn to its first CRI answer, if we started it. */
  get containerdStartMs(): number | undefined {
    return this.node?.process?.startMs;
  }

  private async call<Res>(method: string, req: object, opts?: CallOptions): Promise<Res> {
    await this.ready;
    if (this.closed) throw new Error('containerd runtime is closed');
    this.conn ??= new CriConnection(this.endpoint);
    return this.conn.call<Res>(method, req, opts);
  }

  /** A call about one object, with its errors mapped (NotFound to RuntimeNotFoundError, ...). */
  private async about<Res>(what: 'sandbox' | 'container' | 'image', id: string, method: string, req: object, opts?: CallOptions): Promise<Res> {
    try {
      return await this.call<Res>(method, req, opts);
    } catch (err) {
      throw mapError(err, what, id);
    }
  }

  /** A stop or remove: NOT_FOUND means there is nothing left to do. */
  private async idempotent(method: string, req: object, opts?: CallOptions): Promise<void> {
    try {
      await this.call(method, req, opts);
    } catch (err) {
      if (!isNotFound(err)) throw criError(err);
    }
  }

  private async plain<Res>(method: string, req: object, opts?: CallOptions): Promise<Res> {
    try {
      return await this.call<Res>(method, req, opts);
    } catch (err) {
      throw criError(err);
    }
  }

  async version(): Promise<VersionInfo> {
    const v = await this.plain<W.WireVersion>('Version', { version: '0.1.0' });
    return { version: v.version, runtimeName: v.runtime_name, runtimeVersion: v.runtime_version, runtimeApiVersion: v.runtime_api_version };
  }

  async status(): Promise<RuntimeCondition[]> {
    const s = await this.plain<W.WireStatus>('Status', {});
    return (s.status?.conditions ?? []).map((c) => ({ type: c.type, status: c.status, ...(c.reason ? { reason: c.reason } : {}), ...(c.message ? { message: c.message } : {}) }));
  }

  async updateRuntimeConfig(cfg: { podCIDR: string }): Promise<void> {
    await this.plain('UpdateRuntimeConfig', { runtime_config: { network_config: { pod_cidr: cfg.podCIDR } } });
  }

  // ---- sandboxes

  async runPodSandbox(req: { config: PodSandboxConfig; runtimeHandler?: string }): Promise<string> {
    const res = await this.plain<{ pod_sandbox_id: string }>('RunPodSandbox', { config: sandboxConfigToWire(req.config), runtime_handler: req.runtimeHandler ?? '' });
    return res.pod_sandbox_id;
  }

  stopPodSandbox(id: string): Promise<void> {
    return this.idempotent('StopPodSandbox', { pod_sandbox_id: id });
  }

  removePodSandbox(id: string): Promise<void> {
    return this.idempotent('RemovePodSandbox', { pod_sandbox_id: id });
  }

  async podSandboxStatus(id: string): Promise<PodSandboxStatus> {
    const res = await this.about<{ status: W.WirePodSandboxStatus | null }>('sandbox', id, 'PodSandboxStatus', { pod_sandbox_id: id });
    if (!res.status) throw new RuntimeNotFoundError('sandbox', id);
    return sandboxStatusFromWire(res.status);
  }

  async listPodSandbox(filter: PodSandboxFilter = {}): Promise<PodSandbox[]> {
    const f = { id: filter.id ?? '', state: filter.state ? { state: filter.state } : undefined, label_selector: filter.labelSelector ?? {} };
    const res = await this.plain<{ items: W.WirePodSandbox[] }>('ListPodSandbox', { filter: f });
    return res.items.map(sandboxFromWire);
  }

  // ---- containers

  async createContainer(req: { podSandboxId: string; config: ContainerConfig; sandboxConfig: PodSandboxConfig }): Promise<string> {
    const res = await this.about<{ container_id: string }>('sandbox', req.podSandboxId, 'CreateContainer', {
      pod_sandbox_id: req.podSandboxId,
      config: containerConfigToWire(req.config),
      sandbox_config: sandboxConfigToWire(req.sandboxConfig),
    });
    return res.container_id;
  }

  async startContainer(id: string): Promise<void> {
    await this.about('container', id, 'StartContainer', { container_id: id });
  }

  stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    const timeout = Math.max(0, Math.floor(timeoutSeconds));
    return this.idempotent('StopContainer', { container_id: id, timeout }, { timeoutMs: DEFAULT_CALL_TIMEOUT_MS + timeout * 1000 });
  }

  removeContainer(id: string): Promise<void> {
    return this.idempotent('RemoveContainer', { container_id: id });
  }

  async listContainers(filter: ContainerFilter = {}): Promise<Container[]> {
    const f = {
      id: filter.id ?? '',
      state: filter.state ? { state: filter.state } : undefined,
      pod_sandbox_id: filter.podSandboxId ?? '',
      label_selector: filter.labelSelector ?? {},
    };
    const res = await this.plain<{ containers: W.WireContainer[] }>('ListContainers', { filter: f });
    return res.containers.map(containerFromWire);
  }

  async containerStatus(id: string): Promise<ContainerStatus> {
    const res = await this.about<{ status: W.WireContainerStatus | null }>('container', id, 'ContainerStatus', { container_id: id });
    if (!res.status) throw new RuntimeNotFoundError('container', id);
    return containerStatusFromWire(res.status);
  }

  async execSync(req: { containerId: string; cmd: string[]; timeoutSeconds?: number }): Promise<ExecSyncResult> {
    const timeout = Math.max(0, Math.floor(req.timeoutSeconds ?? 0));
    const res = await this.about<W.WireExecSync>(
      'container',
      req.containerId,
      'ExecSync',
      { container_id: req.containerId, cmd: req.cmd, timeout },
      { timeoutMs: timeout > 0 ? timeout * 1000 + 10_000 : 0 },
    );
    return { stdout: Buffer.from(res.stdout), stderr: Buffer.from(res.stderr), exitCode: res.exit_code };
  }

  async updateContainerResources(id: string, resources: LinuxContainerResources): Promise<void> {
    await this.about('container', id, 'UpdateContainerResources', { container_id: id, linux: resourcesToWire(resources) });
  }

  async reopenContainerLog(id: string): Promise<void> {
    await this.about('container', id, 'ReopenContainerLog', { container_id: id });
  }

  // ---- streaming

  async exec(req: ExecRequest): Promise<string> {
    const res = await this.about<{ url: string }>('container', req.containerId, 'Exec', {
      container_id: req.containerId,
      cmd: req.cmd,
      tty: req.tty ?? false,
      stdin: req.stdin ?? false,
      stdout: req.stdout ?? true,
      stderr: req.stderr ?? !req.tty,
    });
    return res.url;
  }

  async attach(req: AttachRequest): Promise<string> {
    const res = await this.about<{ url: string }>('container', req.containerId, 'Attach', {
      container_id: req.containerId,
      stdin: req.stdin ?? false,
      tty: req.tty ?? false,
      stdout: req.stdout ?? true,
      stderr: req.stderr ?? !req.tty,
    });
    return res.url;
  }

  async portForward(req: { podSandboxId: string; ports?: number[] }): Promise<string> {
    const res = await this.about<{ url: string }>('sandbox', req.podSandboxId, 'PortForward', { pod_sandbox_id: req.podSandboxId, port: req.ports ?? [] });
    return res.url;
  }

  // ---- images

  async pullImage(req: { image: ImageSpec; auth?: AuthConfig; sandboxConfig?: PodSandboxConfig }): Promise<string> {
    const res = await this.plain<{ image_ref: string }>(
      'PullImage',
      {
        image: { image: req.image.image, annotations: req.image.annotations ?? {} },
        auth: authToWire(req.auth),
        sandbox_config: req.sandboxConfig ? sandboxConfigToWire(req.sandboxConfig) : undefined,
      },
      { timeoutMs: 0 },
    );
    return res.image_ref;
  }

  async imageStatus(image: ImageSpec): Promise<Image | undefined> {
    const res = await this.plain<{ image: W.WireImage | null }>('ImageStatus', { image: { image: image.image } });
    return res.image?.id ? imageFromWire(res.image) : undefined;
  }

  async listImages(filter: { image?: ImageSpec } = {}): Promise<Image[]> {
    const res = await this.plain<{ images: W.WireImage[] }>('ListImages', { filter: filter.image ? { image: { image: filter.image.image } } : {} });
    return res.images.map(imageFromWire);
  }

  removeImage(image: ImageSpec): Promise<void> {
    return this.idempotent('RemoveImage', { image: { image: image.image } });
  }

  async imageFsInfo(): Promise<FilesystemUsage[]> {
    const res = await this.plain<{ image_filesystems: W.WireFilesystemUsage[] }>('ImageFsInfo', {});
    return res.image_filesystems.map(fsUsageFromWire);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.conn?.close();
    this.conn = undefined;
    await this.ready.catch(() => undefined);
    await this.node?.stop();
  }
}
