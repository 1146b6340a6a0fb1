// A container's securityContext in CRI terms: the container's settings override the pod's
// (runAsUser, runAsGroup, runAsNonRoot), the pod's supplementalGroups and fsGroup become extra
// groups, allowPrivilegeEscalation: false becomes no_new_privs, and the pod's namespace choices
// (host network/PID/IPC, a shared process namespace) apply to every container. runAsNonRoot is
// checked here, before the container is created, against the user the image would run as.
import type { Pod } from '../../api/core/v1/index.js';
import type { ContainerConfig, Image, NamespaceOption, PodSandboxConfig } from '../cri/index.js';
import { ContainerConfigError } from './env/index.js';
import type { PodContainer } from './pod-config.js';

type LinuxContainerSecurity = NonNullable<NonNullable<ContainerConfig['linux']>['securityContext']>;
type LinuxSandboxSecurity = NonNullable<NonNullable<PodSandboxConfig['linux']>['securityContext']>;

export function namespaceOptions(pod: Pod): NamespaceOption {
  const spec = pod.spec ?? { containers: [] };
  return {
    network: spec.hostNetwork ? 'NODE' : 'POD',
    pid: spec.hostPID ? 'NODE' : spec.shareProcessNamespace ? 'POD' : 'CONTAINER',
    ipc: spec.hostIPC ? 'NODE' : 'POD',
  };
}

function supplementalGroups(pod: Pod): number[] {
  const sc = pod.spec?.securityContext;
  const groups = [...(sc?.supplementalGroups ?? [])];
  if (sc?.fsGroup !== undefined && !groups.includes(sc.fsGroup)) groups.push(sc.fsGroup);
  return groups;
}

/** The sandbox's security settings: namespaces and the pod-level identity. */
export function sandboxSecurity(pod: Pod): LinuxSandboxSecurity {
  const sc = pod.spec?.securityContext;
  const groups = supplementalGroups(pod);
  return {
    namespaceOptions: namespaceOptions(pod),
    ...(sc?.runAsUser !== undefined ? { runAsUser: sc.runAsUser } : {}),
    ...(sc?.runAsGroup !== undefined ? { runAsGroup: sc.runAsGroup } : {}),
    ...(groups.length > 0 ? { supplementalGroups: groups } : {}),
  };
}

/** The container's security settings for CRI. */
export function containerSecurity(pod: Pod, c: PodContainer): LinuxContainerSecurity {
  const psc = pod.spec?.securityContext;
  const sc = c.securityContext;
  const runAsUser = sc?.runAsUser ?? psc?.runAsUser;
  const runAsGroup = sc?.runAsGroup ?? psc?.runAsGroup;
  const groups = supplementalGroups(pod);
  const add = sc?.capabilities?.add ?? [];
  const drop = sc?.capabilities?.drop ?? [];
  return {
    namespaceOptions: namespaceOptions(pod),
    ...(runAsUser !== undefined ? { runAsUser } : {}),
    ...(runAsGroup !== undefined ? { runAsGroup } : {}),
    ...(groups.length > 0 ? { supplementalGroups: groups } : {}),
    ...(sc?.privileged ? { privileged: true } : {}),
    ...(sc?.readOnlyRootFilesystem ? { readonlyRootfs: true } : {}),
    ...(sc?.allowPrivilegeEscalation === false ? { noNewPrivs: true } : {}),
    ...(add.length > 0 || drop.length > 0 ? { capabilities: { addCapabilities: [...add], dropCapabilities: [...drop] } } : {}),
  };
}

const podRef = (pod: Pod): string => `${pod.metadata?.name ?? ''}_${pod.metadata?.namespace ?? ''}(${pod.metadata?.uid ?? ''})`;

/**
 * Refuses to run a container that must not run as root but would: its runAsUser is 0, or it has
 * none and the image's user is root, unset, or a name that cannot be checked.
 */
export function verifyRunAsNonRoot(pod: Pod, c: PodContainer, image: Image | undefined): void {
  const nonRoot = c.securityContext?.runAsNonRoot ?? pod.spec?.securityContext?.runAsNonRoot;
  if (!nonRoot) return;
  const where = `(pod: "${podRef(pod)}", container: ${c.name})`;
  const runAsUser = c.securityContext?.runAsUser ?? pod.spec?.securityContext?.runAsUser;
  if (runAsUser !== undefined) {
    if (runAsUser === 0) throw new ContainerConfigError(`container's runAsUser breaks non-root policy ${where}`);
    return;
  }
  const username = image?.username ?? '';
  if (image?.uid !== undefined) {
    if (image.uid === 0) throw new ContainerConfigError(`container has runAsNonRoot and image will run as root ${where}`);
    return;
  }
  if (username !== '') {
    const numeric = /^\d+$/.test(username) ? Number(username) : undefined;
    if (numeric === undefined) throw new ContainerConfigError(`container has runAsNonRoot and image has non-numeric user (${username}), cannot verify user is non-root ${where}`);
    if (numeric === 0) throw new ContainerConfigError(`container has runAsNonRoot and image will run as root ${where}`);
    return;
  }
  throw new ContainerConfigError(`container has runAsNonRoot and image will run as root ${where}`);
}
