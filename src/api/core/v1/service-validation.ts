// Validation of core/v1 Services as Kubernetes does it: the name is a DNS-1035 label; ports
// need valid numbers, names (when several) and protocols; fields that only make sense for some
// service types are rejected on the others; cluster IPs are well formed and, once allocated,
// cannot change.
import { validateObjectMeta, validateLabels, checkFormat } from '../../validation/meta.js';
import { dns1035Label, dns1123Label, dns1123Subdomain, portName, portNumber, qualifiedName } from '../../validation/names.js';
import { child, index, invalid, required, forbidden, duplicate, notSupported, type FieldError } from '../../../lib/field-errors.js';
import { PROTOCOLS } from './container.js';
import {
  SERVICE_TYPES,
  IP_FAMILIES,
  IP_FAMILY_POLICIES,
  TRAFFIC_POLICIES,
  SESSION_AFFINITIES,
  externallyAccessible,
  isHeadless,
  type Service,
  type ServiceSpec,
  type ServicePort,
  type LoadBalancerStatus,
} from './service-schema.js';
import { ipFamily, isValidCIDR, specialIPReason } from './ip.js';

const SPEC = 'spec';
const VALID_IP = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const onlyFor = (type: string): string => `may only be used when \`type\` is '${type}'`;

function has<V extends string>(values: readonly V[], v: string): v is V {
  return (values as readonly string[]).includes(v);
}

function validatePort(p: ServicePort, ctx: { path: string; requireName: boolean; type: string }): FieldError[] {
  const out: FieldError[] = [];
  const { path } = ctx;
  if (!p.name) {
    if (ctx.requireName) out.push(required(child(path, 'name')));
  } else out.push(...checkFormat(child(path, 'name'), p.name, dns1123Label));
  out.push(...portNumber(p.port ?? 0).map((m) => invalid(child(path, 'port'), p.port ?? 0, m)));
  if (!p.protocol) out.push(required(child(path, 'protocol')));
  else if (!has(PROTOCOLS, p.protocol)) out.push(notSupported(child(path, 'protocol'), p.protocol, PROTOCOLS));
  const tp = p.targetPort;
  if (typeof tp === 'number') out.push(...portNumber(tp).map((m) => invalid(child(path, 'targetPort'), tp, m)));
  else if (typeof tp === 'string') out.push(...checkFormat(child(path, 'targetPort'), tp, portName));
  if (p.appProtocol) out.push(...checkFormat(child(path, 'appProtocol'), p.appProtocol, qualifiedName));
  if (p.nodePort) {
    if (ctx.type === 'ClusterIP' || ctx.type === 'ExternalName')
      out.push(forbidden(child(path, 'nodePort'), `may not be used when \`type\` is '${ctx.type}'`));
    else out.push(...portNumber(p.nodePort).map((m) => invalid(child(path, 'nodePort'), p.nodePort, m)));
  }
  return out;
}

function validatePorts(spec: ServiceSpec, type: string): FieldError[] {
  const path = child(SPEC, 'ports');
  const ports = spec.ports ?? [];
  const out: FieldError[] = [];
  if (ports.length === 0 && type !== 'ExternalName' && !isHeadless(spec)) out.push(required(path));
  const names = new Set<string>();
  const portKeys = new Set<string>();
  const nodePortKeys = new Set<string>();
  ports.forEach((p, i) => {
    const pp = index(path, i);
    out.push(...validatePort(p, { path: pp, requireName: ports.length > 1, type }));
    if (p.name) {
      if (names.has(p.name)) out.push(duplicate(child(pp, 'name'), p.name));
      names.add(p.name);
    }
    const key = `${p.port}/${p.protocol}`;
    if (portKeys.has(key)) out.push(duplicate(pp, { port: p.port, protocol: p.protocol }));
    portKeys.add(key);
    if (p.nodePort) {
      const nk = `${p.nodePort}/${p.protocol}`;
      if (nodePortKeys.has(nk)) out.push(duplicate(child(pp, 'nodePort'), p.nodePort));
      nodePortKeys.add(nk);
    }
  });
  return out;
}

function validateClusterIPs(spec: ServiceSpec, type: string): FieldError[] {
  const out: FieldError[] = [];
  const ips = spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [];
  const path = child(SPEC, 'clusterIPs');
  if (type === 'ExternalName') {
    if (spec.clusterIP) out.push(forbidden(child(SPEC, 'clusterIP'), 'may not be set for ExternalName services'));
    else if (ips.length) out.push(forbidden(path, 'may not be set for ExternalName services'));
    return out;
  }
  if (spec.clusterIP && spec.clusterIPs?.length && spec.clusterIPs[0] !== spec.clusterIP)
    out.push(invalid(path, spec.clusterIPs, 'first value must match `clusterIP`'));
  const families = new Set<string>();
  ips.forEach((ip, i) => {
    const p = index(path, i);
    if (ip === 'None') {
      if (i > 0 || ips.length > 1) out.push(invalid(p, ip, "'None' must be the first and only value"));
      if (type === 'NodePort' || type === 'LoadBalancer')
        out.push(invalid(p, ip, `may not be set to 'None' for ${type} services`));
      return;
    }
    const fam = ipFamily(ip);
    if (!fam) return void out.push(invalid(p, ip, VALID_IP));
    if (families.has(fam)) out.push(invalid(path, ips, 'may specify no more than one IP for each IP family'));
    families.add(fam);
  });
  if (ips.length > 2) out.push(invalid(path, ips, 'may only hold up to 2 values'));
  if (ips.length === 2 && spec.ipFamilyPolicy === 'SingleStack')
    out.push(invalid(path, ips, 'must be a single IP when `ipFamilyPolicy` is SingleStack'));
  return out;
}

function validateIPFamilies(spec: ServiceSpec, type: string): FieldError[] {
  const out: FieldError[] = [];
  if (type === 'ExternalName') {
    if (spec.ipFamilyPolicy) out.push(forbidden(child(SPEC, 'ipFamilyPolicy'), 'may not be set for ExternalName services'));
    if (spec.ipFamilies?.length) out.push(forbidden(child(SPEC, 'ipFamilies'), 'may not be set for ExternalName services'));
    return out;
  }
  if (spec.ipFamilyPolicy && !has(IP_FAMILY_POLICIES, spec.ipFamilyPolicy))
    out.push(notSupported(child(SPEC, 'ipFamilyPolicy'), spec.ipFamilyPolicy, IP_FAMILY_POLICIES));
  const fams = spec.ipFamilies ?? [];
  const seen = new Set<string>();
  fams.forEach((f, i) => {
    const p = index(child(SPEC, 'ipFamilies'), i);
    if (!has(IP_FAMILIES, f)) out.push(notSupported(p, f, IP_FAMILIES));
    else if (seen.has(f)) out.push(duplicate(p, f));
    seen.add(f);
  });
  if (fams.length > 2) out.push(invalid(child(SPEC, 'ipFamilies'), fams, 'may specify no more than 2 IP families'));
  if (fams.length === 2 && spec.ipFamilyPolicy === 'SingleStack')
    out.push(invalid(child(SPEC, 'ipFamilies'), fams, 'must be a single family when `ipFamilyPolicy` is SingleStack'));
  const ips = spec.clusterIPs ?? [];
  ips.forEach((ip, i) => {
    const fam = ipFamily(ip);
    const want = fams[i];
    if (fam && want && fam !== want)
      out.push(invalid(index(child(SPEC, 'ipFamilies'), i), want, `does not match the family of clusterIPs[${i}]`));
  });
  return out;
}

function validateTrafficPolicies(spec: ServiceSpec, type: string): FieldError[] {
  const out: FieldError[] = [];
  const etp = spec.externalTrafficPolicy;
  if (etp) {
    if (!externallyAccessible(spec))
      out.push(invalid(child(SPEC, 'externalTrafficPolicy'), etp, 'may only be set for externally-accessible services'));
    else if (!has(TRAFFIC_POLICIES, etp)) out.push(notSupported(child(SPEC, 'externalTrafficPolicy'), etp, TRAFFIC_POLICIES));
  } else if (type === 'NodePort' || type === 'LoadBalancer') {
    out.push(required(child(SPEC, 'externalTrafficPolicy')));
  }
  if (spec.healthCheckNodePort) {
    if (type !== 'LoadBalancer' || etp !== 'Local')
      out.push(invalid(child(SPEC, 'healthCheckNodePort'), spec.healthCheckNodePort, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
    else
      out.push(...portNumber(spec.healthCheckNodePort).map((m) => invalid(child(SPEC, 'healthCheckNodePort'), spec.healthCheckNodePort, m)));
  }
  const itp = spec.internalTrafficPolicy;
  if (itp && type !== 'ExternalName' && !has(TRAFFIC_POLICIES, itp))
    out.push(notSupported(child(SPEC, 'internalTrafficPolicy'), itp, TRAFFIC_POLICIES));
  if (spec.trafficDistribution && spec.trafficDistribution !== 'PreferClose')
    out.push(notSupported(child(SPEC, 'trafficDistribution'), spec.trafficDistribution, ['PreferClose']));
  return out;
}

function validateAffinity(spec: ServiceSpec): FieldError[] {
  const sa = spec.sessionAffinity ?? 'None';
  if (!has(SESSION_AFFINITIES, sa)) return [notSupported(child(SPEC, 'sessionAffinity'), sa, SESSION_AFFINITIES)];
  if (sa === 'None') {
    return spec.sessionAffinityConfig
      ? [invalid(child(SPEC, 'sessionAffinityConfig'), spec.sessionAffinityConfig, 'must not be set when session affinity is None')]
      : [];
  }
  const t = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
  const path = 'spec.sessionAffinityConfig.clientIP.timeoutSeconds';
  if (t === undefined) return [required(path)];
  return t > 0 && t <= 86400 ? [] : [invalid(path, t, 'must be greater than 0 and less than 86400')];
}

function validateLoadBalancerFields(spec: ServiceSpec, type: string): FieldError[] {
  const out: FieldError[] = [];
  const lb = type === 'LoadBalancer';
  const ranges = spec.loadBalancerSourceRanges ?? [];
  if (ranges.length && !lb) out.push(forbidden(child(SPEC, 'loadBalancerSourceRanges'), onlyFor('LoadBalancer')));
  ranges.forEach((r, i) => {
    if (!isValidCIDR(r.trim()))
      out.push(invalid(index(child(SPEC, 'loadBalancerSourceRanges'), i), r, 'must be a valid CIDR (e.g. 10.0.0.0/8)'));
  });
  if (spec.allocateLoadBalancerNodePorts !== undefined && !lb)
    out.push(forbidden(child(SPEC, 'allocateLoadBalancerNodePorts'), onlyFor('LoadBalancer')));
  if (spec.loadBalancerClass !== undefined) {
    if (!lb) out.push(forbidden(child(SPEC, 'loadBalancerClass'), onlyFor('LoadBalancer')));
    else out.push(...checkFormat(child(SPEC, 'loadBalancerClass'), spec.loadBalancerClass, qualifiedName));
  }
  (spec.externalIPs ?? []).forEach((ip, i) => {
    const p = index(child(SPEC, 'externalIPs'), i);
    if (!ipFamily(ip)) out.push(invalid(p, ip, VALID_IP));
    else {
      const special = specialIPReason(ip);
      if (special) out.push(invalid(p, ip, special));
    }
  });
  return out;
}

function validateLoadBalancerStatus(st: LoadBalancerStatus | undefined, path: string): FieldError[] {
  const out: FieldError[] = [];
  (st?.ingress ?? []).forEach((ing, i) => {
    const p = index(child(path, 'ingress'), i);
    if (ing.ip && !ipFamily(ing.ip)) out.push(invalid(child(p, 'ip'), ing.ip, VALID_IP));
    if (ing.ipMode !== undefined) {
      if (!ing.ip) out.push(forbidden(child(p, 'ipMode'), 'may not be specified when `ip` is not set'));
      else if (ing.ipMode !== 'VIP' && ing.ipMode !== 'Proxy') out.push(notSupported(child(p, 'ipMode'), ing.ipMode, ['Proxy', 'VIP']));
    }
    if (ing.hostname) {
      out.push(...checkFormat(child(p, 'hostname'), ing.hostname, dns1123Subdomain));
      if (ipFamily(ing.hostname)) out.push(invalid(child(p, 'hostname'), ing.hostname, 'must be a DNS name, not an IP address'));
    }
  });
  return out;
}

export function validateService(svc: Service): FieldError[] {
  const out = validateObjectMeta(svc.metadata, { namespaced: true, name: dns1035Label });
  const spec = svc.spec ?? {};
  const type = spec.type ?? 'ClusterIP';
  if (!has(SERVICE_TYPES, type)) {
    out.push(notSupported(child(SPEC, 'type'), type, SERVICE_TYPES));
    return out;
  }
  if (type === 'ExternalName') {
    const name = (spec.externalName ?? '').replace(/\.$/, '');
    if (!name) out.push(required(child(SPEC, 'externalName')));
    else out.push(...checkFormat(child(SPEC, 'externalName'), spec.externalName ?? '', () => dns1123Subdomain(name)));
  }
  out.push(...validatePorts(spec, type));
  out.push(...validateLabels(spec.selector, child(SPEC, 'selector')));
  out.push(...validateClusterIPs(spec, type));
  out.push(...validateIPFamilies(spec, type));
  out.push(...validateTrafficPolicies(spec, type));
  out.push(...validateAffinity(spec));
  out.push(...validateLoadBalancerFields(spec, type));
  out.push(...validateLoadBalancerStatus(svc.status?.loadBalancer, 'status.loadBalancer'));
  return out;
}

/** Allocated addresses may grow a second family or lose it, but the ones in place never change. */
export function validateServiceUpdate(svc: Service, old: Service): FieldError[] {
  const out: FieldError[] = [];
  const spec = svc.spec ?? {};
  const was = old.spec ?? {};
  if (spec.type !== 'ExternalName' && was.type !== 'ExternalName') {
    const now = spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [];
    const before = was.clusterIPs?.length ? was.clusterIPs : was.clusterIP ? [was.clusterIP] : [];
    for (let i = 0; i < Math.min(now.length, before.length); i++) {
      if (now[i] !== before[i]) out.push(invalid(index(child(SPEC, 'clusterIPs'), i), now, 'may not change once set'));
    }
    if (before.length > 0 && now.length === 0) out.push(invalid(index(child(SPEC, 'clusterIPs'), 0), now, 'may not change once set'));
    const fNow = spec.ipFamilies ?? [];
    const fBefore = was.ipFamilies ?? [];
    for (let i = 0; i < Math.min(fNow.length, fBefore.length); i++) {
      if (fNow[i] !== fBefore[i]) out.push(invalid(index(child(SPEC, 'ipFamilies'), i), fNow, 'may not change once set'));
    }
  }
  if (spec.type === 'LoadBalancer' && was.type === 'LoadBalancer' && spec.loadBalancerClass !== was.loadBalancerClass)
    out.push(invalid(child(SPEC, 'loadBalancerClass'), spec.loadBalancerClass ?? null, 'may not change once set'));
  return out;
}
