// The CRI response messages as proto-loader decodes them (snake_case keys, enums as names, int64
// as numbers, defaults filled in), so the runtime reads them with types instead of guesses. Only
// what the runtime reads is declared. Requests are built in convert.ts.
export interface WireKeyMap {
  [key: string]: string;
}

export interface WireVersion {
  version: string;
  runtime_name: string;
  runtime_version: string;
  runtime_api_version: string;
}

export interface WireStatus {
  status?: { conditions: { type: string; status: boolean; reason: string; message: string }[] };
}

export interface WireNamespaceOption {
  network: string;
  pid: string;
  ipc: string;
  target_id: string;
}

export interface WireSandboxMetadata {
  name: string;
  uid: string;
  namespace: string;
  attempt: number;
}

export interface WirePodSandbox {
  id: string;
  metadata?: WireSandboxMetadata;
  state: string;
  created_at: number;
  labels: WireKeyMap;
  annotations: WireKeyMap;
  runtime_handler: string;
}

export interface WirePodSandboxStatus extends WirePodSandbox {
  network?: { ip: string; additional_ips: { ip: string }[] };
  linux?: { namespaces?: { options?: WireNamespaceOption } };
}

export interface WireMount {
  container_path: string;
  host_path: string;
  readonly: boolean;
  selinux_relabel: boolean;
  propagation: string;
}

export interface WireContainer {
  id: string;
  pod_sandbox_id: string;
  metadata?: { name: string; attempt: number };
  image?: { image: string; annotations: WireKeyMap };
  image_ref: string;
  state: string;
  created_at: number;
  labels: WireKeyMap;
  annotations: WireKeyMap;
}

export interface WireContainerStatus extends Omit<WireContainer, 'pod_sandbox_id'> {
  started_at: number;
  finished_at: number;
  exit_code: number;
  reason: string;
  message: string;
  mounts: WireMount[];
  log_path: string;
}

export interface WireExecSync {
  stdout: Buffer;
  stderr: Buffer;
  exit_code: number;
}

export interface WireImage {
  id: string;
  repo_tags: string[];
  repo_digests: string[];
  size: number;
  uid?: { value: number };
  username: string;
  spec?: { image: string; annotations: WireKeyMap };
  pinned: boolean;
}

export interface WireFilesystemUsage {
  timestamp: number;
  fs_id?: { mountpoint: string };
  used_bytes?: { value: number };
  inodes_used?: { value: number };
}
