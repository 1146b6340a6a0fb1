// Validation of a PodSpec (for pods and for workload templates) and of a PodTemplateSpec. The
// spec-wide checks live here; containers, volumes and scheduling constraints are checked by their
// own files. Error paths start at the caller's `path`, so a Deployment reports
// `spec.template.spec.containers[0].image` and a Pod `spec.containers[0].image`.
import { child, index, invalid, required, forbidden, duplicate, notSupported, type FieldError } from '../../../lib/field-errors.js';
import { isIP } from 'node:net';
import { dns1123Label, dns1123Subdomain, qualifiedName } from '../../validation/names.js';
import { checkFormat, validateLabels, validateAnnotations } from '../../validation/meta.js';
import type { PodSpec, PodTemplateSpec, PodDNSConfig } from './pod-spec.js';
import { RESTART_POLICIES, DNS_POLICIES, PREEMPTION_POLICIES, OS_NAMES } from './pod-spec.js';
import type { Volume } from './volume.js';
import { validateAllContainers } from './container-validation.js';
import { validateVolumes } from './volume-validation.js';
import { validateAffinity, validateTolerations, validateTopologySpread } from './affinity-validation.js';
import { validateResourceList, validateResourceRequirements } from './container-resources-validation.js';
import { validatePodSecurityContext } from './container-probe-validation.js';

export interface PodSpecOptions {
  /** The spec is a workload's pod template rather than a pod. */
  template?: boolean;
}

const MAX_INT32 = 2147483647;

function oneOf<T extends string>(path: string, v: string | undefined, allowed: readonly T[], opts: { required: boolean }): FieldError[] {
  if (v === undefined || v === '') return opts.required ? [required(path)] : [];
  return (allowed as readonly string[]).includes(v) ? [] : [notSupported(path, v, allowed)];
}

function validateDNS(spec: PodSpec, path: string): FieldError[] {
  const out = oneOf(child(path, 'dnsPolicy'), spec.dnsPolicy, DNS_POLICIES, { required: true });
  const cfg: PodDNSConfig | undefined = spec.dnsConfig;
  const cp = child(path, 'dnsConfig');
  if (spec.dnsPolicy === 'None') {
    if (!cfg) return [...out, required(cp, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if ((cfg.nameservers ?? []).length === 0)
      out.push(required(child(cp, 'nameservers'), 'must provide at least one DNS nameserver when `dnsPolicy` is None'));
  }
  if (!cfg) return out;
  const ns = cfg.nameservers ?? [];
  if (ns.length > 3) out.push(invalid(child(cp, 'nameservers'), ns, 'must not have more than 3 nameservers'));
  ns.forEach((ip, i) => {
    if (!isIP(ip)) out.push(invalid(index(child(cp, 'nameservers'), i), ip, 'must be a valid IP address'));
  });
  const searches = cfg.searches ?? [];
  if (searches.length > 32) out.push(invalid(child(cp, 'searches'), searches, 'must not have more than 32 search paths'));
  searches.forEach((s, i) => {
    // A trailing dot marks an absolute name and is allowed.
    const name = s.endsWith('.') ? s.slice(0, -1) : s;
    if (name !== '') out.push(...checkFormat(index(child(cp, 'searches'), i), name, dns1123Subdomain));
  });
  (cfg.options ?? []).forEach((o, i) => {
    if (!o.name) out.push(required(child(index(child(cp, 'options'), i), 'name'), 'must not be empty'));
  });
  return out;
}

function validateHostFields(spec: PodSpec, path: string): FieldError[] {
  const out: FieldError[] = [];
  if (spec.hostname) out.push(...checkFormat(child(path, 'hostname'), spec.hostname, dns1123Label));
  if (spec.subdomain) out.push(...checkFormat(child(path, 'subdomain'), spec.subdomain, dns1123Label));
  (spec.hostAliases ?? []).forEach((a, i) => {
    const p = index(child(path, 'hostAliases'), i);
    if (!a.ip) out.push(required(child(p, 'ip')));
    else if (!isIP(a.ip)) out.push(invalid(child(p, 'ip'), a.ip, 'must be valid IP address'));
    (a.hostnames ?? []).forEach((h, j) => out.push(...checkFormat(index(child(p, 'hostnames'), j), h, dns1123Subdomain)));
  });
  if (spec.shareProcessNamespace && spec.hostPID)
    out.push(invalid(child(child(path, 'securityContext'), 'shareProcessNamespace'), true, 'ShareProcessNamespace and HostPID cannot both be enabled'));
  if (spec.hostUsers === false) {
    for (const f of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
      if (spec[f]) out.push(forbidden(child(path, f), 'when `hostUsers` is false'));
    }
  }
  return out;
}

function validateNames(spec: PodSpec, path: string): FieldError[] {
  const out: FieldError[] = [];
  const subdomains = ['serviceAccountName', 'nodeName', 'priorityClassName', 'runtimeClassName'] as const;
  for (const f of subdomains) {
    const v = spec[f];
    if (v) out.push(...checkFormat(child(path, f), v, dns1123Subdomain));
  }
  (spec.readinessGates ?? []).forEach((g, i) =>
    out.push(...checkFormat(child(index(child(path, 'readinessGates'), i), 'conditionType'), g.conditionType ?? '', qualifiedName)),
  );
  const gates = new Set<string>();
  (spec.schedulingGates ?? []).forEach((g, i) => {
    const p = child(index(child(path, 'schedulingGates'), i), 'name');
    out.push(...checkFormat(p, g.name ?? '', qualifiedName));
    if (gates.has(g.name)) out.push(duplicate(p, g.name));
    gates.add(g.name);
  });
  return out;
}

function validateClaims(spec: PodSpec, path: string): FieldError[] {
  const out: FieldError[] = [];
  const names = new Set<string>();
  (spec.resourceClaims ?? []).forEach((c, i) => {
    const p = index(child(path, 'resourceClaims'), i);
    if (!c.name) out.push(required(child(p, 'name')));
    else {
      out.push(...checkFormat(child(p, 'name'), c.name, dns1123Label));
      if (names.has(c.name)) out.push(duplicate(child(p, 'name'), c.name));
      names.add(c.name);
    }
    const set = [c.resourceClaimName, c.resourceClaimTemplateName].filter((v) => v);
    if (set.length === 0) out.push(invalid(p, c, 'must specify one of: `resourceClaimName`, `resourceClaimTemplateName`'));
    if (set.length > 1) out.push(invalid(p, c, 'at most one of `resourceClaimName` or `resourceClaimTemplateName` may be specified'));
  });
  return out;
}

export function validatePodSpec(spec: PodSpec, path: string, opts: PodSpecOptions = {}): FieldError[] {
  const template = opts.template ?? false;
  const volumes = new Map<string, Volume>();
  for (const v of spec.volumes ?? []) if (v.name) volumes.set(v.name, v);
  const containerNames = new Set([...(spec.containers ?? []), ...(spec.initContainers ?? [])].map((c) => c.name));
  const claimNames = new Set((spec.resourceClaims ?? []).map((c) => c.name));
  const out: FieldError[] = [];
  out.push(...validateVolumes(spec.volumes, child(path, 'volumes'), { containerNames, template }));
  out.push(
    ...validateAllContainers(spec, path, {
      volumes,
      containerNames,
      claimNames,
      gracePeriod: spec.terminationGracePeriodSeconds ?? 30,
      hostNetwork: spec.hostNetwork ?? false,
    }),
  );
  out.push(...oneOf(child(path, 'restartPolicy'), spec.restartPolicy, RESTART_POLICIES, { required: true }));
  out.push(...oneOf(child(path, 'preemptionPolicy'), spec.preemptionPolicy, PREEMPTION_POLICIES, { required: false }));
  if (spec.os) out.push(...oneOf(child(child(path, 'os'), 'name'), spec.os.name, OS_NAMES, { required: true }));
  out.push(...validateDNS(spec, path));
  out.push(...validateHostFields(spec, path));
  out.push(...validateNames(spec, path));
  out.push(...validateClaims(spec, path));
  out.push(...validateLabels(spec.nodeSelector, child(path, 'nodeSelector')));
  out.push(...validatePodSecurityContext(spec.securityContext, child(path, 'securityContext')));
  out.push(...validateAffinity(spec.affinity, child(path, 'affinity')));
  out.push(...validateTolerations(spec.tolerations, child(path, 'tolerations')));
  out.push(...validateTopologySpread(spec.topologySpreadConstraints, child(path, 'topologySpreadConstraints')));
  validateResourceList(spec.overhead, child(path, 'overhead'), out);
  out.push(...validateResourceRequirements(spec.resources, child(path, 'resources'), { podLevel: true }));
  const ads = spec.activeDeadlineSeconds;
  if (ads !== undefined && (ads < 1 || ads > MAX_INT32))
    out.push(invalid(child(path, 'activeDeadlineSeconds'), ads, `must be between 1 and ${MAX_INT32}, inclusive`));
  if (template && (spec.ephemeralContainers ?? []).length > 0)
    out.push(forbidden(child(path, 'ephemeralContainers'), 'ephemeral containers not allowed in pod template'));
  return out;
}

/** A workload's pod template: label and annotation checks plus the spec as a template. */
export function validatePodTemplateSpec(tpl: PodTemplateSpec | undefined, path: string): FieldError[] {
  const meta = child(path, 'metadata');
  return [
    ...validateLabels(tpl?.metadata?.labels, child(meta, 'labels')),
    ...validateAnnotations(tpl?.metadata?.annotations, child(meta, 'annotations')),
    ...validatePodSpec(tpl?.spec ?? { containers: [] }, child(path, 'spec'), { template: true }),
  ];
}
