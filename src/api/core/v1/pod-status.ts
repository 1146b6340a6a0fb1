// core/v1 PodStatus: what the kubelet and scheduler report about a pod (phase, conditions, IPs,
// and the state of every container). Written through the pod's /status subresource.
import { obj, str, int32, int64, bool, enumStr, list, time, type Static } from '../../schema.js';
import { Type } from '@sinclair/typebox';
import { ResourceRequirements, resourceList } from './container.js';

const id = (name: string): string => `io.k8s.api.core.v1.${name}`;

export const POD_PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'] as const;
export const QOS_CLASSES = ['BestEffort', 'Burstable', 'Guaranteed'] as const;

export const PodCondition = obj(
  'One aspect of the pod\'s state, such as PodScheduled, Initialized, ContainersReady or Ready.',
  {
    type: str('Condition type.'),
    status: enumStr('True, False or Unknown.', ['False', 'True', 'Unknown']),
    lastProbeTime: time('When the condition was last checked.'),
    lastTransitionTime: time('When the status last changed.'),
    reason: str('Machine-readable reason for the last transition.'),
    message: str('Human-readable details.'),
  },
  { id: id('PodCondition'), required: ['type', 'status'] },
);
export type PodCondition = Static<typeof PodCondition>;

export const ContainerStateWaiting = obj(
  'The container has not started yet.',
  {
    reason: str('Why, e.g. ContainerCreating, ImagePullBackOff, CrashLoopBackOff.'),
    message: str('Details.'),
  },
  { id: id('ContainerStateWaiting') },
);

export const ContainerStateRunning = obj(
  'The container is running.',
  { startedAt: time('When it (last) started.') },
  { id: id('ContainerStateRunning') },
);

export const ContainerStateTerminated = obj(
  'The container ran and exited.',
  {
    exitCode: int32('Exit status of the last run.'),
    signal: int32('Signal that ended it, if any.'),
    reason: str('Why, e.g. Completed, Error, OOMKilled.'),
    message: str('Details, such as the termination message.'),
    startedAt: time('When it started.'),
    finishedAt: time('When it exited.'),
    containerID: str('Runtime id of the exited container.'),
  },
  { id: id('ContainerStateTerminated'), required: ['exitCode'] },
);

export const ContainerState = obj(
  'The state of a container; at most one field is set, and none means waiting.',
  {
    waiting: ContainerStateWaiting,
    running: ContainerStateRunning,
    terminated: ContainerStateTerminated,
  },
  { id: id('ContainerState') },
);
export type ContainerState = Static<typeof ContainerState>;

export const VolumeMountStatus = obj(
  'How a volume is actually mounted in the container.',
  {
    name: str('Volume name.'),
    mountPath: str('Path inside the container.'),
    readOnly: bool('Mounted read-only.'),
    recursiveReadOnly: str('Disabled, Enabled, or unset.'),
  },
  { id: id('VolumeMountStatus'), required: ['name', 'mountPath'] },
);

export const LinuxContainerUser = obj(
  'Linux identity of the container\'s first process.',
  {
    uid: int64('User id.'),
    gid: int64('Primary group id.'),
    supplementalGroups: list('Supplemental group ids.', Type.Integer({ format: 'int64' }), { listType: 'atomic' }),
  },
  { id: id('LinuxContainerUser'), required: ['uid', 'gid'] },
);

export const ContainerUser = obj('Identity of the container\'s first process.', { linux: LinuxContainerUser }, { id: id('ContainerUser') });

export const ResourceHealth = obj(
  'Health of one device allocated to the container.',
  {
    resourceID: str('Device id, unique within the resource.'),
    health: str('Healthy, Unhealthy or Unknown.'),
  },
  { id: id('ResourceHealth'), required: ['resourceID'] },
);

export const ResourceStatus = obj(
  'Health of the devices of one resource allocated to the container.',
  {
    name: str('Resource name, e.g. claim:<claim>/<request> or a device-plugin resource.'),
    resources: list('Per-device health.', ResourceHealth, { listType: 'map', mapKeys: ['resourceID'] }),
  },
  { id: id('ResourceStatus'), required: ['name'] },
);

export const ContainerStatus = obj(
  'What the kubelet knows about one container.',
  {
    name: str('Container name.'),
    state: ContainerState,
    lastState: ContainerState,
    ready: bool('Whether the readiness probe passes.'),
    restartCount: int32('How many times the container was restarted.'),
    image: str('Image the container runs.'),
    imageID: str('Resolved image id (digest).'),
    containerID: str('Runtime id, <type>://<id>.'),
    started: bool('Whether the startup probe passed (true once started without one).'),
    allocatedResources: resourceList('Resources the node allocated to the container.'),
    resources: ResourceRequirements,
    volumeMounts: list('Mounted volumes.', VolumeMountStatus, {
      mergeKey: 'mountPath',
      strategy: 'merge',
      listType: 'map',
      mapKeys: ['mountPath'],
    }),
    user: ContainerUser,
    allocatedResourcesStatus: list('Health of allocated devices.', ResourceStatus, {
      mergeKey: 'name',
      strategy: 'merge',
      listType: 'map',
      mapKeys: ['name'],
    }),
  },
  { id: id('ContainerStatus'), required: ['name', 'ready', 'restartCount', 'image', 'imageID'] },
);
export type ContainerStatus = Static<typeof ContainerStatus>;

export const PodIP = obj('One IP address of the pod.', { ip: str('The address.') }, { id: id('PodIP'), required: ['ip'] });
export const HostIP = obj('One IP address of the node.', { ip: str('The address.') }, { id: id('HostIP'), required: ['ip'] });

export const PodResourceClaimStatus = obj(
  'The ResourceClaim created for a pod resource claim from a template.',
  {
    name: str('Entry in spec.resourceClaims.'),
    resourceClaimName: str('Name of the created claim; unset if none was needed.'),
  },
  { id: id('PodResourceClaimStatus'), required: ['name'] },
);

export const PodStatus = obj(
  'The observed state of a pod.',
  {
    phase: enumStr('Pending, Running, Succeeded, Failed or Unknown.', POD_PHASES),
    conditions: list('Current conditions.', PodCondition, { mergeKey: 'type', strategy: 'merge', listType: 'map', mapKeys: ['type'] }),
    message: str('Why the pod is in this state.'),
    reason: str('Short CamelCase reason, e.g. Evicted.'),
    nominatedNodeName: str('Node the scheduler preempted pods on for this pod.'),
    hostIP: str('Primary IP of the node the pod runs on.'),
    hostIPs: list('IPs of the node (one per family).', HostIP, { mergeKey: 'ip', strategy: 'merge', listType: 'atomic' }),
    podIP: str('Primary IP of the pod.'),
    podIPs: list('IPs of the pod (one per family).', PodIP, { mergeKey: 'ip', strategy: 'merge', listType: 'map', mapKeys: ['ip'] }),
    startTime: time('When the kubelet accepted the pod.'),
    initContainerStatuses: list('Status of each init container.', ContainerStatus, { listType: 'atomic' }),
    containerStatuses: list('Status of each app container.', ContainerStatus, { listType: 'atomic' }),
    qosClass: enumStr('Quality-of-service class derived from the resources: BestEffort, Burstable or Guaranteed.', QOS_CLASSES),
    ephemeralContainerStatuses: list('Status of each ephemeral container.', ContainerStatus, { listType: 'atomic' }),
    resize: str('State of an in-place resize: Proposed, InProgress, Deferred or Infeasible.'),
    resourceClaimStatuses: list('ResourceClaims created from templates.', PodResourceClaimStatus, {
      mergeKey: 'name',
      strategy: 'merge,retainKeys',
      listType: 'map',
      mapKeys: ['name'],
    }),
  },
  { id: id('PodStatus') },
);
export type PodStatus = Static<typeof PodStatus>;
