// The container runtime as the kubelet needs it: an interface owned by its user (the kubelet),
// shaped after the CRI v1 RuntimeService and ImageService (see cri-v1-subset.proto) so the
// containerd implementation is a thin translation of these calls to gRPC, and the fake runtime for
// hollow nodes can stand in for it. Field names are CRI's, in camelCase; timestamps are
// milliseconds since the epoch (CRI's nanoseconds divided by 1e6) with 0 meaning "not set".
// Stop and remove calls are idempotent for unknown ids, as in CRI; status calls for unknown ids
// throw RuntimeNotFoundError.

export interface VersionInfo {
  /** Version of the kubelet-facing API the runtime implements, e.g. `0.1.0`. */
  version: string;
  runtimeName: string;
  runtimeVersion: string;
  /** CRI API version, `v1`. */
  runtimeApiVersion: string;
}

/** One readiness fact about the runtime: `RuntimeReady` and `NetworkReady` are required. */
export interface RuntimeCondition {
  type: 'RuntimeReady' | 'NetworkReady' | string;
  status: boolean;
  reason?: string;
  message?: string;
}

export type NamespaceMode = 'POD' | 'CONTAINER' | 'NODE' | 'TARGET';

export interface NamespaceOption {
  network?: NamespaceMode;
  pid?: NamespaceMode;
  ipc?: NamespaceMode;
  targetId?: string;
}

export interface KeyValue {
  key: string;
  value: string;
}

export interface ImageSpec {
  image: string;
  annotations?: Record<string, string>;
}

export interface PortMapping {
  protocol?: 'TCP' | 'UDP' | 'SCTP';
  containerPort: number;
  hostPort?: number;
  hostIp?: string;
}

/** CRI MountPropagation: private (default), rslave (host to container) or rshared (both ways). */
export type MountPropagation = 'PROPAGATION_PRIVATE' | 'PROPAGATION_HOST_TO_CONTAINER' | 'PROPAGATION_BIDIRECTIONAL';

export interface Mount {
  containerPath: string;
  hostPath: string;
  readonly?: boolean;
  /** CRI Mount.propagation (field 5); PROPAGATION_PRIVATE when unset. */
  propagation?: MountPropagation;
}

/** Registry credentials for one pull (CRI AuthConfig), from the pod's imagePullSecrets. */
export interface AuthConfig {
  username?: string;
  password?: string;
  /** base64 of `username:password`, as docker config files hold it. */
  auth?: string;
  serverAddress?: string;
  identityToken?: string;
  registryToken?: string;
}

/** cgroup settings of a container (CRI LinuxContainerResources). */
export interface LinuxContainerResources {
  cpuPeriod?: number;
  cpuQuota?: number;
  cpuShares?: number;
  memoryLimitInBytes?: number;
  oomScoreAdj?: number;
  cpusetCpus?: string;
  cpusetMems?: string;
  /** cgroup v2 files and values. */
  unified?: Record<string, string>;
  memorySwapLimitInBytes?: number;
}

export interface DNSConfig {
  servers?: string[];
  searches?: string[];
  options?: string[];
}

// ---- pod sandboxes

export interface PodSandboxMetadata {
  name: string;
  uid: string;
  namespace: string;
  attempt: number;
}

export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  hostname?: string;
  logDirectory?: string;
  dnsConfig?: DNSConfig;
  portMappings?: PortMapping[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  linux?: {
    cgroupParent?: string;
    securityContext?: {
      namespaceOptions?: NamespaceOption;
      runAsUser?: number;
      /** CRI LinuxSandboxSecurityContext.run_as_group (field 8). */
      runAsGroup?: number;
      /** CRI LinuxSandboxSecurityContext.supplemental_groups (field 5). */
      supplementalGroups?: number[];
      readonlyRootfs?: boolean;
      privileged?: boolean;
    };
    sysctls?: Record<string, string>;
  };
}

export type PodSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';

export interface PodSandbox {
  id: string;
  metadata: PodSandboxMetadata;
  state: PodSandboxState;
  createdAt: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  runtimeHandler?: string;
}

export interface PodSandboxStatus extends PodSandbox {
  /** The pod's addresses; empty `ip` for sandboxes in the node's network namespace. */
  network?: { ip: string; additionalIps?: string[] };
  namespaceOptions?: NamespaceOption;
}

export interface PodSandboxFilter {
  id?: string;
  state?: PodSandboxState;
  labelSelector?: Record<string, string>;
}

// ---- containers

export interface ContainerMetadata {
  name: string;
  attempt: number;
}

export interface ContainerConfig {
  metadata: ContainerMetadata;
  image: ImageSpec;
  command?: string[];
  args?: string[];
  workingDir?: string;
  envs?: KeyValue[];
  mounts?: Mount[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Relative to the sandbox's logDirectory. */
  logPath?: string;
  stdin?: boolean;
  stdinOnce?: boolean;
  tty?: boolean;
  linux?: {
    resources?: LinuxContainerResources;
    securityContext?: {
      capabilities?: { addCapabilities?: string[]; dropCapabilities?: string[] };
      privileged?: boolean;
      namespaceOptions?: NamespaceOption;
      runAsUser?: number;
      /** CRI LinuxContainerSecurityContext.run_as_group (field 12). */
      runAsGroup?: number;
      /** CRI LinuxContainerSecurityContext.run_as_username (field 6). */
      runAsUsername?: string;
      /** CRI LinuxContainerSecurityContext.supplemental_groups (field 8). */
      supplementalGroups?: number[];
      readonlyRootfs?: boolean;
      noNewPrivs?: boolean;
    };
  };
}

export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';

export interface Container {
  id: string;
  podSandboxId: string;
  metadata: ContainerMetadata;
  image: ImageSpec;
  /** The resolved image, e.g. `docker.io/library/nginx@sha256:…`. */
  imageRef: string;
  state: ContainerState;
  createdAt: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface ContainerStatus extends Omit<Container, 'podSandboxId'> {
  startedAt: number;
  finishedAt: number;
  exitCode: number;
  /** Why it exited, e.g. `Completed`, `Error`, `OOMKilled`. */
  reason: string;
  message: string;
  mounts: Mount[];
  logPath: string;
}

export interface ContainerFilter {
  id?: string;
  state?: ContainerState;
  podSandboxId?: string;
  labelSelector?: Record<string, string>;
}

export interface ExecSyncResult {
  stdout: Buffer;
  stderr: Buffer;
  exitCode: number;
}

/** A change to a container, as CRI's GetContainerEvents streams them (the evented PLEG). */
export interface ContainerEvent {
  containerId: string;
  type: 'CONTAINER_CREATED_EVENT' | 'CONTAINER_STARTED_EVENT' | 'CONTAINER_STOPPED_EVENT' | 'CONTAINER_DELETED_EVENT';
  podSandboxId: string;
  /** Labels of the container's sandbox, so the listener can tell which pod it belongs to. */
  sandboxLabels: Record<string, string>;
  createdAt: number;
}

// ---- streaming (the URLs point at the runtime's own streaming server, on loopback)

export interface ExecRequest {
  containerId: string;
  cmd: string[];
  tty?: boolean;
  stdin?: boolean;
  stdout?: boolean;
  stderr?: boolean;
}

export interface AttachRequest {
  containerId: string;
  tty?: boolean;
  stdin?: boolean;
  stdout?: boolean;
  stderr?: boolean;
}

// ---- images

/** Space used by the filesystem holding the runtime's images. */
export interface FilesystemUsage {
  /** Milliseconds since the epoch of the measurement. */
  timestamp: number;
  mountpoint: string;
  usedBytes: number;
  inodesUsed: number;
}

export interface Image {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  size: number;
  uid?: number;
  username?: string;
  spec?: ImageSpec;
  pinned?: boolean;
}

export interface Runtime {
  version(): Promise<VersionInfo>;
  /** Runtime and network readiness; the node is Ready only when both hold. */
  status(): Promise<RuntimeCondition[]>;
  /** Tells the runtime the node's pod CIDR (CRI UpdateRuntimeConfig), once node IPAM assigns it. */
  updateRuntimeConfig(cfg: { podCIDR: string }): Promise<void>;

  runPodSandbox(req: { config: PodSandboxConfig; runtimeHandler?: string }): Promise<string>;
  /** Stops every container of the sandbox and releases its network; keeps the record. */
  stopPodSandbox(id: string): Promise<void>;
  /** Removes the sandbox and its containers (stopping them first if needed). */
  removePodSandbox(id: string): Promise<void>;
  podSandboxStatus(id: string): Promise<PodSandboxStatus>;
  listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]>;

  createContainer(req: { podSandboxId: string; config: ContainerConfig; sandboxConfig: PodSandboxConfig }): Promise<string>;
  startContainer(id: string): Promise<void>;
  /** Asks the container to stop, killing it once `timeoutSeconds` pass (0: kill at once). */
  stopContainer(id: string, timeoutSeconds: number): Promise<void>;
  removeContainer(id: string): Promise<void>;
  listContainers(filter?: ContainerFilter): Promise<Container[]>;
  containerStatus(id: string): Promise<ContainerStatus>;
  execSync(req: { containerId: string; cmd: string[]; timeoutSeconds?: number }): Promise<ExecSyncResult>;
  /** Applies new cgroup limits to a running container (in-place resize). */
  updateContainerResources(id: string, resources: LinuxContainerResources): Promise<void>;
  /** Makes the runtime reopen the container's log file, after the kubelet rotated it. */
  reopenContainerLog(id: string): Promise<void>;

  /** The URL of a one-time exec session on the runtime's streaming server (CRI Exec). */
  exec(req: ExecRequest): Promise<string>;
  /** The URL of a one-time attach session to the container's main process (CRI Attach). */
  attach(req: AttachRequest): Promise<string>;
  /** The URL of a one-time port-forward session into the sandbox's network (CRI PortForward). */
  portForward(req: { podSandboxId: string; ports?: number[] }): Promise<string>;

  /** Pulls an image (with registry credentials when given: CRI PullImageRequest.auth); resolves with its image ref (id). */
  pullImage(req: { image: ImageSpec; auth?: AuthConfig; sandboxConfig?: PodSandboxConfig }): Promise<string>;
  /** The image if present on the node, else undefined. */
  imageStatus(image: ImageSpec): Promise<Image | undefined>;
  listImages(filter?: { image?: ImageSpec }): Promise<Image[]>;
  /** Removes an image; idempotent for absent images. */
  removeImage(image: ImageSpec): Promise<void>;
  /** Usage of the filesystems holding images (node status, image garbage collection). */
  imageFsInfo(): Promise<FilesystemUsage[]>;

  /**
   * Streams container changes until the signal aborts, so the kubelet reacts at once instead of
   * waiting for its next relist. Optional: runtimes without events are only relisted.
   */
  containerEvents?(signal: AbortSignal, onEvent: (e: ContainerEvent) => void): void;
  /** Releases connections and timers. */
  close(): Promise<void>;
}

/** An unknown sandbox, container or image id (gRPC NOT_FOUND). */
export class RuntimeNotFoundError extends Error {
  constructor(what: 'sandbox' | 'container' | 'image', id: string) {
    super(`${what} "${id}" not found`);
    this.name = 'RuntimeNotFoundError';
  }
}

/** A call the runtime refused in the container's current state (gRPC FAILED_PRECONDITION). */
export class RuntimeStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuntimeStateError';
  }
}

/** Whether `labels` holds every pair of `selector` (CRI's exact-match label filter). */
export function labelsMatch(labels: Record<string, string>, selector: Record<string, string> | undefined): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector)) if (labels[k] !== v) return false;
  return true;
}
