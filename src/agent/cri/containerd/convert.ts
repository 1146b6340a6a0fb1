// Translation between the Runtime interface's camelCase records and CRI messages: requests in
// snake_case with optional int64s wrapped in Int64Value, and back from the decoded responses of
// wire.ts. Kept apart from the runtime so the mapping can be read, and checked, field by field.
import type {
  AuthConfig,
  Container,
  ContainerConfig,
  ContainerStatus,
  FilesystemUsage,
  Image,
  LinuxContainerResources,
  Mount,
  NamespaceMode,
  NamespaceOption,
  PodSandbox,
  PodSandboxConfig,
  PodSandboxStatus,
} from '../runtime.js';
import type { WireContainer, WireContainerStatus, WireFilesystemUsage, WireImage, WireMount, WireNamespaceOption, WirePodSandbox, WirePodSandboxStatus } from './wire.js';

type Msg = Record<string, unknown>;

const int64 = (v: number | undefined): Msg | undefined => (v === undefined ? undefined : { value: v });
/** CRI timestamps are nanoseconds; the Runtime interface uses milliseconds. */
export const nsToMs = (ns: number): number => (ns > 0 ? Math.floor(ns / 1e6) : 0);

function namespaces(n: NamespaceOption | undefined): Msg | undefined {
  if (!n) return undefined;
  return { network: n.network ?? 'POD', pid: n.pid ?? 'CONTAINER', ipc: n.ipc ?? 'POD', target_id: n.targetId ?? '' };
}

const mountToWire = (m: Mount): Msg => ({
  container_path: m.containerPath,
  host_path: m.hostPath,
  readonly: m.readonly ?? false,
  propagation: m.propagation ?? 'PROPAGATION_PRIVATE',
});

export function resourcesToWire(r: LinuxContainerResources | undefined): Msg | undefined {
  if (!r) return undefined;
  return {
    cpu_period: r.cpuPeriod ?? 0,
    cpu_quota: r.cpuQuota ?? 0,
    cpu_shares: r.cpuShares ?? 0,
    memory_limit_in_bytes: r.memoryLimitInBytes ?? 0,
    oom_score_adj: r.oomScoreAdj ?? 0,
    cpuset_cpus: r.cpusetCpus ?? '',
    cpuset_mems: r.cpusetMems ?? '',
    unified: r.unified ?? {},
    memory_swap_limit_in_bytes: r.memorySwapLimitInBytes ?? 0,
  };
}

export function sandboxConfigToWire(c: PodSandboxConfig): Msg {
  const sc = c.linux?.securityContext;
  return {
    metadata: { ...c.metadata },
    // runc cannot set a hostname in the host's UTS namespace; Kubernetes sends none for hostNetwork pods.
    hostname: sc?.namespaceOptions?.network === 'NODE' ? '' : (c.hostname ?? ''),
    log_directory: c.logDirectory ?? '',
    dns_config: c.dnsConfig ? { servers: c.dnsConfig.servers ?? [], searches: c.dnsConfig.searches ?? [], options: c.dnsConfig.options ?? [] } : undefined,
    port_mappings: (c.portMappings ?? []).map((p) => ({ protocol: p.protocol ?? 'TCP', container_port: p.containerPort, host_port: p.hostPort ?? 0, host_ip: p.hostIp ?? '' })),
    labels: c.labels,
    annotations: c.annotations,
    linux: c.linux
      ? {
          cgroup_parent: c.linux.cgroupParent ?? '',
          sysctls: c.linux.sysctls ?? {},
          security_context: sc
            ? {
                namespace_options: namespaces(sc.namespaceOptions),
                run_as_user: int64(sc.runAsUser),
                run_as_group: int64(sc.runAsGroup),
                supplemental_groups: sc.supplementalGroups ?? [],
                readonly_rootfs: sc.readonlyRootfs ?? false,
                privileged: sc.privileged ?? false,
              }
            : undefined,
        }
      : undefined,
  };
}

export function containerConfigToWire(c: ContainerConfig): Msg {
  const sc = c.linux?.securityContext;
  return {
    metadata: { ...c.metadata },
    image: { image: c.image.image, annotations: c.image.annotations ?? {} },
    command: c.command ?? [],
    args: c.args ?? [],
    working_dir: c.workingDir ?? '',
    envs: (c.envs ?? []).map((e) => ({ key: e.key, value: e.value })),
    mounts: (c.mounts ?? []).map(mountToWire),
    labels: c.labels,
    annotations: c.annotations,
    log_path: c.logPath ?? '',
    stdin: c.stdin ?? false,
    stdin_once: c.stdinOnce ?? false,
    tty: c.tty ?? false,
    linux: c.linux
      ? {
          resources: resourcesToWire(c.linux.resources),
          security_context: sc
            ? {
                capabilities: sc.capabilities ? { add_capabilities: sc.capabilities.addCapabilities ?? [], drop_capabilities: sc.capabilities.dropCapabilities ?? [] } : undefined,
                privileged: sc.privileged ?? false,
                namespace_options: namespaces(sc.namespaceOptions),
                run_as_user: int64(sc.runAsUser),
                run_as_group: int64(sc.runAsGroup),
                run_as_username: sc.runAsUsername ?? '',
                supplemental_groups: sc.supplementalGroups ?? [],
                readonly_rootfs: sc.readonlyRootfs ?? false,
                no_new_privs: sc.noNewPrivs ?? false,
              }
            : undefined,
        }
      : undefined,
  };
}

// containerd 1.6 parses server_address as a URL and drops the credentials unless its host is the
// registry's; a bare docker-config key like "10.0.0.5:5000" does not parse, so give it a scheme.
const serverUrl = (s: string | undefined): string => (!s ? '' : /^[a-z][a-z0-9+.-]*:\/\//i.test(s) ? s : `https://${s}`);

export const authToWire = (a: AuthConfig | undefined): Msg | undefined =>
  a
    ? {
        username: a.username ?? '',
        password: a.password ?? '',
        auth: a.auth ?? '',
        server_address: serverUrl(a.serverAddress),
        identity_token: a.identityToken ?? '',
        registry_token: a.registryToken ?? '',
      }
    : undefined;

// ---- responses

const namespaceMode = (s: string): NamespaceMode => (s === 'CONTAINER' || s === 'NODE' || s === 'TARGET' ? s : 'POD');

function namespacesFromWire(n: WireNamespaceOption | undefined): NamespaceOption | undefined {
  if (!n) return undefined;
  return { network: namespaceMode(n.network), pid: namespaceMode(n.pid), ipc: namespaceMode(n.ipc), ...(n.target_id ? { targetId: n.target_id } : {}) };
}

const sandboxState = (s: string): PodSandbox['state'] => (s === 'SANDBOX_READY' ? 'SANDBOX_READY' : 'SANDBOX_NOTREADY');
const containerState = (s: string): Container['state'] =>
  s === 'CONTAINER_CREATED' || s === 'CONTAINER_RUNNING' || s === 'CONTAINER_EXITED' ? s : 'CONTAINER_UNKNOWN';

export function sandboxFromWire(s: WirePodSandbox): PodSandbox {
  return {
    id: s.id,
    metadata: { name: s.metadata?.name ?? '', uid: s.metadata?.uid ?? '', namespace: s.metadata?.namespace ?? '', attempt: s.metadata?.attempt ?? 0 },
    state: sandboxState(s.state),
    createdAt: nsToMs(s.created_at),
    labels: { ...s.labels },
    annotations: { ...s.annotations },
    ...(s.runtime_handler ? { runtimeHandler: s.runtime_handler } : {}),
  };
}

export function sandboxStatusFromWire(s: WirePodSandboxStatus): PodSandboxStatus {
  const ns = namespacesFromWire(s.linux?.namespaces?.options);
  return {
    ...sandboxFromWire(s),
    network: { ip: s.network?.ip ?? '', ...(s.network?.additional_ips.length ? { additionalIps: s.network.additional_ips.map((x) => x.ip) } : {}) },
    ...(ns ? { namespaceOptions: ns } : {}),
  };
}

export function containerFromWire(c: WireContainer): Container {
  return {
    id: c.id,
    podSandboxId: c.pod_sandbox_id,
    metadata: { name: c.metadata?.name ?? '', attempt: c.metadata?.attempt ?? 0 },
    image: { image: c.image?.image ?? '' },
    imageRef: c.image_ref,
    state: containerState(c.state),
    createdAt: nsToMs(c.created_at),
    labels: { ...c.labels },
    annotations: { ...c.annotations },
  };
}

const mountFromWire = (m: WireMount): Mount => ({
  containerPath: m.container_path,
  hostPath: m.host_path,
  readonly: m.readonly,
  ...(m.propagation && m.propagation !== 'PROPAGATION_PRIVATE' ? { propagation: m.propagation as Mount['propagation'] } : {}),
});

export function containerStatusFromWire(c: WireContainerStatus): ContainerStatus {
  const { podSandboxId: _omit, ...base } = containerFromWire({ ...c, pod_sandbox_id: '' });
  return {
    ...base,
    startedAt: nsToMs(c.started_at),
    finishedAt: nsToMs(c.finished_at),
    exitCode: c.exit_code,
    reason: c.reason,
    message: c.message,
    mounts: c.mounts.map(mountFromWire),
    logPath: c.log_path,
  };
}

export function imageFromWire(i: WireImage): Image {
  return {
    id: i.id,
    repoTags: [...i.repo_tags],
    repoDigests: [...i.repo_digests],
    size: i.size,
    ...(i.uid ? { uid: i.uid.value } : {}),
    ...(i.username ? { username: i.username } : {}),
    ...(i.spec?.image ? { spec: { image: i.spec.image } } : {}),
    pinned: i.pinned,
  };
}

export const fsUsageFromWire = (f: WireFilesystemUsage): FilesystemUsage => ({
  timestamp: nsToMs(f.timestamp),
  mountpoint: f.fs_id?.mountpoint ?? '',
  usedBytes: f.used_bytes?.value ?? 0,
  inodesUsed: f.inodes_used?.value ?? 0,
});
