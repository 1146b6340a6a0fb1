// Writes a set of files into a volume directory so that readers never see a half-updated set,
// with the layout Kubernetes uses (and programs watching mounted ConfigMaps rely on):
//
//   ..2024_05_01_10_00_00.123456789/   the current files
//   ..data -> ..2024_05_01_10_00_00.123456789
//   key    -> ..data/key                 one symlink per top-level entry
//
// An update writes a new timestamped directory, points `..data_tmp` at it and renames that over
// `..data` (one atomic step), fixes the top-level links, then removes the old directory. Nothing
// is written when the content and modes are unchanged.
import { createHash, randomBytes } from 'node:crypto';
import { chmod, chown, lstat, mkdir, readdir, readFile, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface FileProjection {
  data: Buffer | string;
  /** Permission bits, e.g. 0o644. */
  mode: number;
}

const DATA = '..data';
const DATA_TMP = '..data_tmp';

/** A relative path without `..` elements, as volume items must be. */
export function validPayloadPath(p: string): boolean {
  return p !== '' && !p.startsWith('/') && !p.split('/').some((s) => s === '..' || s === '') && !p.startsWith('..');
}

function digest(payload: Map<string, FileProjection>): string {
  const h = createHash('sha256');
  for (const [path, f] of [...payload].sort(([a], [b]) => (a < b ? -1 : 1))) {
    h.update(path).update('\0').update(String(f.mode)).update('\0').update(f.data).update('\0');
  }
  return h.digest('hex');
}

const tsName = (now: Date): string => {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  const ns = `${p(now.getUTCMilliseconds(), 3)}${randomBytes(3).readUIntBE(0, 3).toString().padStart(6, '0').slice(0, 6)}`;
  return `..${now.getUTCFullYear()}_${p(now.getUTCMonth() + 1)}_${p(now.getUTCDate())}_${p(now.getUTCHours())}_${p(now.getUTCMinutes())}_${p(now.getUTCSeconds())}.${ns}`;
};

export class AtomicWriter {
  /** Digest of what each directory last received, so unchanged payloads cost no disk access. */
  private readonly written = new Map<string, string>();

  /** Writes `payload` (relative path → file) into `dir`; returns whether anything changed. */
  async write(dir: string, payload: Map<string, FileProjection>, o: { fsGroup?: number } = {}): Promise<boolean> {
    for (const p of payload.keys()) if (!validPayloadPath(p)) throw new Error(`invalid path ${JSON.stringify(p)} in volume payload`);
    const sum = digest(payload);
    if (this.written.get(dir) === sum) return false;
    await mkdir(dir, { recursive: true });
    const oldTs = await readlink(join(dir, DATA)).catch(() => undefined);
    if (oldTs && (await this.onDisk(join(dir, oldTs))) === sum) {
      this.written.set(dir, sum);
      await this.linkTopLevel(dir, payload);
      return false;
    }
    const ts = tsName(new Date());
    const tsDir = join(dir, ts);
    await mkdir(tsDir, { mode: 0o755 });
    for (const [p, f] of payload) {
      const file = join(tsDir, p);
      await mkdir(dirname(file), { recursive: true, mode: 0o755 });
      await writeFile(file, f.data, { mode: f.mode });
      await chmod(file, f.mode);
      if (o.fsGroup !== undefined) await chown(file, -1, o.fsGroup);
    }
    if (o.fsGroup !== undefined) await chown(tsDir, -1, o.fsGroup);
    await rm(join(dir, DATA_TMP), { force: true });
    await symlink(ts, join(dir, DATA_TMP));
    await rename(join(dir, DATA_TMP), join(dir, DATA));
    await this.linkTopLevel(dir, payload);
    if (oldTs && oldTs !== ts) await rm(join(dir, oldTs), { recursive: true, force: true });
    this.written.set(dir, sum);
    return true;
  }

  /** Drops what is remembered about directories under `prefix` (a pod being torn down). */
  forget(prefix: string): void {
    for (const k of this.written.keys()) if (k === prefix || k.startsWith(`${prefix}/`)) this.written.delete(k);
  }

  private async linkTopLevel(dir: string, payload: Map<string, FileProjection>): Promise<void> {
    const top = new Set([...payload.keys()].map((p) => p.split('/')[0] ?? p));
    for (const name of top) {
      const link = join(dir, name);
      const target = join(DATA, name);
      const existing = await readlink(link).catch(() => undefined);
      if (existing === target) continue;
      await rm(link, { force: true, recursive: true });
      await symlink(target, link);
    }
    for (const name of await readdir(dir)) {
      if (name.startsWith('..') || top.has(name)) continue;
      const st = await lstat(join(dir, name));
      if (st.isSymbolicLink()) await rm(join(dir, name), { force: true });
    }
  }

  /** The digest of the files a timestamped directory holds, for a writer that starts after a restart. */
  private async onDisk(tsDir: string): Promise<string | undefined> {
    const payload = new Map<string, FileProjection>();
    const walk = async (rel: string): Promise<void> => {
      for (const e of await readdir(join(tsDir, rel), { withFileTypes: true })) {
        const p = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) await walk(p);
        else {
          const full = join(tsDir, p);
          payload.set(p, { data: await readFile(full), mode: (await lstat(full)).mode & 0o7777 });
        }
      }
    };
    try {
      await walk('');
    } catch {
      return undefined;
    }
    return digest(payload);
  }
}
