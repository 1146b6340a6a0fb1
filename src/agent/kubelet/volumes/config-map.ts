// configMap volumes: the keys of a ConfigMap as files (all, or the listed items with their own
// paths and modes), written atomically and rewritten when the ConfigMap changes, so running pods
// see updates. A missing ConfigMap fails the mount unless the volume is optional (then it is empty).
import type { Pod } from '../../../api/core/v1/index.js';
import type { AtomicWriter, FileProjection } from './atomic-writer.js';
import { configMapData, keyFiles } from './key-files.js';
import { VolumeError, type VolumePlugin } from './types.js';

export function configMapPlugin(writer: AtomicWriter): VolumePlugin {
  return {
    name: 'kubernetes.io~configmap',
    refreshes: true,
    handles: (v) => v.configMap !== undefined,
    references: (pod: Pod, v) => [`configmaps/${pod.metadata?.namespace ?? ''}/${v.configMap?.name ?? ''}`],
    async setUp(ctx, v, dir) {
      const src = v.configMap ?? {};
      const name = src.name ?? '';
      const cm = await ctx.objects.configMap(ctx.pod.metadata?.namespace ?? '', name);
      if (!cm && !src.optional) throw new VolumeError(`configmap "${name}" not found`);
      const payload = new Map<string, FileProjection>();
      if (cm) keyFiles({ data: configMapData(cm), items: src.items, defaultMode: src.defaultMode, optional: src.optional ?? false, what: 'configmap', out: payload });
      const fsGroup = ctx.pod.spec?.securityContext?.fsGroup;
      await writer.write(dir, payload, fsGroup !== undefined ? { fsGroup } : {});
      return { hostPath: dir, readOnly: true };
    },
  };
}
