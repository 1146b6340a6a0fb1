// core/v1 security-context schemas: the per-container SecurityContext (capabilities, privilege,
// user and group ids, read-only root, seccomp and AppArmor profiles) and the pod-wide
// PodSecurityContext (fsGroup, supplemental groups, sysctls). Container values override the
// pod's where both exist.
import { obj, str, bool, int64, enumStr, list, strList, type Static } from '../../schema.js';
import { Type } from '@sinclair/typebox';

const id = (name: string): string => `io.k8s.api.core.v1.${name}`;

export const Capabilities = obj(
  'Linux capabilities to add to or drop from the runtime\'s default set.',
  {
    add: strList('Capabilities to add, e.g. NET_ADMIN.', { listType: 'atomic' }),
    drop: strList('Capabilities to drop, e.g. ALL.', { listType: 'atomic' }),
  },
  { id: id('Capabilities') },
);

export const SELinuxOptions = obj(
  'SELinux label applied to the container.',
  {
    user: str('SELinux user.'),
    role: str('SELinux role.'),
    type: str('SELinux type.'),
    level: str('SELinux level.'),
  },
  { id: id('SELinuxOptions') },
);

export const WindowsSecurityContextOptions = obj(
  'Windows-only identity settings.',
  {
    gmsaCredentialSpecName: str('Name of the GMSA credential spec to use.'),
    gmsaCredentialSpec: str('Inline GMSA credential spec contents.'),
    runAsUserName: str('Windows user name to run the entrypoint as.'),
    hostProcess: bool('Run as a Windows host process.'),
  },
  { id: id('WindowsSecurityContextOptions') },
);

export const SECCOMP_TYPES = ['Localhost', 'RuntimeDefault', 'Unconfined'] as const;

export const SeccompProfile = obj(
  'Which seccomp filter confines the process.',
  {
    type: enumStr('Localhost (a profile file on the node), RuntimeDefault or Unconfined.', SECCOMP_TYPES),
    localhostProfile: str('Profile path relative to the kubelet\'s seccomp directory; only with type Localhost.'),
  },
  { id: id('SeccompProfile'), required: ['type'] },
);

export const AppArmorProfile = obj(
  'Which AppArmor profile confines the process.',
  {
    type: enumStr('Localhost (a profile loaded on the node), RuntimeDefault or Unconfined.', SECCOMP_TYPES),
    localhostProfile: str('Name of the loaded profile; only with type Localhost.'),
  },
  { id: id('AppArmorProfile'), required: ['type'] },
);

export const SecurityContext = obj(
  'Security settings of one container.',
  {
    capabilities: Capabilities,
    privileged: bool('Run with (nearly) all host privileges.'),
    seLinuxOptions: SELinuxOptions,
    windowsOptions: WindowsSecurityContextOptions,
    runAsUser: int64('User id for the entrypoint; defaults to the image\'s user.'),
    runAsGroup: int64('Primary group id for the entrypoint.'),
    runAsNonRoot: bool('Refuse to start if the process would run as uid 0.'),
    readOnlyRootFilesystem: bool('Mount the container\'s root filesystem read-only.'),
    allowPrivilegeEscalation: bool('Whether a process may gain more privileges than its parent (no_new_privs).'),
    procMount: enumStr('Default or Unmasked /proc.', ['Default', 'Unmasked']),
    seccompProfile: SeccompProfile,
    appArmorProfile: AppArmorProfile,
  },
  { id: id('SecurityContext') },
);
export type SecurityContext = Static<typeof SecurityContext>;

export const Sysctl = obj(
  'A namespaced kernel parameter set for the pod.',
  {
    name: str('Parameter name, e.g. net.ipv4.ip_unprivileged_port_start.'),
    value: str('Value to set.'),
  },
  { id: id('Sysctl'), required: ['name', 'value'] },
);

export const PodSecurityContext = obj(
  'Security settings shared by all containers of a pod.',
  {
    seLinuxOptions: SELinuxOptions,
    windowsOptions: WindowsSecurityContextOptions,
    runAsUser: int64('Default user id for every container.'),
    runAsGroup: int64('Default primary group id for every container.'),
    runAsNonRoot: bool('Refuse to start containers that would run as uid 0.'),
    supplementalGroups: list('Extra group ids for every container\'s first process.', Type.Integer({ format: 'int64' }), {
      listType: 'atomic',
    }),
    supplementalGroupsPolicy: enumStr('Merge (add the image\'s groups) or Strict (only the listed ones).', ['Merge', 'Strict']),
    fsGroup: int64('Group that owns supported volumes and is added to every container.'),
    sysctls: list('Namespaced kernel parameters.', Sysctl, { listType: 'atomic' }),
    fsGroupChangePolicy: enumStr('When volume ownership is changed: OnRootMismatch or Always.', ['OnRootMismatch', 'Always']),
    seccompProfile: SeccompProfile,
    appArmorProfile: AppArmorProfile,
    seLinuxChangePolicy: str('How the SELinux label is applied to volumes: MountOption or Recursive.'),
  },
  { id: id('PodSecurityContext') },
);
export type PodSecurityContext = Static<typeof PodSecurityContext>;
