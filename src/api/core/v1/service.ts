// core/v1 Service: a stable virtual IP (or DNS name) in front of the pods its selector picks.
// This file holds the defaults Kubernetes applies (type ClusterIP, protocol TCP, targetPort =
// port, traffic policies, session affinity timeout, IP family policy) and the kind definition.
// The schema is in service-schema.ts, the rules in service-validation.ts.
import { defineKind } from '../../kind.js';
import { serviceKind as serviceKindNames } from '../../refs/index.js';
import { Service, DEFAULT_CLIENT_IP_TIMEOUT, isHeadless } from './service-schema.js';
import { validateService, validateServiceUpdate } from './service-validation.js';

function defaultService(svc: Service): void {
  const spec = (svc.spec ??= {});
  spec.type ||= 'ClusterIP';
  spec.sessionAffinity ||= 'None';
  if (spec.sessionAffinity === 'ClientIP') {
    const clientIP = ((spec.sessionAffinityConfig ??= {}).clientIP ??= {});
    clientIP.timeoutSeconds ??= DEFAULT_CLIENT_IP_TIMEOUT;
  }
  for (const p of spec.ports ?? []) {
    p.protocol ||= 'TCP';
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') spec.externalTrafficPolicy ||= 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  if (spec.type !== 'ExternalName') {
    spec.internalTrafficPolicy ||= 'Cluster';
    // A headless service without a selector gets whatever families the cluster has, as in Kubernetes.
    spec.ipFamilyPolicy ||= isHeadless(spec) && Object.keys(spec.selector ?? {}).length === 0 ? 'RequireDualStack' : 'SingleStack';
    if (spec.clusterIP && !spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP];
    else if (!spec.clusterIP && spec.clusterIPs?.length) spec.clusterIP = spec.clusterIPs[0];
  }
  for (const ing of svc.status?.loadBalancer?.ingress ?? []) {
    if (ing.ip) ing.ipMode ??= 'VIP';
  }
}

export const serviceKind = defineKind({
  ...serviceKindNames,
  status: true,
  schema: Service,
  defaults: defaultService,
  validate: (svc, { old }) => (old ? [...validateService(svc), ...validateServiceUpdate(svc, old)] : validateService(svc)),
  fields: (svc) => ({ 'spec.clusterIP': svc.spec?.clusterIP ?? '', 'spec.type': svc.spec?.type ?? '' }),
});
