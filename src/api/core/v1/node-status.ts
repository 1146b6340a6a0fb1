// core/v1 NodeStatus and its parts: what the kubelet reports about its node (capacity and
// allocatable resources, conditions such as Ready, addresses, system info, images, attached
// volumes, runtime handlers and features). Kept apart from node.ts because it is large and only
// the kubelet and node controllers write it. NodeConfigSource is here too since the status
// reports it and the spec only points at it.
import { obj, str, bool, int32, int64, time, list, strList, mapOf, quantity, type Static } from '../../schema.js';

const id = (name: string): string => `io.k8s.api.core.v1.${name}`;

export const ConfigMapNodeConfigSource = obj(
  'A ConfigMap holding kubelet configuration (deprecated dynamic kubelet config).',
  {
    namespace: str('Namespace of the ConfigMap.'),
    name: str('Name of the ConfigMap.'),
    uid: str('UID of the ConfigMap.'),
    resourceVersion: str('Resource version of the ConfigMap.'),
    kubeletConfigKey: str('Key holding the KubeletConfiguration.'),
  },
  { id: id('ConfigMapNodeConfigSource'), required: ['namespace', 'name', 'kubeletConfigKey'] },
);

export const NodeConfigSource = obj(
  'Where a node\'s kubelet configuration comes from (deprecated dynamic kubelet config).',
  { configMap: ConfigMapNodeConfigSource },
  { id: id('NodeConfigSource') },
);

export const resourceQuantities = (description: string) => mapOf(description, quantity('Quantity.'));

export const NodeCondition = obj(
  'One observation about a node, e.g. Ready or MemoryPressure.',
  {
    type: str('Type of condition: Ready, MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable.'),
    status: str('True, False or Unknown.'),
    lastHeartbeatTime: time('When the kubelet last confirmed this condition.'),
    lastTransitionTime: time('When the status last changed.'),
    reason: str('Machine-readable reason in CamelCase.'),
    message: str('Human-readable details.'),
  },
  { id: id('NodeCondition'), required: ['type', 'status'] },
);
export type NodeCondition = Static<typeof NodeCondition>;

export const NodeAddress = obj(
  'One address of a node.',
  {
    type: str('Hostname, InternalIP, ExternalIP, InternalDNS or ExternalDNS.'),
    address: str('The address.'),
  },
  { id: id('NodeAddress'), required: ['type', 'address'] },
);
export type NodeAddress = Static<typeof NodeAddress>;

export const DaemonEndpoint = obj(
  'A port a node daemon listens on.',
  { Port: int32('Port number.') },
  { id: id('DaemonEndpoint'), required: ['Port'] },
);

export const NodeDaemonEndpoints = obj(
  'Ports of the daemons running on a node.',
  { kubeletEndpoint: DaemonEndpoint },
  { id: id('NodeDaemonEndpoints') },
);

export const NodeSystemInfo = obj(
  'Identity and software versions of a node.',
  {
    machineID: str('Machine id from /etc/machine-id.'),
    systemUUID: str('System UUID from the firmware.'),
    bootID: str('Id of the current boot.'),
    kernelVersion: str('Kernel version (uname -r).'),
    osImage: str('Operating system image, from /etc/os-release.'),
    containerRuntimeVersion: str('Container runtime name and version, e.g. containerd://1.7.0.'),
    kubeletVersion: str('Version of the node agent.'),
    kubeProxyVersion: str('Deprecated; version of the proxy.'),
    operatingSystem: str('Operating system, e.g. linux.'),
    architecture: str('CPU architecture, e.g. amd64.'),
  },
  {
    id: id('NodeSystemInfo'),
    required: [
      'machineID',
      'systemUUID',
      'bootID',
      'kernelVersion',
      'osImage',
      'containerRuntimeVersion',
      'kubeletVersion',
      'kubeProxyVersion',
      'operatingSystem',
      'architecture',
    ],
  },
);

export const ContainerImage = obj(
  'An image present on a node.',
  {
    names: strList('Names and digests the image is known by.', { listType: 'atomic' }),
    sizeBytes: int64('Size of the image in bytes.'),
  },
  { id: id('ContainerImage') },
);

export const AttachedVolume = obj(
  'A volume attached to a node.',
  {
    name: str('Name of the attached volume.'),
    devicePath: str('Where the volume should be available on the node.'),
  },
  { id: id('AttachedVolume'), required: ['name', 'devicePath'] },
);

export const NodeConfigStatus = obj(
  'Status of dynamic kubelet configuration (deprecated feature).',
  {
    assigned: NodeConfigSource,
    active: NodeConfigSource,
    lastKnownGood: NodeConfigSource,
    error: str('Problem with the configuration, if any.'),
  },
  { id: id('NodeConfigStatus') },
);

export const NodeRuntimeHandlerFeatures = obj(
  'Features a runtime handler supports.',
  {
    recursiveReadOnlyMounts: bool('Supports recursive read-only mounts.'),
    userNamespaces: bool('Supports user namespaces, including for volumes.'),
  },
  { id: id('NodeRuntimeHandlerFeatures') },
);

export const NodeRuntimeHandler = obj(
  'A runtime handler available on a node.',
  {
    name: str('Name of the handler; empty for the default one.'),
    features: NodeRuntimeHandlerFeatures,
  },
  { id: id('NodeRuntimeHandler') },
);

export const NodeFeatures = obj(
  'Features the node\'s software supports.',
  { supplementalGroupsPolicy: bool('Supports the pod supplementalGroupsPolicy field.') },
  { id: id('NodeFeatures') },
);

export const NodeStatus = obj(
  'Observed state of a node.',
  {
    capacity: resourceQuantities('Total resources of the node.'),
    allocatable: resourceQuantities('Resources available to pods; defaults to capacity.'),
    phase: str('Deprecated lifecycle phase: Pending, Running or Terminated.'),
    conditions: list('Current conditions of the node.', NodeCondition, {
      mergeKey: 'type',
      strategy: 'merge',
      listType: 'map',
      mapKeys: ['type'],
    }),
    addresses: list('Addresses the node is reachable at; replace the list whole when patching.', NodeAddress, {
      mergeKey: 'type',
      strategy: 'merge',
      listType: 'atomic',
    }),
    daemonEndpoints: NodeDaemonEndpoints,
    nodeInfo: NodeSystemInfo,
    images: list('Images present on the node.', ContainerImage, { listType: 'atomic' }),
    volumesInUse: strList('Volumes mounted by the node.', { listType: 'atomic' }),
    volumesAttached: list('Volumes attached to the node.', AttachedVolume, { listType: 'atomic' }),
    config: NodeConfigStatus,
    runtimeHandlers: list('Runtime handlers available on the node.', NodeRuntimeHandler, { listType: 'atomic' }),
    features: NodeFeatures,
  },
  { id: id('NodeStatus') },
);
export type NodeStatus = Static<typeof NodeStatus>;
