// A container's volumeMounts as CRI mounts: each volume's host path (or a subPath inside it,
// created when missing and refused if it escapes the volume through `..` or a symlink;
// subPathExpr expands `$(VAR)` from the container's environment), read-only when the mount or
// the volume says so, with the requested mount propagation; plus the pod's managed /etc/hosts
// unless the container mounts its own.
import { mkdir, realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { Mount, MountPropagation } from '../../cri/index.js';
import { ContainerConfigError, expand } from '../env/index.js';
import type { PodContainer } from '../pod-config.js';
import type { MountedVolume } from './types.js';

const PROPAGATION: Record<string, MountPropagation> = {
  None: 'PROPAGATION_PRIVATE',
  HostToContainer: 'PROPAGATION_HOST_TO_CONTAINER',
  Bidirectional: 'PROPAGATION_BIDIRECTIONAL',
};

async function subPathIn(root: string, sub: string): Promise<string> {
  if (sub.startsWith('/') || sub.split('/').includes('..')) throw new ContainerConfigError(`subPath "${sub}" must be a relative path without '..'`);
  const path = join(root, sub);
  await mkdir(path, { recursive: true, mode: 0o755 }).catch((err: unknown) => {
    // An existing file (a configMap key, say) is a fine subPath; anything else is not.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST' && (err as NodeJS.ErrnoException).code !== 'ENOTDIR') throw err;
  });
  const [realRoot, real] = await Promise.all([realpath(root), realpath(path)]);
  if (real !== realRoot && !real.startsWith(realRoot + sep)) throw new ContainerConfigError(`subPath "${sub}" resolves outside the volume`);
  return real;
}

export async function containerMounts(o: {
  container: PodContainer;
  volumes: ReadonlyMap<string, MountedVolume>;
  env: ReadonlyMap<string, string>;
  /** The pod's managed hosts file, if it has one. */
  hostsFile?: string;
}): Promise<Mount[]> {
  const out: Mount[] = [];
  for (const m of o.container.volumeMounts ?? []) {
    const vol = o.volumes.get(m.name);
    if (!vol) throw new ContainerConfigError(`cannot find volume "${m.name}" to mount into container "${o.container.name}"`);
    let hostPath = vol.hostPath;
    const sub = m.subPathExpr ? expand(m.subPathExpr, (n) => o.env.get(n)) : m.subPath;
    if (sub) hostPath = await subPathIn(vol.hostPath, sub);
    const propagation = m.mountPropagation ? PROPAGATION[m.mountPropagation] : undefined;
    out.push({
      containerPath: m.mountPath,
      hostPath,
      ...(m.readOnly || vol.readOnly ? { readonly: true } : {}),
      ...(propagation ? { propagation } : {}),
    });
  }
  if (o.hostsFile && !out.some((m) => m.containerPath === '/etc/hosts')) out.push({ containerPath: '/etc/hosts', hostPath: o.hostsFile });
  return out;
}
