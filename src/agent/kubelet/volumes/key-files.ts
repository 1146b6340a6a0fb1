// Turns the keys of a ConfigMap or Secret into volume files, shared by the configMap, secret and
// projected volume types: every key (or just the listed items, each to its own path and mode),
// with the volume's default mode, where a missing key fails the volume unless it is optional.
import type { FileProjection } from './atomic-writer.js';
import { VolumeError } from './types.js';

export const DEFAULT_MODE = 0o644;

export interface KeyItem {
  key: string;
  path: string;
  mode?: number;
}

/** Adds the files for `data` to `out`; `what` names the object kind in errors ("configmap", "secret"). */
export function keyFiles(o: {
  data: Map<string, Buffer>;
  items: KeyItem[] | undefined;
  defaultMode: number | undefined;
  optional: boolean;
  what: 'configmap' | 'secret';
  out: Map<string, FileProjection>;
}): void {
  const mode = o.defaultMode ?? DEFAULT_MODE;
  if (!o.items || o.items.length === 0) {
    for (const [k, v] of o.data) o.out.set(k, { data: v, mode });
    return;
  }
  for (const item of o.items) {
    const v = o.data.get(item.key);
    if (v === undefined) {
      if (o.optional) continue;
      throw new VolumeError(`${o.what} references non-existent ${o.what === 'configmap' ? 'config' : 'secret'} key: ${item.key}`);
    }
    o.out.set(item.path, { data: v, mode: item.mode ?? mode });
  }
}

export const configMapData = (cm: { data?: Record<string, string>; binaryData?: Record<string, string> }): Map<string, Buffer> =>
  new Map([
    ...Object.entries(cm.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'utf8')] as const),
    ...Object.entries(cm.binaryData ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')] as const),
  ]);

export const secretData = (s: { data?: Record<string, string> }): Map<string, Buffer> =>
  new Map(Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')] as const));
