// Resolves everything a container needs beyond its spec just before it is created: its
// environment (ConfigMaps, Secrets, pod fields, resources, service links), its mounts (volumes,
// subPaths, the pod's /etc/hosts), cgroup settings from requests and limits, and its security
// settings — checking runAsNonRoot against the image's user. Any failure is a
// ContainerConfigError: the container waits with CreateContainerConfigError and is retried.
import type { Pod } from '../../api/core/v1/index.js';
import type { EventRecorder } from '../../client/index.js';
import type { ContainerConfig, ContainerKind, Runtime } from '../cri/index.js';
import { ContainerConfigError, containerEnv, type EnvObjects, type PodAddresses } from './env/index.js';
import { linuxResources } from './linux-resources.js';
import { containerConfigFor, type PodContainer } from './pod-config.js';
import { containerSecurity, verifyRunAsNonRoot } from './security-context.js';
import { containerMounts, type MountedVolume } from './volumes/index.js';

export interface ContainerConfigInput {
  /** The pod as the kubelet runs it (with the service-account volume, if automounted). */
  pod: Pod;
  container: PodContainer;
  kind: ContainerKind;
  attempt: number;
  /** Hash of the container as the API has it, to notice spec changes later. */
  hash: string;
  runtime: Runtime;
  objects: EnvObjects;
  recorder: EventRecorder;
  addresses: PodAddresses;
  allocatable: Record<string, string>;
  /** The node's memory in bytes, for the OOM score of burstable containers. */
  memoryCapacity: number;
  /** The pod's volumes; unset on hollow nodes, whose containers mount nothing. */
  volumes?: ReadonlyMap<string, MountedVolume>;
  hostsFile?: string;
}

export async function buildContainerConfig(i: ContainerConfigInput): Promise<ContainerConfig> {
  const c = i.container;
  try {
    const env = await containerEnv({ pod: i.pod, container: c, objects: i.objects, addresses: i.addresses, allocatable: i.allocatable, recorder: i.recorder });
    const mounts = i.volumes ? await containerMounts({ container: c, volumes: i.volumes, env, ...(i.hostsFile ? { hostsFile: i.hostsFile } : {}) }) : undefined;
    if (c.securityContext?.runAsNonRoot ?? i.pod.spec?.securityContext?.runAsNonRoot) {
      verifyRunAsNonRoot(i.pod, c, await i.runtime.imageStatus({ image: c.image ?? '' }));
    }
    return containerConfigFor(i.pod, c, {
      kind: i.kind,
      attempt: i.attempt,
      hash: i.hash,
      resolved: {
        env,
        ...(mounts ? { mounts } : {}),
        linux: { resources: linuxResources(i.pod, c, i.memoryCapacity), securityContext: containerSecurity(i.pod, c) },
      },
    });
  } catch (err) {
    if (err instanceof ContainerConfigError) throw err;
    throw new ContainerConfigError(err instanceof Error ? err.message : String(err));
  }
}
