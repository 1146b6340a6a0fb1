// The test image, `localhost/tugboat/busybox`: Debian's statically linked busybox with a link for
// every applet it knows (sh, httpd, wget, nslookup, sleep, tar for `kubectl cp`, ...), plus the
// few files programs expect: /etc/passwd and /etc/group with root and nobody, a world-writable
// /tmp, and /root. It is tagged `latest` and with the busybox version, so pods that name the
// version get imagePullPolicy IfNotPresent by default and run without any registry.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { ImageDefinition } from './docker-archive.js';
import type { TarEntry } from './tar.js';

const run = promisify(execFile);

export const TEST_IMAGE_REPO = 'localhost/tugboat/busybox';
export const TEST_IMAGE = `${TEST_IMAGE_REPO}:latest`;
export const BUSYBOX_BINARY = '/bin/busybox';

/** Whether an ELF executable is statically linked: it has no PT_INTERP program header. */
export function isStaticElf(b: Buffer): boolean {
  if (b.length < 64 || b.readUInt32BE(0) !== 0x7f454c46 || b[4] !== 2) return false;
  const phoff = Number(b.readBigUInt64LE(0x20));
  const phentsize = b.readUInt16LE(0x36);
  const phnum = b.readUInt16LE(0x38);
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (at + 4 > b.length) return false;
    if (b.readUInt32LE(at) === 3) return false;
  }
  return true;
}

const PASSWD = 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n';
const GROUP = 'root:x:0:\nnobody:x:65534:\n';

export async function busyboxImageDefinition(opts: { binary?: string } = {}): Promise<ImageDefinition> {
  const binary = opts.binary ?? BUSYBOX_BINARY;
  const data = await readFile(binary).catch((err: unknown) => {
    throw new Error(`building the test image needs ${binary} (apt-get install busybox-static)`, { cause: err });
  });
  if (!isStaticElf(data)) throw new Error(`${binary} is not statically linked; install busybox-static`);
  const list = (await run(binary, ['--list-full'])).stdout.split('\n').filter(Boolean);
  const banner = (await run(binary, ['--help']).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }))).stdout;
  const version = /BusyBox v(\d+\.\d+\.\d+)/.exec(banner)?.[1];

  const dirs = new Set(['bin', 'sbin', 'usr', 'usr/bin', 'usr/sbin', 'etc', 'dev', 'proc', 'sys', 'var', 'var/www', 'home']);
  for (const path of list) for (let i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) dirs.add(path.slice(0, i));
  const entries: TarEntry[] = [...dirs].sort().map((path) => ({ type: 'dir', path }));
  entries.push({ type: 'dir', path: 'tmp', mode: 0o1777 }, { type: 'dir', path: 'root', mode: 0o700 });
  entries.push({ type: 'file', path: 'bin/busybox', data, mode: 0o755 });
  for (const path of list.sort()) if (path !== 'bin/busybox') entries.push({ type: 'symlink', path, target: '/bin/busybox' });
  entries.push(
    { type: 'file', path: 'etc/passwd', data: Buffer.from(PASSWD) },
    { type: 'file', path: 'etc/group', data: Buffer.from(GROUP) },
  );
  return {
    repoTags: version ? [TEST_IMAGE, `${TEST_IMAGE_REPO}:${version}`] : [TEST_IMAGE],
    layers: [entries],
    config: { Cmd: ['sh'], WorkingDir: '/' },
  };
}
