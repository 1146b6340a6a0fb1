// Validation of a container's volume mounts and block devices against the pod's volumes: each
// names an existing volume, paths are unique and well-formed, sub-paths stay inside the volume,
// and mount propagation and recursive read-only settings are consistent.
import { child, index, invalid, required, forbidden, notSupported, type FieldError } from '../../../lib/field-errors.js';
import type { Container, EphemeralContainer } from './container.js';
import { MOUNT_PROPAGATIONS, RECURSIVE_READ_ONLY_MODES } from './container.js';
import type { Volume } from './volume.js';

/** Problems with a path that must stay inside a volume: relative and without "..". */
export function localDescendingPath(path: string, value: string): FieldError[] {
  const out: FieldError[] = [];
  if (value.startsWith('/')) out.push(invalid(path, value, 'must be a relative path'));
  if (value.split(/[\\/]/).includes('..')) out.push(invalid(path, value, "must not contain '..'"));
  return out;
}

export interface MountOptions {
  volumes: ReadonlyMap<string, Volume>;
  ephemeral: boolean;
}

export function validateVolumeMounts(c: Container | EphemeralContainer, containerPath: string, opts: MountOptions): FieldError[] {
  const out: FieldError[] = [];
  const listPath = child(containerPath, 'volumeMounts');
  const paths = new Set<string>();
  (c.volumeMounts ?? []).forEach((m, i) => {
    const p = index(listPath, i);
    const np = child(p, 'name');
    if (!m.name) out.push(required(np));
    else if (!opts.volumes.has(m.name)) out.push(invalid(np, m.name, 'not found: must be the name of a volume in the pod'));
    const mp = child(p, 'mountPath');
    if (!m.mountPath) out.push(required(mp));
    else if (paths.has(m.mountPath)) out.push(invalid(mp, m.mountPath, 'must be unique'));
    if (m.mountPath) paths.add(m.mountPath);
    if (m.subPath) out.push(...localDescendingPath(child(p, 'subPath'), m.subPath));
    if (m.subPathExpr) {
      if (m.subPath) out.push(invalid(child(p, 'subPathExpr'), m.subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
      out.push(...localDescendingPath(child(p, 'subPathExpr'), m.subPathExpr));
    }
    if (opts.ephemeral && (m.subPath || m.subPathExpr))
      out.push(forbidden(child(p, m.subPath ? 'subPath' : 'subPathExpr'), 'cannot be set for an Ephemeral Container'));
    const prop = m.mountPropagation;
    if (prop !== undefined) {
      if (!(MOUNT_PROPAGATIONS as readonly string[]).includes(prop)) out.push(notSupported(child(p, 'mountPropagation'), prop, MOUNT_PROPAGATIONS));
      else if (prop === 'Bidirectional' && !c.securityContext?.privileged)
        out.push(forbidden(child(p, 'mountPropagation'), 'Bidirectional mount propagation is available only to privileged containers'));
    }
    const rro = m.recursiveReadOnly;
    if (rro !== undefined) {
      const rp = child(p, 'recursiveReadOnly');
      if (!(RECURSIVE_READ_ONLY_MODES as readonly string[]).includes(rro)) out.push(notSupported(rp, rro, RECURSIVE_READ_ONLY_MODES));
      else if (rro !== 'Disabled') {
        if (!m.readOnly) out.push(forbidden(rp, 'may only be specified when readOnly is true'));
        if (prop !== undefined && prop !== 'None') out.push(forbidden(rp, 'may only be specified when mountPropagation is None or not specified'));
      }
    }
  });
  return out;
}

export function validateVolumeDevices(c: Container | EphemeralContainer, containerPath: string, volumes: ReadonlyMap<string, Volume>): FieldError[] {
  const out: FieldError[] = [];
  const listPath = child(containerPath, 'volumeDevices');
  const mountPaths = new Set((c.volumeMounts ?? []).map((m) => m.mountPath));
  const mountNames = new Set((c.volumeMounts ?? []).map((m) => m.name));
  const devicePaths = new Set<string>();
  (c.volumeDevices ?? []).forEach((d, i) => {
    const p = index(listPath, i);
    const np = child(p, 'name');
    const v = d.name ? volumes.get(d.name) : undefined;
    if (!d.name) out.push(required(np));
    else if (!v) out.push(invalid(np, d.name, 'not found: must be the name of a volume in the pod'));
    else if (!v.persistentVolumeClaim && !v.ephemeral)
      out.push(invalid(np, d.name, 'can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode'));
    else if (mountNames.has(d.name)) out.push(invalid(np, d.name, 'must not already be mounted into a container'));
    const dp = child(p, 'devicePath');
    if (!d.devicePath) out.push(required(dp));
    else if (devicePaths.has(d.devicePath)) out.push(invalid(dp, d.devicePath, 'must be unique'));
    else if (mountPaths.has(d.devicePath)) out.push(invalid(dp, d.devicePath, 'must not already exist in the volumeMounts'));
    if (d.devicePath) devicePaths.add(d.devicePath);
  });
  return out;
}
