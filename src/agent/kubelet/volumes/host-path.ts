// hostPath volumes: a path of the node bound into the pod, with the type checks Kubernetes makes
// before mounting — DirectoryOrCreate and FileOrCreate create what is missing (a file's parent
// directory must exist), Directory, File, Socket, CharDevice and BlockDevice must already be that,
// and an empty type checks nothing.
import { chmod, mkdir, open, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { VolumeError, type VolumePlugin } from './types.js';

const CHECKS: Record<string, [(s: Stats) => boolean, string]> = {
  Directory: [(s) => s.isDirectory(), 'is not a directory'],
  File: [(s) => s.isFile(), 'is not a file'],
  Socket: [(s) => s.isSocket(), 'is not a socket file'],
  CharDevice: [(s) => s.isCharacterDevice(), 'is not a character device'],
  BlockDevice: [(s) => s.isBlockDevice(), 'is not a block device'],
  DirectoryOrCreate: [(s) => s.isDirectory(), 'is not a directory'],
  FileOrCreate: [(s) => s.isFile(), 'is not a file'],
};

export async function checkHostPath(path: string, type: string): Promise<void> {
  if (!type) return;
  let st = await stat(path).catch(() => undefined);
  if (!st && type === 'DirectoryOrCreate') {
    await mkdir(path, { recursive: true, mode: 0o755 });
    await chmod(path, 0o755);
    st = await stat(path);
  } else if (!st && type === 'FileOrCreate') {
    const fh = await open(path, 'a', 0o644).catch((err: unknown) => {
      throw new VolumeError(`hostPath type check failed: ${path}: ${err instanceof Error ? err.message : String(err)}`);
    });
    await fh.close();
    st = await stat(path);
  }
  const check = CHECKS[type];
  if (!check) throw new VolumeError(`hostPath type check failed: unknown type ${type}`);
  if (!st) throw new VolumeError(`hostPath type check failed: ${path} does not exist`);
  if (!check[0](st)) throw new VolumeError(`hostPath type check failed: ${path} ${check[1]}`);
}

export const hostPathPlugin: VolumePlugin = {
  name: 'kubernetes.io~host-path',
  refreshes: false,
  handles: (v) => v.hostPath !== undefined,
  async setUp(_ctx, v, _dir) {
    const path = v.hostPath?.path ?? '';
    await checkHostPath(path, v.hostPath?.type ?? '');
    return { hostPath: path, readOnly: false };
  },
};
