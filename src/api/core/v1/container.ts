// core/v1 Container and EphemeralContainer schemas with their parts that have no other home:
// ports, volume mounts and devices, resource requirements and resize policy. Probes, env and
// security contexts are in their own container-*.ts files. Lists carry the strategic-merge-patch
// keys Kubernetes publishes so `kubectl apply` merges ports by containerPort, env by name and
// mounts by mountPath.
import { obj, str, int32, bool, enumStr, list, strList, mapOf, quantity, type Static } from '../../schema.js';
import { EnvVar, EnvFromSource } from './container-env.js';
import { Probe, Lifecycle } from './container-probe.js';
import { SecurityContext } from './container-security.js';

const id = (name: string): string => `io.k8s.api.core.v1.${name}`;

export const PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const;
export const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'] as const;
export const TERMINATION_MESSAGE_POLICIES = ['FallbackToLogsOnError', 'File'] as const;
export const MOUNT_PROPAGATIONS = ['Bidirectional', 'HostToContainer', 'None'] as const;
export const RECURSIVE_READ_ONLY_MODES = ['Disabled', 'Enabled', 'IfPossible'] as const;

export const ContainerPort = obj(
  'A network port the container listens on (informational, except for hostPort).',
  {
    name: str('IANA service name other objects can refer to the port by; unique in the pod.'),
    hostPort: int32('Node port forwarded to this port; rarely needed.'),
    containerPort: int32('Port number inside the pod (1-65535).'),
    protocol: enumStr('TCP, UDP or SCTP; defaults to TCP.', PROTOCOLS),
    hostIP: str('Node address the host port binds to.'),
  },
  { id: id('ContainerPort'), required: ['containerPort'] },
);
export type ContainerPort = Static<typeof ContainerPort>;

export const VolumeMount = obj(
  'Where a pod volume appears inside the container.',
  {
    name: str('Name of the pod volume.'),
    readOnly: bool('Mount read-only.'),
    recursiveReadOnly: enumStr('Whether submounts of a read-only mount are read-only too: Disabled, IfPossible or Enabled.', RECURSIVE_READ_ONLY_MODES),
    mountPath: str('Path inside the container; must not contain ":".'),
    subPath: str('Path inside the volume to mount instead of its root.'),
    mountPropagation: enumStr('How mounts propagate between host and container: None, HostToContainer or Bidirectional.', MOUNT_PROPAGATIONS),
    subPathExpr: str('Like subPath, with $(VAR) expanded from the container\'s environment.'),
  },
  { id: id('VolumeMount'), required: ['name', 'mountPath'] },
);
export type VolumeMount = Static<typeof VolumeMount>;

export const VolumeDevice = obj(
  'A raw block volume exposed as a device inside the container.',
  {
    name: str('Name of a pod volume backed by a block-mode claim.'),
    devicePath: str('Device path inside the container.'),
  },
  { id: id('VolumeDevice'), required: ['name', 'devicePath'] },
);

export const ResourceClaim = obj(
  'A dynamic-resource claim of the pod that this container uses.',
  {
    name: str('Name of an entry in the pod\'s resourceClaims.'),
    request: str('One request of the claim; empty means the whole claim.'),
  },
  { id: id('ResourceClaim'), required: ['name'] },
);

export const resourceList = (description: string) => mapOf(description, quantity('Quantity.'));

export const ResourceRequirements = obj(
  'Compute resources a container asks for (requests, used for scheduling) and may not exceed (limits).',
  {
    limits: resourceList('Maximum amount of each resource, e.g. cpu: 500m, memory: 128Mi.'),
    requests: resourceList('Amount of each resource reserved for the container; defaults to the limit.'),
    claims: list('Dynamic-resource claims this container uses.', ResourceClaim, { listType: 'map', mapKeys: ['name'] }),
  },
  { id: id('ResourceRequirements') },
);
export type ResourceRequirements = Static<typeof ResourceRequirements>;

export const ContainerResizePolicy = obj(
  'Whether changing a resource in place needs a container restart.',
  {
    resourceName: str('cpu or memory.'),
    restartPolicy: enumStr('NotRequired or RestartContainer.', ['NotRequired', 'RestartContainer']),
  },
  { id: id('ContainerResizePolicy'), required: ['resourceName', 'restartPolicy'] },
);

/** Fields shared by Container and EphemeralContainer (which adds targetContainerName). */
const containerProps = {
  name: str('Name of the container, a DNS label unique within the pod.'),
  image: str('Container image reference, e.g. nginx:1.27 or registry/app@sha256:...'),
  command: strList('Entrypoint, replacing the image\'s ENTRYPOINT; $(VAR) references are expanded.', { listType: 'atomic' }),
  args: strList('Arguments, replacing the image\'s CMD; $(VAR) references are expanded.', { listType: 'atomic' }),
  workingDir: str('Working directory; defaults to the image\'s.'),
  ports: list('Ports the container exposes.', ContainerPort, {
    mergeKey: 'containerPort',
    strategy: 'merge',
    listType: 'map',
    mapKeys: ['containerPort', 'protocol'],
  }),
  envFrom: list('ConfigMaps and Secrets imported as variables; later sources and env win.', EnvFromSource, { listType: 'atomic' }),
  env: list('Environment variables.', EnvVar, { mergeKey: 'name', strategy: 'merge', listType: 'map', mapKeys: ['name'] }),
  resources: ResourceRequirements,
  resizePolicy: list('Per-resource in-place resize behaviour.', ContainerResizePolicy, { listType: 'atomic' }),
  restartPolicy: enumStr('Only "Always", and only on init containers: makes the init container a sidecar.', ['Always']),
  volumeMounts: list('Pod volumes mounted into the container.', VolumeMount, {
    mergeKey: 'mountPath',
    strategy: 'merge',
    listType: 'map',
    mapKeys: ['mountPath'],
  }),
  volumeDevices: list('Block volumes exposed as devices.', VolumeDevice, {
    mergeKey: 'devicePath',
    strategy: 'merge',
    listType: 'map',
    mapKeys: ['devicePath'],
  }),
  livenessProbe: Probe,
  readinessProbe: Probe,
  startupProbe: Probe,
  lifecycle: Lifecycle,
  terminationMessagePath: str('File whose contents become the termination message; defaults to /dev/termination-log.'),
  terminationMessagePolicy: enumStr('File, or FallbackToLogsOnError to use the log tail when the file is empty.', TERMINATION_MESSAGE_POLICIES),
  imagePullPolicy: enumStr('Always, Never or IfNotPresent; defaults to Always for :latest or untagged images.', PULL_POLICIES),
  securityContext: SecurityContext,
  stdin: bool('Keep a stdin buffer open for attach.'),
  stdinOnce: bool('Close stdin after the first attach session ends.'),
  tty: bool('Allocate a TTY (needs stdin).'),
};

export const Container = obj('A container run in a pod.', containerProps, { id: id('Container'), required: ['name'] });
export type Container = Static<typeof Container>;

export const EphemeralContainer = obj(
  'A temporary debugging container added to a running pod; it has no ports, probes or resources.',
  {
    ...containerProps,
    name: str('Name of the ephemeral container, unique within the pod.'),
    targetContainerName: str('Container whose namespaces (PID, IPC) this one shares.'),
  },
  { id: id('EphemeralContainer'), required: ['name'] },
);
export type EphemeralContainer = Static<typeof EphemeralContainer>;
