// The core ("") group, version v1: every kind it serves, in the order `kubectl api-resources`
// users are used to, and the schemas and helpers other folders build on (pod templates for
// workloads, services and endpoints for the proxy, nodes for the scheduler, ...). Other folders
// import core/v1 only through this file.
import type { KindDef } from '../../kind.js';
import { namespaceKind } from './namespace.js';
import { podKind } from './pod.js';
import { serviceKind } from './service.js';
import { endpointsKind } from './endpoints.js';
import { configMapKind } from './configmap.js';
import { secretKind } from './secret.js';
import { nodeKind } from './node.js';
import { eventKind } from './event.js';
import { serviceAccountKind } from './serviceaccount.js';
import { persistentVolumeKind } from './persistentvolume.js';
import { persistentVolumeClaimKind } from './persistentvolumeclaim.js';

export const coreV1Kinds: KindDef[] = [
  namespaceKind,
  podKind,
  serviceKind,
  endpointsKind,
  configMapKind,
  secretKind,
  nodeKind,
  eventKind,
  serviceAccountKind,
  persistentVolumeKind,
  persistentVolumeClaimKind,
];

export {
  namespaceKind,
  podKind,
  serviceKind,
  endpointsKind,
  configMapKind,
  secretKind,
  nodeKind,
  eventKind,
  serviceAccountKind,
  persistentVolumeKind,
  persistentVolumeClaimKind,
};

export * from './pod.js';
export { PROTOCOLS } from './container.js';
export { ConfigMap, validateDataKeys } from './configmap.js';
export { Namespace, NAMESPACE_PHASES } from './namespace.js';
export {
  Service,
  ServiceSpec,
  ServicePort,
  LoadBalancerStatus,
  SERVICE_TYPES,
  IP_FAMILIES,
  IP_FAMILY_POLICIES,
  externallyAccessible,
  isHeadless,
  type Protocol,
} from './service-schema.js';
export { prepareServiceUpdate } from './service-update.js';
export { Endpoints, EndpointSubset, EndpointAddress, EndpointPort, validateEndpointPort } from './endpoints.js';
export { Secret, SECRET_TYPES, SERVICE_ACCOUNT_NAME_ANNOTATION, SERVICE_ACCOUNT_UID_ANNOTATION } from './secret.js';
export { Node, NodeSpec, Taint } from './node.js';
export { NodeStatus, NodeCondition, NodeAddress } from './node-status.js';
export { Event, EVENT_TYPES } from './event.js';
export { ServiceAccount } from './serviceaccount.js';
export { PersistentVolume, PersistentVolumeSpec, RECLAIM_POLICIES } from './persistentvolume.js';
export { PersistentVolumeClaim, PVC_PHASES } from './persistentvolumeclaim.js';
export {
  PersistentVolumeClaimSpec,
  PersistentVolumeClaimTemplate,
  TypedLocalObjectReference,
  TypedObjectReference,
  ACCESS_MODES,
  VOLUME_MODES,
} from './volume-claim-spec.js';
export { LocalObjectReference } from './volume-sources.js';
export { ObjectReference, SecretReference } from './object-reference.js';
export { NodeSelector, NodeSelectorTerm, NodeSelectorRequirement } from './affinity.js';
export { TopologySelectorTerm } from './topology-selector.js';
export { ipFamily, isValidIP, cidrFamily, isValidCIDR, specialIPReason, type IPFamily } from './ip.js';
