// Validation of probes, lifecycle hooks and container security contexts: exactly one handler per
// probe or hook, sane timings, valid ports and headers, and consistent privilege settings.
import { child, index, invalid, required, forbidden, notSupported, duplicate, type FieldError } from '../../../lib/field-errors.js';
import { portName, portNumber } from '../../validation/names.js';
import type { Probe, LifecycleHandler, Lifecycle } from './container-probe.js';
import type { SecurityContext, PodSecurityContext } from './container-security.js';
import { SECCOMP_TYPES } from './container-security.js';

const MAX_INT32 = 2147483647;
const HTTP_HEADER_NAME = /^[-A-Za-z0-9]+$/;

/** Exactly one of `fields` must be set on `h`; errors name the second one, as Kubernetes does. */
function oneHandler(h: Record<string, unknown>, fields: readonly string[], path: string): FieldError[] {
  const set = fields.filter((f) => h[f] !== undefined);
  if (set.length === 0) return [required(path, 'must specify a handler type')];
  return set.slice(1).map((f) => forbidden(child(path, f), 'may not specify more than 1 handler type'));
}

function validatePort(port: number | string | undefined, path: string): FieldError[] {
  if (port === undefined || port === '' || port === 0) return [required(path)];
  if (typeof port === 'number') return portNumber(port).map((m) => invalid(path, port, m));
  return portName(port).map((m) => invalid(path, port, m));
}

function validateHandlerBodies(h: Probe | LifecycleHandler, path: string): FieldError[] {
  const out: FieldError[] = [];
  if (h.exec && (h.exec.command ?? []).length === 0) out.push(required(child(child(path, 'exec'), 'command')));
  if (h.httpGet) {
    const p = child(path, 'httpGet');
    if (!h.httpGet.path) out.push(required(child(p, 'path')));
    out.push(...validatePort(h.httpGet.port, child(p, 'port')));
    const scheme = h.httpGet.scheme;
    if (scheme !== undefined && scheme !== 'HTTP' && scheme !== 'HTTPS') out.push(notSupported(child(p, 'scheme'), scheme, ['HTTP', 'HTTPS']));
    (h.httpGet.httpHeaders ?? []).forEach((hd, i) => {
      if (!HTTP_HEADER_NAME.test(hd.name))
        out.push(invalid(child(index(child(p, 'httpHeaders'), i), 'name'), hd.name, "a valid HTTP header must consist of alphanumeric characters or '-'"));
    });
  }
  if (h.tcpSocket) out.push(...validatePort(h.tcpSocket.port, child(child(path, 'tcpSocket'), 'port')));
  return out;
}

export interface ProbeOptions {
  /** Liveness and startup probes must use successThreshold 1. */
  successMustBeOne: boolean;
}

export function validateProbe(p: Probe | undefined, path: string, opts: ProbeOptions): FieldError[] {
  if (!p) return [];
  const out = oneHandler(p, ['exec', 'httpGet', 'tcpSocket', 'grpc'], path);
  out.push(...validateHandlerBodies(p, path));
  if (p.grpc) out.push(...validatePort(p.grpc.port, child(child(path, 'grpc'), 'port')));
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) {
    const v = p[f];
    if (v !== undefined && v < 0) out.push(invalid(child(path, f), v, 'must be greater than or equal to 0'));
  }
  if (opts.successMustBeOne && p.successThreshold !== undefined && p.successThreshold !== 1)
    out.push(invalid(child(path, 'successThreshold'), p.successThreshold, 'must be 1'));
  if (p.terminationGracePeriodSeconds !== undefined && p.terminationGracePeriodSeconds <= 0)
    out.push(invalid(child(path, 'terminationGracePeriodSeconds'), p.terminationGracePeriodSeconds, 'must be greater than 0'));
  return out;
}

export function validateLifecycle(l: Lifecycle | undefined, path: string, opts: { gracePeriod: number }): FieldError[] {
  const out: FieldError[] = [];
  for (const hook of ['postStart', 'preStop'] as const) {
    const h = l?.[hook];
    if (!h) continue;
    const p = child(path, hook);
    out.push(...oneHandler(h, ['exec', 'httpGet', 'tcpSocket', 'sleep'], p));
    out.push(...validateHandlerBodies(h, p));
    const s = h.sleep?.seconds;
    if (s !== undefined && (s <= 0 || s > opts.gracePeriod))
      out.push(
        invalid(child(child(p, 'sleep'), 'seconds'), s, `must be greater than 0 and less than terminationGracePeriodSeconds (${opts.gracePeriod})`),
      );
  }
  return out;
}

function idRange(v: number | undefined, path: string): FieldError[] {
  return v !== undefined && (v < 0 || v > MAX_INT32 || !Number.isInteger(v))
    ? [invalid(path, v, `must be between 0 and ${MAX_INT32}, inclusive`)]
    : [];
}

type Profile = { type: string; localhostProfile?: string };

function validateProfile(p: Profile | undefined, path: string, what: string): FieldError[] {
  if (!p) return [];
  if (!(SECCOMP_TYPES as readonly string[]).includes(p.type)) return [notSupported(child(path, 'type'), p.type, SECCOMP_TYPES)];
  const lp = child(path, 'localhostProfile');
  if (p.type === 'Localhost' && !p.localhostProfile) return [required(lp, `must be set when ${what} type is Localhost`)];
  if (p.type !== 'Localhost' && p.localhostProfile !== undefined)
    return [invalid(lp, p.localhostProfile, `can only be set when ${what} type is Localhost`)];
  return [];
}

export function validateSecurityContext(sc: SecurityContext | undefined, path: string): FieldError[] {
  if (!sc) return [];
  const out = [...idRange(sc.runAsUser, child(path, 'runAsUser')), ...idRange(sc.runAsGroup, child(path, 'runAsGroup'))];
  if (sc.procMount !== undefined && sc.procMount !== 'Default' && sc.procMount !== 'Unmasked')
    out.push(notSupported(child(path, 'procMount'), sc.procMount, ['Default', 'Unmasked']));
  out.push(...validateProfile(sc.seccompProfile, child(path, 'seccompProfile'), 'seccomp'));
  out.push(...validateProfile(sc.appArmorProfile, child(path, 'appArmorProfile'), 'AppArmor'));
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged) out.push(invalid(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
    if ((sc.capabilities?.add ?? []).includes('CAP_SYS_ADMIN'))
      out.push(invalid(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN'));
  }
  return out;
}

const SYSCTL_NAME = /^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$/;

export function validatePodSecurityContext(sc: PodSecurityContext | undefined, path: string): FieldError[] {
  if (!sc) return [];
  const out = [
    ...idRange(sc.runAsUser, child(path, 'runAsUser')),
    ...idRange(sc.runAsGroup, child(path, 'runAsGroup')),
    ...idRange(sc.fsGroup, child(path, 'fsGroup')),
  ];
  (sc.supplementalGroups ?? []).forEach((g, i) => out.push(...idRange(g, index(child(path, 'supplementalGroups'), i))));
  const enums = [
    ['fsGroupChangePolicy', sc.fsGroupChangePolicy, ['OnRootMismatch', 'Always']],
    ['supplementalGroupsPolicy', sc.supplementalGroupsPolicy, ['Merge', 'Strict']],
    ['seLinuxChangePolicy', sc.seLinuxChangePolicy, ['MountOption', 'Recursive']],
  ] as const;
  for (const [f, v, allowed] of enums) {
    if (v !== undefined && !(allowed as readonly string[]).includes(v)) out.push(notSupported(child(path, f), v, allowed));
  }
  const names = new Set<string>();
  (sc.sysctls ?? []).forEach((s, i) => {
    const p = child(index(child(path, 'sysctls'), i), 'name');
    if (!s.name) out.push(required(p));
    else if (s.name.length > 253 || !SYSCTL_NAME.test(s.name))
      out.push(invalid(p, s.name, `must have at most 253 characters and match regex ${SYSCTL_NAME.source}`));
    else if (names.has(s.name)) out.push(duplicate(p, s.name));
    names.add(s.name);
  });
  out.push(...validateProfile(sc.seccompProfile, child(path, 'seccompProfile'), 'seccomp'));
  out.push(...validateProfile(sc.appArmorProfile, child(path, 'appArmorProfile'), 'AppArmor'));
  return out;
}
