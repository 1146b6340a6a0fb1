// emptyDir: a directory that starts empty and lives as long as the pod, shared by its containers
// (the sidecar pattern). On the node's disk by default; `medium: Memory` puts it on a tmpfs sized
// by sizeLimit. World-writable like Kubernetes', so containers running as any user can use it.
import { chmod, chown, mkdir } from 'node:fs/promises';
import { parseQuantity } from '../../../lib/quantity.js';
import type { VolumePlugin } from './types.js';

export const emptyDirPlugin: VolumePlugin = {
  name: 'kubernetes.io~empty-dir',
  refreshes: false,
  handles: (v) => v.emptyDir !== undefined,
  async setUp(ctx, v, dir) {
    await mkdir(dir, { recursive: true });
    if (v.emptyDir?.medium === 'Memory') {
      const limit = v.emptyDir.sizeLimit === undefined ? undefined : parseQuantity(v.emptyDir.sizeLimit)?.value;
      await ctx.mounter.mountTmpfs(dir, limit ? { sizeBytes: Math.round(limit) } : {});
    }
    await chmod(dir, 0o777);
    const fsGroup = ctx.pod.spec?.securityContext?.fsGroup;
    if (fsGroup !== undefined) {
      await chown(dir, -1, fsGroup);
      await chmod(dir, 0o2777);
    }
    return { hostPath: dir, readOnly: false };
  },
};
