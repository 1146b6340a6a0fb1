// The one list of volume types the kubelet supports, in the order they are tried.
import type { AtomicWriter } from './atomic-writer.js';
import { claimPlugin } from './claim.js';
import { configMapPlugin } from './config-map.js';
import { downwardAPIPlugin } from './downward-api.js';
import { emptyDirPlugin } from './empty-dir.js';
import { hostPathPlugin } from './host-path.js';
import { projectedPlugin } from './projected.js';
import { secretPlugin } from './secret.js';
import type { VolumePlugin } from './types.js';

export const volumePlugins = (writer: AtomicWriter): VolumePlugin[] => [
  emptyDirPlugin,
  configMapPlugin(writer),
  secretPlugin(writer),
  projectedPlugin(writer),
  downwardAPIPlugin(writer),
  hostPathPlugin,
  claimPlugin,
];
