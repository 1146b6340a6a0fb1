// Field numbers of the smaller groups: networking.k8s.io/v1 (Ingress, IngressClass; Go inlines
// IngressRuleValue into IngressRule), discovery.k8s.io/v1 EndpointSlice, coordination.k8s.io/v1
// Lease, storage.k8s.io/v1 StorageClass and scheduling.k8s.io/v1 PriorityClass.
import { kept, micro, inline, type FieldTable } from './spec.js';

export const otherGroupFields: FieldTable = {
  'io.k8s.api.coordination.v1.Lease': { metadata: 1, spec: 2 },
  'io.k8s.api.coordination.v1.LeaseSpec': {
    holderIdentity: kept(1), leaseDurationSeconds: kept(2), acquireTime: micro(3), renewTime: micro(4),
    leaseTransitions: kept(5), strategy: kept(6), preferredHolder: kept(7),
  },
  'io.k8s.api.discovery.v1.Endpoint': {
    addresses: 1, conditions: 2, hostname: kept(3), targetRef: 4, deprecatedTopology: 5, nodeName: kept(6), zone: kept(7),
    hints: 8,
  },
  'io.k8s.api.discovery.v1.EndpointConditions': { ready: kept(1), serving: kept(2), terminating: kept(3) },
  'io.k8s.api.discovery.v1.EndpointHints': { forZones: 1 },
  'io.k8s.api.discovery.v1.EndpointPort': { name: kept(1), protocol: kept(2), port: kept(3), appProtocol: kept(4) },
  'io.k8s.api.discovery.v1.EndpointSlice': { metadata: 1, addressType: kept(4), endpoints: 2, ports: 3 },
  'io.k8s.api.discovery.v1.ForZone': { name: kept(1) },
  'io.k8s.api.networking.v1.HTTPIngressPath': { path: 1, pathType: kept(3), backend: 2 },
  'io.k8s.api.networking.v1.HTTPIngressRuleValue': { paths: 1 },
  'io.k8s.api.networking.v1.Ingress': { metadata: 1, spec: 2, status: 3 },
  'io.k8s.api.networking.v1.IngressBackend': { service: 4, resource: 3 },
  'io.k8s.api.networking.v1.IngressLoadBalancerIngress': { ip: 1, hostname: 2, ports: 4 },
  'io.k8s.api.networking.v1.IngressLoadBalancerStatus': { ingress: 1 },
  'io.k8s.api.networking.v1.IngressPortStatus': { port: kept(1), protocol: kept(2), error: kept(3) },
  'io.k8s.api.networking.v1.IngressRule': { host: 1, ingressRuleValue: inline(2, 'io.k8s.api.networking.v1.IngressRuleValue') },
  'io.k8s.api.networking.v1.IngressServiceBackend': { name: kept(1), port: 2 },
  'io.k8s.api.networking.v1.IngressSpec': { ingressClassName: kept(4), defaultBackend: 1, tls: 2, rules: 3 },
  'io.k8s.api.networking.v1.IngressStatus': { loadBalancer: 1 },
  'io.k8s.api.networking.v1.IngressTLS': { hosts: 1, secretName: 2 },
  'io.k8s.api.networking.v1.ServiceBackendPort': { name: 1, number: 2 },
  'io.k8s.api.networking.v1.IngressClass': { metadata: 1, spec: 2 },
  'io.k8s.api.networking.v1.IngressClassParametersReference': {
    apiGroup: kept(1), kind: kept(2), name: kept(3), scope: kept(4), namespace: kept(5),
  },
  'io.k8s.api.networking.v1.IngressClassSpec': { controller: 1, parameters: 2 },
  'io.k8s.api.scheduling.v1.PriorityClass': {
    metadata: 1, value: kept(2), globalDefault: 3, description: 4, preemptionPolicy: kept(5),
  },
  'io.k8s.api.storage.v1.StorageClass': {
    metadata: 1, provisioner: kept(2), parameters: 3, reclaimPolicy: kept(4), mountOptions: 5, allowVolumeExpansion: kept(6),
    volumeBindingMode: kept(7), allowedTopologies: 8,
  },
  'io.k8s.api.networking.v1.IngressRuleValue': { http: 1 },
};
