// Translates a pod into what the runtime is asked to run: the sandbox config (metadata, labels
// that tie runtime objects back to the pod, the pod's annotations, host name, DNS, namespaces,
// sysctls, host ports, log directory) and one container config per container (image, command and
// args expanded against its environment, env, mounts, cgroup and security settings, the kind
// annotation the fake needs).
// The label keys are Kubernetes' own, so tools like crictl show familiar names.
import { createHash } from 'node:crypto';
import type { Pod } from '../../api/core/v1/index.js';
import { CONTAINER_KIND, type ContainerConfig, type ContainerKind, type DNSConfig, type Mount, type PodSandboxConfig, type PortMapping } from '../cri/index.js';
import { expand } from './env/index.js';
import { sandboxSecurity } from './security-context.js';

export const POD_NAME_LABEL = 'io.kubernetes.pod.name';
export const POD_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
export const POD_UID_LABEL = 'io.kubernetes.pod.uid';
export const CONTAINER_NAME_LABEL = 'io.kubernetes.container.name';
const RESTART_COUNT_ANNOTATION = 'io.kubernetes.container.restartCount';
/** Hash of the container's spec when it was created: a running container whose spec changed since is replaced. */
export const CONTAINER_HASH_ANNOTATION = 'io.kubernetes.container.hash';

export type PodContainer = NonNullable<NonNullable<Pod['spec']>['containers']>[number];

const meta = (pod: Pod): { name: string; namespace: string; uid: string } => ({
  name: pod.metadata?.name ?? '',
  namespace: pod.metadata?.namespace ?? 'default',
  uid: pod.metadata?.uid ?? '',
});

export function podLabels(pod: Pod): Record<string, string> {
  const m = meta(pod);
  return { [POD_NAME_LABEL]: m.name, [POD_NAMESPACE_LABEL]: m.namespace, [POD_UID_LABEL]: m.uid };
}

function portMappings(pod: Pod): PortMapping[] {
  const out: PortMapping[] = [];
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort) continue;
      out.push({ protocol: p.protocol ?? 'TCP', containerPort: p.containerPort, hostPort: p.hostPort, ...(p.hostIP ? { hostIp: p.hostIP } : {}) });
    }
  }
  return out;
}

export interface SandboxExtras {
  /** The pod's resolver config (from its DNS policy). */
  dns?: DNSConfig;
  /** Where the runtime writes container logs; Kubernetes' /var/log/pods/<ns>_<name>_<uid> by default. */
  logDirectory?: string;
  /** The kernel host name (the FQDN with setHostnameAsFQDN); spec.hostname or the pod name by default. */
  hostname?: string;
}

export const podLogDirName = (pod: Pod): string => {
  const m = meta(pod);
  return `${m.namespace}_${m.name}_${m.uid}`;
};

export function sandboxConfigFor(pod: Pod, attempt: number, extras: SandboxExtras = {}): PodSandboxConfig {
  const m = meta(pod);
  const spec = pod.spec ?? { containers: [] };
  const sysctls = Object.fromEntries((spec.securityContext?.sysctls ?? []).map((s) => [s.name, s.value]));
  return {
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, attempt },
    // A host-network pod keeps the node's host name.
    ...(spec.hostNetwork ? {} : { hostname: extras.hostname ?? (spec.hostname || m.name.slice(0, 63).replace(/[-.]+$/, '')) }),
    logDirectory: extras.logDirectory ?? `/var/log/pods/${podLogDirName(pod)}`,
    ...(extras.dns ? { dnsConfig: extras.dns } : {}),
    portMappings: portMappings(pod),
    labels: { ...(pod.metadata?.labels ?? {}), ...podLabels(pod) },
    annotations: { ...(pod.metadata?.annotations ?? {}) },
    linux: {
      securityContext: sandboxSecurity(pod),
      ...(Object.keys(sysctls).length > 0 ? { sysctls } : {}),
    },
  };
}

/** What the kubelet resolved for a container beyond its spec: environment, mounts, cgroup and security settings. */
export interface ResolvedContainer {
  /** Variables in definition order; command and args are expanded against them. */
  env?: ReadonlyMap<string, string>;
  mounts?: Mount[];
  linux?: ContainerConfig['linux'];
}

export function containerConfigFor(pod: Pod, c: PodContainer, o: { kind: ContainerKind; attempt: number; resolved?: ResolvedContainer; hash?: string }): ContainerConfig {
  const r = o.resolved;
  const env = r?.env ?? new Map((c.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value ?? ''] as const));
  const lookup = (name: string): string | undefined => env.get(name);
  return {
    metadata: { name: c.name, attempt: o.attempt },
    image: { image: c.image ?? '' },
    ...(c.command ? { command: c.command.map((x) => expand(x, lookup)) } : {}),
    ...(c.args ? { args: c.args.map((x) => expand(x, lookup)) } : {}),
    ...(c.workingDir ? { workingDir: c.workingDir } : {}),
    envs: [...env].map(([key, value]) => ({ key, value })),
    ...(r?.mounts ? { mounts: r.mounts } : {}),
    labels: { ...podLabels(pod), [CONTAINER_NAME_LABEL]: c.name },
    annotations: { [RESTART_COUNT_ANNOTATION]: String(o.attempt), [CONTAINER_KIND]: o.kind, [CONTAINER_HASH_ANNOTATION]: o.hash ?? containerHash(c) },
    logPath: `${c.name}/${o.attempt}.log`,
    ...(c.stdin ? { stdin: true } : {}),
    ...(c.stdinOnce ? { stdinOnce: true } : {}),
    ...(c.tty ? { tty: true } : {}),
    ...(r?.linux ? { linux: r.linux } : {}),
  };
}

export const containerHash = (c: PodContainer): string => createHash('sha256').update(JSON.stringify(c)).digest('hex').slice(0, 16);

/** Init containers with restartPolicy Always are sidecars: started in order, then kept running. */
export const isSidecar = (c: PodContainer): boolean => (c as { restartPolicy?: string }).restartPolicy === 'Always';
