// downwardAPI volumes: pod fields (name, namespace, uid, labels, annotations, ...) and container
// resource values as files. Labels and annotations change while the pod runs, so the files are
// rewritten (atomically) whenever they differ.
import type { Pod } from '../../../api/core/v1/index.js';
import { podFieldValue, resourceFieldValue, type PodAddresses } from '../env/index.js';
import type { AtomicWriter, FileProjection } from './atomic-writer.js';
import { DEFAULT_MODE } from './key-files.js';
import { VolumeError, type VolumePlugin } from './types.js';

export interface DownwardFile {
  path: string;
  fieldRef?: { fieldPath: string };
  resourceFieldRef?: { containerName?: string; resource: string; divisor?: string | number };
  mode?: number;
}

/** Adds the files of downward API items to `out`. */
export function downwardFiles(o: {
  pod: Pod;
  items: DownwardFile[];
  defaultMode: number | undefined;
  addresses: PodAddresses;
  allocatable: Record<string, string>;
  out: Map<string, FileProjection>;
}): void {
  for (const item of o.items) {
    let value: string;
    try {
      if (item.fieldRef) value = podFieldValue(o.pod, item.fieldRef.fieldPath, o.addresses);
      else if (item.resourceFieldRef) value = resourceFieldValue({ pod: o.pod, container: undefined, ref: item.resourceFieldRef, allocatable: o.allocatable });
      else continue;
    } catch (err) {
      throw new VolumeError(err instanceof Error ? err.message : String(err));
    }
    o.out.set(item.path, { data: value, mode: item.mode ?? o.defaultMode ?? DEFAULT_MODE });
  }
}

export function downwardAPIPlugin(writer: AtomicWriter): VolumePlugin {
  return {
    name: 'kubernetes.io~downward-api',
    refreshes: true,
    handles: (v) => v.downwardAPI !== undefined,
    async setUp(ctx, v, dir) {
      const payload = new Map<string, FileProjection>();
      downwardFiles({ pod: ctx.pod, items: v.downwardAPI?.items ?? [], defaultMode: v.downwardAPI?.defaultMode, addresses: ctx.addresses, allocatable: ctx.allocatable, out: payload });
      await writer.write(dir, payload);
      return { hostPath: dir, readOnly: true };
    },
  };
}
