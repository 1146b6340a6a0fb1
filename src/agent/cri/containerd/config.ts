// The containerd configuration the agent writes for its own containerd: every path (root, state,
// socket, runc state, opt dir, registry hosts) under one data directory so several agents on one
// machine — one per simulated node — never share state, and the CRI settings this machine kind
// needs (see README.md here): restrict_oom_score_adj because root lacks
// CAP_SYS_RESOURCE, cgroupfs rather than systemd, no AppArmor, a loopback stream server on a
// kernel-chosen port, CNI from the agent's own conf dir.
import { join } from 'node:path';

export interface ContainerdPaths {
  /** The directory everything below lives in. */
  dataDir: string;
  config: string;
  root: string;
  state: string;
  /** The gRPC unix socket (CRI and containerd's own services). */
  address: string;
  /** runc's state directory (default /run/containerd/runc, shared by every containerd). */
  runcRoot: string;
  /** containerd's opt plugin directory (default /opt/containerd). */
  opt: string;
  /** Per-registry hosts.toml files (`<host:port>/hosts.toml`), read on every pull. */
  registryHosts: string;
  pidFile: string;
  logFile: string;
}

// A unix socket path must fit sun_path (108 bytes including the terminating NUL).
const MAX_SOCKET_PATH = 107;

export function containerdPaths(dataDir: string): ContainerdPaths {
  const p: ContainerdPaths = {
    dataDir,
    config: join(dataDir, 'config.toml'),
    root: join(dataDir, 'root'),
    state: join(dataDir, 'state'),
    address: join(dataDir, 'containerd.sock'),
    runcRoot: join(dataDir, 'runc'),
    opt: join(dataDir, 'opt'),
    registryHosts: join(dataDir, 'certs.d'),
    pidFile: join(dataDir, 'containerd.pid'),
    logFile: join(dataDir, 'containerd.log'),
  };
  if (Buffer.byteLength(p.address) > MAX_SOCKET_PATH) throw new Error(`containerd socket path too long (max ${MAX_SOCKET_PATH} bytes): ${p.address}`);
  return p;
}

export interface ContainerdConfigOptions {
  paths: ContainerdPaths;
  cniConfDir: string;
  cniBinDir: string;
  sandboxImage: string;
  /** Longest CRI log line before it is split into partial lines (containerd's default: 16 KiB). */
  maxContainerLogLineSize?: number;
}

// Plugins a CRI node never uses; skipping them saves their probing at start-up (btrfs/zfs/devmapper
// probe the root filesystem, aufs needs a kernel module, tracing wants an exporter).
const DISABLED_PLUGINS = [
  'io.containerd.snapshotter.v1.aufs',
  'io.containerd.snapshotter.v1.btrfs',
  'io.containerd.snapshotter.v1.devmapper',
  'io.containerd.snapshotter.v1.zfs',
  'io.containerd.tracing.processor.v1.otlp',
  'io.containerd.internal.v1.tracing',
];

const q = (s: string): string => JSON.stringify(s);

export function renderContainerdConfig(o: ContainerdConfigOptions): string {
  const p = o.paths;
  const cri = '[plugins."io.containerd.grpc.v1.cri"';
  return [
    '# Written by tugboat (tug agent); rewritten on every start.',
    'version = 2',
    `root = ${q(p.root)}`,
    `state = ${q(p.state)}`,
    `disabled_plugins = [${DISABLED_PLUGINS.map(q).join(', ')}]`,
    '',
    '[grpc]',
    `  address = ${q(p.address)}`,
    '',
    '[plugins."io.containerd.internal.v1.opt"]',
    `  path = ${q(p.opt)}`,
    '',
    `${cri}]`,
    `  sandbox_image = ${q(o.sandboxImage)}`,
    '  restrict_oom_score_adj = true',
    '  disable_apparmor = true',
    '  enable_selinux = false',
    '  stream_server_address = "127.0.0.1"',
    '  stream_server_port = "0"',
    '  enable_tls_streaming = false',
    `  max_container_log_line_size = ${o.maxContainerLogLineSize ?? 16384}`,
    `${cri}.containerd]`,
    '  snapshotter = "overlayfs"',
    '  default_runtime_name = "runc"',
    `${cri}.containerd.runtimes.runc]`,
    '  runtime_type = "io.containerd.runc.v2"',
    `${cri}.containerd.runtimes.runc.options]`,
    '  SystemdCgroup = false',
    `  Root = ${q(p.runcRoot)}`,
    `${cri}.cni]`,
    `  bin_dir = ${q(o.cniBinDir)}`,
    `  conf_dir = ${q(o.cniConfDir)}`,
    '  max_conf_num = 1',
    `${cri}.registry]`,
    `  config_path = ${q(p.registryHosts)}`,
    '',
  ].join('\n');
}
