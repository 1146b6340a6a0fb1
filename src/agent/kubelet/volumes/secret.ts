// secret volumes: like configMap volumes, but on a tmpfs so secret data never touches the node's
// disk. Updated atomically when the Secret changes.
import { mkdir } from 'node:fs/promises';
import type { Pod } from '../../../api/core/v1/index.js';
import type { AtomicWriter, FileProjection } from './atomic-writer.js';
import { keyFiles, secretData } from './key-files.js';
import { VolumeError, type VolumePlugin } from './types.js';

export function secretPlugin(writer: AtomicWriter): VolumePlugin {
  return {
    name: 'kubernetes.io~secret',
    refreshes: true,
    handles: (v) => v.secret !== undefined,
    references: (pod: Pod, v) => [`secrets/${pod.metadata?.namespace ?? ''}/${v.secret?.secretName ?? ''}`],
    async setUp(ctx, v, dir) {
      const src = v.secret ?? {};
      const name = src.secretName ?? '';
      const secret = await ctx.objects.secret(ctx.pod.metadata?.namespace ?? '', name);
      if (!secret && !src.optional) throw new VolumeError(`secret "${name}" not found`);
      const payload = new Map<string, FileProjection>();
      if (secret) keyFiles({ data: secretData(secret), items: src.items, defaultMode: src.defaultMode, optional: src.optional ?? false, what: 'secret', out: payload });
      await mkdir(dir, { recursive: true });
      await ctx.mounter.mountTmpfs(dir, {});
      const fsGroup = ctx.pod.spec?.securityContext?.fsGroup;
      await writer.write(dir, payload, fsGroup !== undefined ? { fsGroup } : {});
      return { hostPath: dir, readOnly: true };
    },
  };
}
