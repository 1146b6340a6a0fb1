// Validation of a pod's containers: names unique across app, init and ephemeral containers,
// images, ports and host-port clashes, env, resources, volume mounts against the pod's volumes,
// probes and hooks (which plain init containers may not have), and the fields ephemeral
// containers may not set.
import { child, index, invalid, required, forbidden, duplicate, notSupported, type FieldError } from '../../../lib/field-errors.js';
import { dns1123Label, portName, portNumber } from '../../validation/names.js';
import { checkFormat } from '../../validation/meta.js';
import type { PodSpec } from './pod-spec.js';
import type { Volume } from './volume.js';
import type { Container, EphemeralContainer, ContainerPort } from './container.js';
import { PROTOCOLS, PULL_POLICIES, TERMINATION_MESSAGE_POLICIES } from './container.js';
import { validateEnv, validateEnvFrom } from './container-env-validation.js';
import { validateResourceRequirements } from './container-resources-validation.js';
import { validateProbe, validateLifecycle, validateSecurityContext } from './container-probe-validation.js';
import { validateVolumeMounts, validateVolumeDevices } from './container-mount-validation.js';

type Role = 'app' | 'init' | 'ephemeral';

export interface ContainerContext {
  volumes: ReadonlyMap<string, Volume>;
  /** App and init container names, which resource field references may name. */
  containerNames: ReadonlySet<string>;
  claimNames: ReadonlySet<string>;
  gracePeriod: number;
  hostNetwork: boolean;
}

function validatePorts(ports: ContainerPort[] | undefined, path: string, ctx: ContainerContext): FieldError[] {
  const out: FieldError[] = [];
  const names = new Set<string>();
  (ports ?? []).forEach((p, i) => {
    const pp = index(path, i);
    if (p.name !== undefined && p.name !== '') {
      const np = child(pp, 'name');
      out.push(...checkFormat(np, p.name, portName));
      if (names.has(p.name)) out.push(duplicate(np, p.name));
      names.add(p.name);
    }
    const cp = child(pp, 'containerPort');
    if (!p.containerPort) out.push(required(cp));
    else out.push(...portNumber(p.containerPort).map((m) => invalid(cp, p.containerPort, m)));
    if (p.hostPort) out.push(...portNumber(p.hostPort).map((m) => invalid(child(pp, 'hostPort'), p.hostPort, m)));
    if (ctx.hostNetwork && p.hostPort !== undefined && p.hostPort !== p.containerPort)
      out.push(invalid(child(pp, 'hostPort'), p.hostPort, 'must match `containerPort` when `hostNetwork` is true'));
    if (!p.protocol) out.push(required(child(pp, 'protocol')));
    else if (!(PROTOCOLS as readonly string[]).includes(p.protocol)) out.push(notSupported(child(pp, 'protocol'), p.protocol, PROTOCOLS));
  });
  return out;
}

const EPHEMERAL_FORBIDDEN = ['ports', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'resizePolicy', 'restartPolicy'] as const;

function validateContainer(c: Container | EphemeralContainer, path: string, role: Role, ctx: ContainerContext): FieldError[] {
  const out: FieldError[] = [];
  const image = child(path, 'image');
  if (!c.image) out.push(required(image));
  else if (c.image.trim() !== c.image) out.push(invalid(image, c.image, 'must not have leading or trailing whitespace'));
  if (c.imagePullPolicy !== undefined && !(PULL_POLICIES as readonly string[]).includes(c.imagePullPolicy))
    out.push(notSupported(child(path, 'imagePullPolicy'), c.imagePullPolicy, PULL_POLICIES));
  if (c.terminationMessagePolicy !== undefined && !(TERMINATION_MESSAGE_POLICIES as readonly string[]).includes(c.terminationMessagePolicy))
    out.push(notSupported(child(path, 'terminationMessagePolicy'), c.terminationMessagePolicy, TERMINATION_MESSAGE_POLICIES));
  if (c.stdinOnce && !c.stdin) out.push(forbidden(child(path, 'stdinOnce'), 'only allowed when stdin is true'));

  out.push(...validatePorts(c.ports, child(path, 'ports'), ctx));
  out.push(...validateEnv(c.env, child(path, 'env'), ctx.containerNames));
  out.push(...validateEnvFrom(c.envFrom, child(path, 'envFrom')));
  out.push(...validateResourceRequirements(c.resources, child(path, 'resources'), { claimNames: ctx.claimNames }));
  out.push(...validateVolumeMounts(c, path, { volumes: ctx.volumes, ephemeral: role === 'ephemeral' }));
  out.push(...validateVolumeDevices(c, path, ctx.volumes));
  out.push(...validateSecurityContext(c.securityContext, child(path, 'securityContext')));
  (c.resizePolicy ?? []).forEach((r, i) => {
    const rp = index(child(path, 'resizePolicy'), i);
    if (r.resourceName !== 'cpu' && r.resourceName !== 'memory')
      out.push(notSupported(child(rp, 'resourceName'), r.resourceName, ['cpu', 'memory']));
    if (r.restartPolicy !== 'NotRequired' && r.restartPolicy !== 'RestartContainer')
      out.push(notSupported(child(rp, 'restartPolicy'), r.restartPolicy, ['NotRequired', 'RestartContainer']));
  });

  const rp = child(path, 'restartPolicy');
  if (role === 'app' && c.restartPolicy !== undefined) out.push(forbidden(rp, 'may not be set for non-init containers'));
  if (role === 'init' && c.restartPolicy !== undefined && c.restartPolicy !== 'Always') out.push(notSupported(rp, c.restartPolicy, ['Always']));
  const sidecar = role === 'init' && c.restartPolicy === 'Always';

  if (role === 'ephemeral') {
    for (const f of EPHEMERAL_FORBIDDEN) {
      const v = c[f];
      if (v !== undefined && !(Array.isArray(v) && v.length === 0)) out.push(forbidden(child(path, f), 'cannot be set for an Ephemeral Container'));
    }
    const r = c.resources ?? {};
    if (Object.keys(r.limits ?? {}).length + Object.keys(r.requests ?? {}).length + (r.claims ?? []).length > 0)
      out.push(forbidden(child(path, 'resources'), 'cannot be set for an Ephemeral Container'));
    return out;
  }
  if (role === 'init' && !sidecar) {
    for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
      if (c[f] !== undefined) out.push(forbidden(child(path, f), 'may not be set for init containers without restartPolicy=Always'));
    }
    return out;
  }
  out.push(...validateProbe(c.livenessProbe, child(path, 'livenessProbe'), { successMustBeOne: true }));
  out.push(...validateProbe(c.readinessProbe, child(path, 'readinessProbe'), { successMustBeOne: false }));
  out.push(...validateProbe(c.startupProbe, child(path, 'startupProbe'), { successMustBeOne: true }));
  out.push(...validateLifecycle(c.lifecycle, child(path, 'lifecycle'), { gracePeriod: ctx.gracePeriod }));
  return out;
}

/** Validates every container of the spec; `specPath` is e.g. `spec` or `spec.template.spec`. */
export function validateAllContainers(spec: PodSpec, specPath: string, ctx: ContainerContext): FieldError[] {
  const out: FieldError[] = [];
  const names = new Set<string>();
  const hostPorts = new Set<string>();
  const groups: [Role, 'initContainers' | 'containers' | 'ephemeralContainers'][] = [
    ['init', 'initContainers'],
    ['app', 'containers'],
    ['ephemeral', 'ephemeralContainers'],
  ];
  if ((spec.containers ?? []).length === 0) out.push(required(child(specPath, 'containers')));
  for (const [role, field] of groups) {
    (spec[field] ?? []).forEach((c, i) => {
      const path = index(child(specPath, field), i);
      const np = child(path, 'name');
      if (!c.name) out.push(required(np));
      else {
        out.push(...checkFormat(np, c.name, dns1123Label));
        if (names.has(c.name)) out.push(duplicate(np, c.name));
        names.add(c.name);
      }
      out.push(...validateContainer(c, path, role, ctx));
      // Init containers run one at a time, so only app containers can clash on host ports.
      if (role !== 'app') return;
      (c.ports ?? []).forEach((p, j) => {
        if (!p.hostPort) return;
        const id = `${p.protocol ?? 'TCP'}/${p.hostIP ?? ''}/${p.hostPort}`;
        if (hostPorts.has(id)) out.push(duplicate(child(index(child(path, 'ports'), j), 'hostPort'), id));
        hostPorts.add(id);
      });
    });
  }
  (spec.ephemeralContainers ?? []).forEach((c, i) => {
    const t = c.targetContainerName;
    if (t && !ctx.containerNames.has(t))
      out.push(invalid(child(index(child(specPath, 'ephemeralContainers'), i), 'targetContainerName'), t, 'must be the name of a container in the pod'));
  });
  return out;
}
