// Translates a pod into what the runtime is asked to run: the sandbox config (metadata, labels
// that tie runtime objects back to the pod, the pod's annotations, namespaces, host ports) and one
// container config per container (image, command, literal env, the kind annotation the fake needs).
// The label keys are Kubernetes' own, so tools like crictl show familiar names.
import { createHash } from 'node:crypto';
import type { Pod } from '../../api/core/v1/index.js';
import { CONTAINER_KIND, type ContainerConfig, type ContainerKind, type PodSandboxConfig, type PortMapping } from '../cri/index.js';

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

export function sandboxConfigFor(pod: Pod, attempt: number): PodSandboxConfig {
  const m = meta(pod);
  const spec = pod.spec ?? { containers: [] };
  return {
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, attempt },
    hostname: (spec.hostname ?? m.name).slice(0, 63),
    logDirectory: `/var/log/pods/${m.namespace}_${m.name}_${m.uid}`,
    portMappings: portMappings(pod),
    labels: { ...(pod.metadata?.labels ?? {}), ...podLabels(pod) },
    annotations: { ...(pod.metadata?.annotations ?? {}) },
    linux: {
      securityContext: {
        namespaceOptions: {
          network: spec.hostNetwork ? 'NODE' : 'POD',
          pid: spec.hostPID ? 'NODE' : spec.shareProcessNamespace ? 'POD' : 'CONTAINER',
          ipc: spec.hostIPC ? 'NODE' : 'POD',
        },
      },
    },
  };
}

export function containerConfigFor(pod: Pod, c: PodContainer, o: { kind: ContainerKind; attempt: number }): ContainerConfig {
  return {
    metadata: { name: c.name, attempt: o.attempt },
    image: { image: c.image ?? '' },
    ...(c.command ? { command: [...c.command] } : {}),
    ...(c.args ? { args: [...c.args] } : {}),
    ...(c.workingDir ? { workingDir: c.workingDir } : {}),
    // Only literal values for now; valueFrom (secrets, config maps, fields) comes with real containers.
    envs: (c.env ?? []).filter((e) => e.value !== undefined).map((e) => ({ key: e.name, value: e.value ?? '' })),
    labels: { ...podLabels(pod), [CONTAINER_NAME_LABEL]: c.name },
    annotations: { [RESTART_COUNT_ANNOTATION]: String(o.attempt), [CONTAINER_KIND]: o.kind, [CONTAINER_HASH_ANNOTATION]: containerHash(c) },
    logPath: `${c.name}/${o.attempt}.log`,
    ...(c.stdin ? { stdin: true } : {}),
    ...(c.stdinOnce ? { stdinOnce: true } : {}),
    ...(c.tty ? { tty: true } : {}),
  };
}

export const containerHash = (c: PodContainer): string => createHash('sha256').update(JSON.stringify(c)).digest('hex').slice(0, 16);

/** Init containers with restartPolicy Always are sidecars: started in order, then kept running. */
export const isSidecar = (c: PodContainer): boolean => (c as { restartPolicy?: string }).restartPolicy === 'Always';
