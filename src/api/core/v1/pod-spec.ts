// core/v1 PodSpec and PodTemplateSpec: the desired state of a pod, shared by the Pod kind and
// every workload kind's template (Deployment, StatefulSet, Job, ...). Also the small structures
// only the pod spec uses (DNS config, host aliases, OS, resource claims).
import { obj, str, int32, int64, bool, enumStr, list, strList, strMap, type Static } from '../../schema.js';
import { ObjectMeta } from '../../meta/v1.js';
import { Container, EphemeralContainer, ResourceRequirements, resourceList } from './container.js';
import { PodSecurityContext } from './container-security.js';
import { Volume } from './volume.js';
import { LocalObjectReference } from './volume-sources.js';
import { Affinity } from './affinity.js';
import { Toleration, TopologySpreadConstraint, PodSchedulingGate, PodReadinessGate } from './pod-scheduling.js';

const id = (name: string): string => `io.k8s.api.core.v1.${name}`;

export const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'] as const;
export const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'] as const;
export const PREEMPTION_POLICIES = ['Never', 'PreemptLowerPriority'] as const;
export const OS_NAMES = ['linux', 'windows'] as const;

export const PodDNSConfigOption = obj(
  'A resolver option (resolv.conf "options" entry).',
  {
    name: str('Option name, e.g. ndots.'),
    value: str('Option value, if it takes one.'),
  },
  { id: id('PodDNSConfigOption') },
);

export const PodDNSConfig = obj(
  'DNS resolver settings merged with those the DNS policy produces.',
  {
    nameservers: strList('Extra name server IPs (at most 3 in total).', { listType: 'atomic' }),
    searches: strList('Extra search domains.', { listType: 'atomic' }),
    options: list('Extra resolver options; an entry with the same name replaces the generated one.', PodDNSConfigOption, {
      listType: 'atomic',
    }),
  },
  { id: id('PodDNSConfig') },
);
export type PodDNSConfig = Static<typeof PodDNSConfig>;

export const HostAlias = obj(
  'Extra /etc/hosts entries for one IP.',
  {
    ip: str('IP address.'),
    hostnames: strList('Host names for the IP.', { listType: 'atomic' }),
  },
  { id: id('HostAlias'), required: ['ip'] },
);

export const PodOS = obj(
  'The operating system the pod\'s containers need.',
  { name: enumStr('linux or windows.', OS_NAMES) },
  { id: id('PodOS'), required: ['name'] },
);

export const PodResourceClaim = obj(
  'A dynamic-resource claim the pod uses: an existing ResourceClaim or one made from a template.',
  {
    name: str('Name containers use to refer to the claim, a DNS label unique in the pod.'),
    resourceClaimName: str('An existing ResourceClaim in the pod\'s namespace.'),
    resourceClaimTemplateName: str('A ResourceClaimTemplate to create a per-pod claim from.'),
  },
  { id: id('PodResourceClaim'), required: ['name'] },
);

export const PodSpec = obj(
  'The desired state of a pod: its containers, volumes and how and where it runs.',
  {
    volumes: list('Volumes the containers can mount.', Volume, {
      mergeKey: 'name',
      strategy: 'merge,retainKeys',
      listType: 'map',
      mapKeys: ['name'],
    }),
    initContainers: list('Containers run to completion, in order, before the app containers start; with restartPolicy Always they are sidecars.', Container, {
      mergeKey: 'name',
      strategy: 'merge',
      listType: 'map',
      mapKeys: ['name'],
    }),
    containers: list('The app containers; at least one.', Container, { mergeKey: 'name', strategy: 'merge', listType: 'map', mapKeys: ['name'] }),
    ephemeralContainers: list('Debugging containers added to a running pod through its ephemeralcontainers subresource.', EphemeralContainer, {
      mergeKey: 'name',
      strategy: 'merge',
      listType: 'map',
      mapKeys: ['name'],
    }),
    restartPolicy: enumStr('When containers are restarted: Always (default), OnFailure or Never.', RESTART_POLICIES),
    terminationGracePeriodSeconds: int64('Seconds between the stop signal and the kill on deletion; defaults to 30.'),
    activeDeadlineSeconds: int64('Seconds the pod may be active before the kubelet fails it.'),
    dnsPolicy: enumStr('ClusterFirst (default), ClusterFirstWithHostNet, Default (the node\'s resolver) or None.', DNS_POLICIES),
    nodeSelector: { ...strMap('Labels a node must have for the pod to run there.'), 'x-kubernetes-map-type': 'atomic' },
    serviceAccountName: str('Service account the pod runs as; defaults to "default".'),
    serviceAccount: str('Deprecated alias of serviceAccountName.'),
    automountServiceAccountToken: bool('Whether an API token is mounted into the containers.'),
    nodeName: str('Node the pod is bound to; set by the scheduler, or by the user to skip scheduling.'),
    hostNetwork: bool('Use the node\'s network namespace.'),
    hostPID: bool('Use the node\'s PID namespace.'),
    hostIPC: bool('Use the node\'s IPC namespace.'),
    shareProcessNamespace: bool('All containers share one PID namespace.'),
    securityContext: PodSecurityContext,
    imagePullSecrets: list('Secrets with registry credentials for pulling images.', LocalObjectReference, {
      mergeKey: 'name',
      strategy: 'merge',
      listType: 'map',
      mapKeys: ['name'],
    }),
    hostname: str('Host name of the pod; defaults to the pod name.'),
    subdomain: str('With a headless Service of this name, the pod gets <hostname>.<subdomain>.<ns>.svc DNS.'),
    affinity: Affinity,
    schedulerName: str('Scheduler that places the pod; defaults to default-scheduler.'),
    tolerations: list('Taints the pod tolerates.', Toleration, { listType: 'atomic' }),
    hostAliases: list('Extra /etc/hosts entries.', HostAlias, { mergeKey: 'ip', strategy: 'merge', listType: 'map', mapKeys: ['ip'] }),
    priorityClassName: str('PriorityClass giving the pod its priority.'),
    priority: int32('Scheduling priority, filled in from priorityClassName on admission.'),
    dnsConfig: PodDNSConfig,
    readinessGates: list('Extra conditions required for readiness.', PodReadinessGate, { listType: 'atomic' }),
    runtimeClassName: str('RuntimeClass used to run the pod.'),
    enableServiceLinks: bool('Inject Docker-link-style variables for the namespace\'s Services; defaults to true.'),
    preemptionPolicy: enumStr('Never or PreemptLowerPriority (default).', PREEMPTION_POLICIES),
    overhead: resourceList('Resources the pod\'s sandbox uses on top of its containers, set from the RuntimeClass.'),
    topologySpreadConstraints: list('How matching pods are spread across topology domains.', TopologySpreadConstraint, {
      mergeKey: 'topologyKey',
      strategy: 'merge',
      listType: 'map',
      mapKeys: ['topologyKey', 'whenUnsatisfiable'],
    }),
    setHostnameAsFQDN: bool('Make the kernel host name the fully qualified domain name.'),
    os: PodOS,
    hostUsers: bool('Use the host user namespace; false gives the pod its own.'),
    schedulingGates: list('Gates that hold the pod back from scheduling while present.', PodSchedulingGate, {
      mergeKey: 'name',
      strategy: 'merge',
      listType: 'map',
      mapKeys: ['name'],
    }),
    resourceClaims: list('Dynamic-resource claims the containers may use.', PodResourceClaim, {
      mergeKey: 'name',
      strategy: 'merge,retainKeys',
      listType: 'map',
      mapKeys: ['name'],
    }),
    resources: ResourceRequirements,
  },
  { id: id('PodSpec'), required: ['containers'] },
);
export type PodSpec = Static<typeof PodSpec>;

export const PodTemplateSpec = obj(
  'Metadata and spec of the pods a workload creates.',
  {
    metadata: ObjectMeta,
    spec: PodSpec,
  },
  { id: id('PodTemplateSpec') },
);
export type PodTemplateSpec = Static<typeof PodTemplateSpec>;
