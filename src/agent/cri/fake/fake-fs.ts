// The file system of one fake container: a map of absolute paths to file contents plus a set of
// directories, starting with the few every image has. Exec'd commands (cat, tar, ls, test, shell
// redirections) read and write it, so `kubectl cp` into a fake pod and `cat` of the file back
// behave as with a real container. It lives as long as the container record.
import { posix } from 'node:path';

const BASE_DIRS = ['/', '/bin', '/dev', '/etc', '/home', '/proc', '/root', '/sys', '/tmp', '/usr', '/var'];

export class FakeFs {
  private readonly files = new Map<string, Buffer>();
  private readonly dirs = new Set(BASE_DIRS);

  constructor(hostname = 'fake') {
    this.files.set('/etc/hostname', Buffer.from(`${hostname}\n`));
  }

  /** An absolute, normalised path for `p` seen from `cwd`. */
  resolve(p: string, cwd = '/'): string {
    const abs = posix.resolve(cwd, p);
    return abs.length > 1 ? abs.replace(/\/+$/, '') : abs;
  }

  isDir(p: string): boolean {
    return this.dirs.has(this.resolve(p));
  }

  isFile(p: string): boolean {
    return this.files.has(this.resolve(p));
  }

  exists(p: string): boolean {
    return this.isDir(p) || this.isFile(p);
  }

  read(p: string): Buffer | undefined {
    return this.files.get(this.resolve(p));
  }

  /** Writes a file; false when its parent directory is missing or the path is a directory. */
  write(p: string, data: Buffer, o: { append?: boolean; makeParents?: boolean } = {}): boolean {
    const abs = this.resolve(p);
    const parent = posix.dirname(abs);
    if (this.dirs.has(abs)) return false;
    if (!this.dirs.has(parent)) {
      if (!o.makeParents) return false;
      this.mkdir(parent, { parents: true });
    }
    const old = o.append ? this.files.get(abs) : undefined;
    this.files.set(abs, old ? Buffer.concat([old, data]) : Buffer.from(data));
    return true;
  }

  /** Creates a directory; false when the parent is missing (without `parents`) or a file is in the way. */
  mkdir(p: string, o: { parents?: boolean } = {}): boolean {
    const abs = this.resolve(p);
    if (this.files.has(abs)) return false;
    const parent = posix.dirname(abs);
    if (!this.dirs.has(parent)) {
      if (!o.parents || !this.mkdir(parent, o)) return false;
    }
    this.dirs.add(abs);
    return true;
  }

  remove(p: string): boolean {
    const abs = this.resolve(p);
    if (this.files.delete(abs)) return true;
    if (abs === '/' || !this.dirs.has(abs)) return false;
    for (const f of [...this.files.keys()]) if (f.startsWith(`${abs}/`)) this.files.delete(f);
    for (const d of [...this.dirs]) if (d === abs || d.startsWith(`${abs}/`)) this.dirs.delete(d);
    return true;
  }

  /** Names directly inside a directory, sorted. */
  list(p: string): string[] {
    const abs = this.resolve(p);
    const prefix = abs === '/' ? '/' : `${abs}/`;
    const names = new Set<string>();
    for (const k of [...this.files.keys(), ...this.dirs]) {
      if (k !== abs && k.startsWith(prefix)) names.add(k.slice(prefix.length).split('/')[0] ?? '');
    }
    names.delete('');
    return [...names].sort();
  }

  /** Every path under `p` (itself first), directories before their contents. */
  walk(p: string): { path: string; dir: boolean }[] {
    const abs = this.resolve(p);
    if (this.files.has(abs)) return [{ path: abs, dir: false }];
    if (!this.dirs.has(abs)) return [];
    const out: { path: string; dir: boolean }[] = [{ path: abs, dir: true }];
    for (const name of this.list(abs)) out.push(...this.walk(posix.join(abs, name)));
    return out;
  }
}
