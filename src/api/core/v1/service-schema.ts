// core/v1 Service schema: spec (ports, selector, cluster IPs, type, traffic policies, session
// affinity) and status (load-balancer addresses, conditions), plus the value sets and the
// protocol field other kinds reuse. Defaults and the kind definition are in service.ts, rules in
// service-validation.ts.
import { Type } from '@sinclair/typebox';
import { obj, str, bool, int32, enumStr, list, strList, intOrString, describeKind, type Static } from '../../schema.js';
import { ObjectMeta, Condition, typeMeta } from '../../meta/v1.js';
import { PROTOCOLS } from './container.js';

const id = (name: string): string => `io.k8s.api.core.v1.${name}`;

// Value sets are sorted, as Kubernetes lists them in "supported values" messages and the OpenAPI.
export type Protocol = (typeof PROTOCOLS)[number];
export const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'] as const;
export const IP_FAMILIES = ['IPv4', 'IPv6'] as const;
export const IP_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'] as const;
export const TRAFFIC_POLICIES = ['Cluster', 'Local'] as const;
export const SESSION_AFFINITIES = ['ClientIP', 'None'] as const;
/** Default ClientIP session stickiness: three hours. */
export const DEFAULT_CLIENT_IP_TIMEOUT = 10800;

export const protocol = (description: string): ReturnType<typeof enumStr<Protocol>> => enumStr(description, PROTOCOLS, { default: 'TCP' });

export const ServicePort = obj(
  'One port the service exposes and where it sends the traffic.',
  {
    name: str('Name of the port; required and unique when there is more than one. Endpoints use it too.'),
    protocol: protocol('TCP, UDP or SCTP; defaults to TCP.'),
    appProtocol: str('Application protocol, as an IANA service name or a domain-prefixed name.'),
    port: int32('Port the service listens on.'),
    targetPort: intOrString('Port number or named container port on the pods; defaults to port.'),
    nodePort: int32('Port opened on every node for NodePort and LoadBalancer services; allocated when unset.'),
  },
  { id: id('ServicePort'), required: ['port'] },
);
export type ServicePort = Static<typeof ServicePort>;

export const ClientIPConfig = obj(
  'Settings of ClientIP session affinity.',
  { timeoutSeconds: int32('How long a client sticks to one endpoint, 1 to 86400 seconds; defaults to 10800.') },
  { id: id('ClientIPConfig') },
);

export const SessionAffinityConfig = obj(
  'Settings of session affinity.',
  { clientIP: ClientIPConfig },
  { id: id('SessionAffinityConfig') },
);

export const ServiceSpec = obj(
  'What the service exposes and how traffic reaches its endpoints.',
  {
    ports: list('Ports the service exposes.', ServicePort, {
      mergeKey: 'port',
      strategy: 'merge',
      listType: 'map',
      mapKeys: ['port', 'protocol'],
    }),
    selector: Type.Record(Type.String(), Type.String(), {
      description: 'Pods with these labels back the service; without a selector endpoints are managed by hand.',
      'x-kubernetes-map-type': 'atomic',
    }),
    clusterIP: str('Virtual IP of the service, "None" for a headless service; allocated when empty.'),
    clusterIPs: strList('Virtual IPs, at most one per family; the first equals clusterIP.', { listType: 'atomic' }),
    type: enumStr('How the service is exposed: ClusterIP, NodePort, LoadBalancer or ExternalName.', SERVICE_TYPES),
    externalIPs: strList('Extra IPs on which the nodes accept traffic for this service.', { listType: 'atomic' }),
    sessionAffinity: enumStr('ClientIP keeps a client on one endpoint; None spreads connections.', SESSION_AFFINITIES),
    loadBalancerIP: str('Deprecated request for a specific load-balancer IP.'),
    loadBalancerSourceRanges: strList('Client CIDRs a cloud load balancer admits.', { listType: 'atomic' }),
    externalName: str('DNS name an ExternalName service aliases (a CNAME).'),
    externalTrafficPolicy: enumStr('Local keeps external traffic on the receiving node and the client IP.', TRAFFIC_POLICIES),
    healthCheckNodePort: int32('Node port serving health checks for Local external traffic policy.'),
    publishNotReadyAddresses: bool('Publish endpoints of pods that are not ready (for peer discovery).'),
    sessionAffinityConfig: SessionAffinityConfig,
    ipFamilies: list('IP families of the cluster IPs, in order.', enumStr('IPv4 or IPv6.', IP_FAMILIES), {
      listType: 'atomic',
    }),
    ipFamilyPolicy: enumStr('Whether the service gets one or two IP families.', IP_FAMILY_POLICIES),
    allocateLoadBalancerNodePorts: bool('Allocate node ports for a LoadBalancer service; defaults to true.'),
    loadBalancerClass: str('Load-balancer implementation to use instead of the cloud provider default.'),
    internalTrafficPolicy: enumStr('Local keeps in-cluster traffic on the sending node.', TRAFFIC_POLICIES),
    trafficDistribution: str('Preference for routing to topologically close endpoints, e.g. PreferClose.'),
  },
  { id: id('ServiceSpec') },
);
export type ServiceSpec = Static<typeof ServiceSpec>;

export const PortStatus = obj(
  'Status of one load-balancer port.',
  {
    port: int32('Port number.'),
    protocol: enumStr('TCP, UDP or SCTP.', PROTOCOLS),
    error: str('Why the port is not working, as CamelCase reason or domain/Reason; empty when fine.'),
  },
  { id: id('PortStatus'), required: ['port', 'protocol'] },
);

export const LoadBalancerIngress = obj(
  'One address of a load balancer.',
  {
    ip: str('IP address of the load balancer.'),
    hostname: str('DNS name of the load balancer.'),
    ipMode: enumStr('VIP: traffic arrives addressed to the IP; Proxy: the load balancer proxies it.', ['Proxy', 'VIP']),
    ports: list('Status of each port.', PortStatus, { listType: 'atomic' }),
  },
  { id: id('LoadBalancerIngress') },
);

export const LoadBalancerStatus = obj(
  'Addresses of a load balancer.',
  { ingress: list('Addresses traffic for the service can be sent to.', LoadBalancerIngress, { listType: 'atomic' }) },
  { id: id('LoadBalancerStatus') },
);
export type LoadBalancerStatus = Static<typeof LoadBalancerStatus>;

export const ServiceStatus = obj(
  'Observed state of a service.',
  {
    loadBalancer: LoadBalancerStatus,
    conditions: list('Current conditions of the service.', Condition, {
      mergeKey: 'type',
      strategy: 'merge',
      listType: 'map',
      mapKeys: ['type'],
    }),
  },
  { id: id('ServiceStatus') },
);

export const Service = obj(
  'A named, stable way to reach a set of pods.',
  { ...typeMeta, metadata: ObjectMeta, spec: ServiceSpec, status: ServiceStatus },
  { id: id('Service'), ...describeKind('', 'v1', 'Service') },
);
export type Service = Static<typeof Service>;

export const isHeadless = (spec: ServiceSpec): boolean => spec.clusterIP === 'None';

/** NodePort and LoadBalancer services, and ClusterIP ones with external IPs, take outside traffic. */
export const externallyAccessible = (spec: ServiceSpec): boolean =>
  spec.type === 'NodePort' || spec.type === 'LoadBalancer' || (spec.type === 'ClusterIP' && (spec.externalIPs?.length ?? 0) > 0);

