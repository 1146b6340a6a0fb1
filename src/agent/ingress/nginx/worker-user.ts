// The unprivileged user nginx's workers run as when the agent runs as root (the master keeps root
// only to bind ports 80/443 and read the TLS keys). Preferred: `tugboat-ingress`, the system user
// scripts/setup.sh creates; else Debian's nginx user `www-data`; else `nobody`. Workers must
// still reach what they read at run time — the Lua module, the endpoints file, the 503/502
// sockets and the temp directories — so the plane directory is opened to the user's group for
// traversal only (0710), those files to reading by the group (0640), the temp directories are
// handed to the user, and the certificates stay root's (0700/0600). When a parent directory is
// not searchable by others (a 0700 home or temp directory), the workers could reach nothing:
// they then stay root, and the plane says so in the log.
import { chmodSync, chownSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const WORKER_USERS = ['tugboat-ingress', 'www-data', 'nobody'] as const;

export interface WorkerUser {
  name: string;
  uid: number;
  gid: number;
}

/** The first of WORKER_USERS in /etc/passwd, or undefined. */
export function findWorkerUser(passwd = '/etc/passwd'): WorkerUser | undefined {
  let text = '';
  try {
    text = readFileSync(passwd, 'utf8');
  } catch {
    return undefined;
  }
  const users = new Map<string, WorkerUser>();
  for (const line of text.split('\n')) {
    const [name = '', , uid, gid] = line.split(':');
    if (name && uid !== undefined && gid !== undefined) users.set(name, { name, uid: Number(uid), gid: Number(gid) });
  }
  for (const name of WORKER_USERS) {
    const u = users.get(name);
    if (u && u.uid !== 0) return u;
  }
  return undefined;
}

/** The first ancestor of `dir` that others cannot search (x), or undefined when all can. */
export function unsearchableParent(dir: string): string | undefined {
  for (let d = dirname(dir); ; d = dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) return d;
    if (d === dirname(d)) return undefined;
  }
}

/** Opens the plane directory to the workers as described above (root only). */
export function grantWorkerAccess(o: { dir: string; user: WorkerUser; readable: string[]; writableDirs: string[] }): void {
  chownSync(o.dir, 0, o.user.gid);
  chmodSync(o.dir, 0o710);
  for (const f of o.readable) {
    chownSync(f, 0, o.user.gid);
    chmodSync(f, statSync(f).isDirectory() ? 0o750 : 0o640);
  }
  for (const d of o.writableDirs) {
    chownSync(d, o.user.uid, o.user.gid);
    chmodSync(d, 0o700);
  }
}

export const tempDir = (dir: string): string => join(dir, 'temp');
