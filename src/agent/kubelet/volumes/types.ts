// The small interface every volume type implements (one file per type, listed in plugins.ts),
// and what they are given: the pod, its directory on the node, the API objects they project,
// service-account tokens, a mounter for tmpfs, and the pod's addresses for downward API files.
// A volume's directory is `<pod dir>/volumes/<plugin name>/<volume name>`, as in Kubernetes.
import type { ConfigMap, PersistentVolume, PersistentVolumeClaim, Pod, Secret, Volume } from '../../../api/core/v1/index.js';
import type { PodAddresses } from '../env/index.js';

export type { Volume };

/** Mounts and unmounts tmpfs; injectable so unprivileged tests can stand in for it. */
export interface Mounter {
  /** Mounts a tmpfs at `dir` (which exists) unless one is mounted there already. */
  mountTmpfs(dir: string, o: { sizeBytes?: number }): Promise<void>;
  /** Unmounts everything mounted at or below `dir`, deepest first. */
  unmountAll(dir: string): Promise<void>;
}

/** What volume types read from the API (the kubelet's informer caches). */
export interface VolumeObjects {
  configMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  secret(namespace: string, name: string): Promise<Secret | undefined>;
  claim(namespace: string, name: string): Promise<PersistentVolumeClaim | undefined>;
  volume(name: string): Promise<PersistentVolume | undefined>;
}

/** Issues bound service-account tokens (TokenRequest), cached until they near expiry. */
export interface TokenSource {
  token(o: { pod: Pod; serviceAccountName: string; audience: string | undefined; expirationSeconds: number }): Promise<string>;
}

export interface VolumeContext {
  pod: Pod;
  /** `<data dir>/pods/<uid>`. */
  podDir: string;
  objects: VolumeObjects;
  tokens: TokenSource;
  mounter: Mounter;
  addresses: PodAddresses;
  /** The node's allocatable resources, for resourceFieldRef files of containers without limits. */
  allocatable: Record<string, string>;
  /** The cluster CA, the `ca.crt` of service-account volumes. */
  caCertPem: string;
}

/** A volume ready to be bound into containers. */
export interface MountedVolume {
  hostPath: string;
  /** Always mounted read-only (configMap, secret, downwardAPI, projected, read-only claims). */
  readOnly: boolean;
}

/** A volume that cannot be set up (yet): reported as FailedMount, retried with back-off. */
export class VolumeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VolumeError';
  }
}

export interface VolumePlugin {
  /** Kubernetes' plugin name (its directory under volumes/), e.g. `kubernetes.io~configmap`. */
  readonly name: string;
  handles(v: Volume): boolean;
  /** Makes the volume ready at `dir`; idempotent, and called again to refresh projected API data. */
  setUp(ctx: VolumeContext, v: Volume, dir: string): Promise<MountedVolume>;
  /** API objects the volume reads (`kind/namespace/name`), so their changes refresh it at once. */
  references?(pod: Pod, v: Volume): string[];
  /**
   * Whether the volume's content follows API data and is set up again at every sync (configMap,
   * secret, downwardAPI, projected); other volumes are set up once per pod.
   */
  readonly refreshes: boolean;
}
