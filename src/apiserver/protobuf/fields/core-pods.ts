// Field numbers of core/v1 pods: PodSpec and PodTemplateSpec, scheduling (affinity, tolerations,
// topology spread), DNS and OS settings, and PodStatus with its container statuses.
import { kept, type FieldTable } from './spec.js';

export const corePodFields: FieldTable = {
  'io.k8s.api.core.v1.Affinity': { nodeAffinity: 1, podAffinity: 2, podAntiAffinity: 3 },
  'io.k8s.api.core.v1.NodeAffinity': {
    requiredDuringSchedulingIgnoredDuringExecution: 1, preferredDuringSchedulingIgnoredDuringExecution: 2,
  },
  'io.k8s.api.core.v1.NodeSelector': { nodeSelectorTerms: 1 },
  'io.k8s.api.core.v1.NodeSelectorRequirement': { key: kept(1), operator: kept(2), values: 3 },
  'io.k8s.api.core.v1.NodeSelectorTerm': { matchExpressions: 1, matchFields: 2 },
  'io.k8s.api.core.v1.PodAffinity': {
    requiredDuringSchedulingIgnoredDuringExecution: 1, preferredDuringSchedulingIgnoredDuringExecution: 2,
  },
  'io.k8s.api.core.v1.PodAffinityTerm': {
    labelSelector: 1, namespaces: 2, topologyKey: kept(3), namespaceSelector: 4, matchLabelKeys: 5, mismatchLabelKeys: 6,
  },
  'io.k8s.api.core.v1.PodAntiAffinity': {
    requiredDuringSchedulingIgnoredDuringExecution: 1, preferredDuringSchedulingIgnoredDuringExecution: 2,
  },
  'io.k8s.api.core.v1.PreferredSchedulingTerm': { weight: kept(1), preference: 2 },
  'io.k8s.api.core.v1.WeightedPodAffinityTerm': { weight: kept(1), podAffinityTerm: 2 },
  'io.k8s.api.core.v1.PodReadinessGate': { conditionType: kept(1) },
  'io.k8s.api.core.v1.PodSchedulingGate': { name: kept(1) },
  'io.k8s.api.core.v1.Toleration': { key: 1, operator: 2, value: 3, effect: 4, tolerationSeconds: kept(5) },
  'io.k8s.api.core.v1.TopologySpreadConstraint': {
    maxSkew: kept(1), topologyKey: kept(2), whenUnsatisfiable: kept(3), labelSelector: 4, minDomains: kept(5),
    nodeAffinityPolicy: kept(6), nodeTaintsPolicy: kept(7), matchLabelKeys: 8,
  },
  'io.k8s.api.core.v1.HostAlias': { ip: kept(1), hostnames: 2 },
  'io.k8s.api.core.v1.PodDNSConfig': { nameservers: 1, searches: 2, options: 3 },
  'io.k8s.api.core.v1.PodDNSConfigOption': { name: 1, value: kept(2) },
  'io.k8s.api.core.v1.PodOS': { name: kept(1) },
  'io.k8s.api.core.v1.PodResourceClaim': { name: kept(1), resourceClaimName: kept(3), resourceClaimTemplateName: kept(4) },
  'io.k8s.api.core.v1.PodSpec': {
    volumes: 1, initContainers: 20, containers: 2, ephemeralContainers: 34, restartPolicy: 3,
    terminationGracePeriodSeconds: kept(4), activeDeadlineSeconds: kept(5), dnsPolicy: 6, nodeSelector: 7,
    serviceAccountName: 8, serviceAccount: 9, automountServiceAccountToken: kept(21), nodeName: 10, hostNetwork: 11,
    hostPID: 12, hostIPC: 13, shareProcessNamespace: kept(27), securityContext: 14, imagePullSecrets: 15, hostname: 16,
    subdomain: 17, affinity: 18, schedulerName: 19, tolerations: 22, hostAliases: 23, priorityClassName: 24, priority: kept(25),
    dnsConfig: 26, readinessGates: 28, runtimeClassName: kept(29), enableServiceLinks: kept(30), preemptionPolicy: kept(31),
    overhead: 32, topologySpreadConstraints: 33, setHostnameAsFQDN: kept(35), os: 36, hostUsers: kept(37), schedulingGates: 38,
    resourceClaims: 39, resources: 40,
  },
  'io.k8s.api.core.v1.PodTemplateSpec': { metadata: 1, spec: 2 },
  'io.k8s.api.core.v1.ContainerState': { waiting: 1, running: 2, terminated: 3 },
  'io.k8s.api.core.v1.ContainerStateRunning': { startedAt: 1 },
  'io.k8s.api.core.v1.ContainerStateTerminated': {
    exitCode: kept(1), signal: 2, reason: 3, message: 4, startedAt: 5, finishedAt: 6, containerID: 7,
  },
  'io.k8s.api.core.v1.ContainerStateWaiting': { reason: 1, message: 2 },
  'io.k8s.api.core.v1.ContainerStatus': {
    name: kept(1), state: 2, lastState: 3, ready: kept(4), restartCount: kept(5), image: kept(6), imageID: kept(7),
    containerID: 8, started: kept(9), allocatedResources: 10, resources: 11, volumeMounts: 12, user: 13,
    allocatedResourcesStatus: 14,
  },
  'io.k8s.api.core.v1.ContainerUser': { linux: 1 },
  'io.k8s.api.core.v1.HostIP': { ip: kept(1) },
  'io.k8s.api.core.v1.LinuxContainerUser': { uid: kept(1), gid: kept(2), supplementalGroups: 3 },
  'io.k8s.api.core.v1.PodCondition': {
    type: kept(1), status: kept(2), lastProbeTime: 3, lastTransitionTime: 4, reason: 5, message: 6,
  },
  'io.k8s.api.core.v1.PodIP': { ip: kept(1) },
  'io.k8s.api.core.v1.PodResourceClaimStatus': { name: kept(1), resourceClaimName: kept(2) },
  'io.k8s.api.core.v1.PodStatus': {
    phase: 1, conditions: 2, message: 3, reason: 4, nominatedNodeName: 11, hostIP: 5, hostIPs: 16, podIP: 6, podIPs: 12,
    startTime: 7, initContainerStatuses: 10, containerStatuses: 8, qosClass: 9, ephemeralContainerStatuses: 13, resize: 14,
    resourceClaimStatuses: 15,
  },
  'io.k8s.api.core.v1.ResourceHealth': { resourceID: kept(1), health: 2 },
  'io.k8s.api.core.v1.ResourceStatus': { name: kept(1), resources: 2 },
  'io.k8s.api.core.v1.VolumeMountStatus': { name: kept(1), mountPath: kept(2), readOnly: 3, recursiveReadOnly: kept(4) },
  'io.k8s.api.core.v1.Pod': { metadata: 1, spec: 2, status: 3 },
  'io.k8s.api.core.v1.Binding': { metadata: 1, target: 2 },
};
