// A small ustar writer for building image layers and docker-archive files without external
// tools. Every entry is owned by uid/gid 0 with numeric ids only and a fixed modification time,
// so the same inputs always give byte-identical tars (and therefore identical image digests, which
// makes re-importing an unchanged image a no-op). Names or link targets that do not fit ustar's
// fields get a PAX extended header, as GNU tar and Go's archive/tar do.
export type TarEntry =
  | { type: 'dir'; path: string; mode?: number }
  | { type: 'file'; path: string; data: Buffer; mode?: number }
  | { type: 'symlink'; path: string; target: string };

const BLOCK = 512;

function octal(n: number, width: number): string {
  // width includes the terminating NUL
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

/** Splits a path into ustar's (prefix, name) when it fits, else undefined. */
function splitName(path: string): { prefix: string; name: string } | undefined {
  if (Buffer.byteLength(path) <= 100) return { prefix: '', name: path };
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name.length > 0) return { prefix, name };
  }
  return undefined;
}

interface Header {
  path: string;
  typeflag: string;
  mode: number;
  size: number;
  mtime: number;
  linkname?: string;
}

function header(h: Header): Buffer {
  const b = Buffer.alloc(BLOCK);
  const split = splitName(h.path) ?? { prefix: '', name: h.path.slice(0, 100) };
  b.write(split.name, 0, 100, 'utf8');
  b.write(octal(h.mode & 0o7777, 8), 100, 'ascii');
  b.write(octal(0, 8), 108, 'ascii');
  b.write(octal(0, 8), 116, 'ascii');
  b.write(octal(h.size, 12), 124, 'ascii');
  b.write(octal(h.mtime, 12), 136, 'ascii');
  b.write('        ', 148, 'ascii');
  b.write(h.typeflag, 156, 'ascii');
  if (h.linkname) b.write(h.linkname.slice(0, 100), 157, 100, 'utf8');
  b.write('ustar\0', 257, 'ascii');
  b.write('00', 263, 'ascii');
  b.write(split.prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of b) sum += byte;
  b.write(octal(sum, 7) + ' ', 148, 'ascii');
  return b;
}

const pad = (n: number): Buffer => Buffer.alloc((BLOCK - (n % BLOCK)) % BLOCK);

/** A PAX record is "<len> key=value\n" where len counts the whole record, itself included. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
  return `${len}${body}`;
}

export interface TarOptions {
  /** Modification time of every entry, seconds since the epoch (default 0, for reproducibility). */
  mtime?: number;
}

export function tarBuffer(entries: TarEntry[], opts: TarOptions = {}): Buffer {
  const mtime = opts.mtime ?? 0;
  const parts: Buffer[] = [];
  for (const e of entries) {
    const path = e.type === 'dir' && !e.path.endsWith('/') ? `${e.path}/` : e.path;
    const linkname = e.type === 'symlink' ? e.target : undefined;
    let pax = '';
    if (!splitName(path)) pax += paxRecord('path', path);
    if (linkname && Buffer.byteLength(linkname) > 100) pax += paxRecord('linkpath', linkname);
    if (pax) {
      const data = Buffer.from(pax);
      parts.push(header({ path: 'PaxHeaders/entry', typeflag: 'x', mode: 0o644, size: data.length, mtime }), data, pad(data.length));
    }
    if (e.type === 'file') {
      parts.push(header({ path, typeflag: '0', mode: e.mode ?? 0o644, size: e.data.length, mtime }), e.data, pad(e.data.length));
    } else if (e.type === 'dir') {
      parts.push(header({ path, typeflag: '5', mode: e.mode ?? 0o755, size: 0, mtime }));
    } else {
      parts.push(header({ path, typeflag: '2', mode: 0o777, size: 0, mtime, linkname: e.target }));
    }
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

/** Reads a tar back into entries (regular files, directories, symlinks); used to check our tars. */
export function readTar(buf: Buffer): TarEntry[] {
  const out: TarEntry[] = [];
  let off = 0;
  let paxPath: string | undefined;
  let paxLink: string | undefined;
  while (off + BLOCK <= buf.length) {
    const h = buf.subarray(off, off + BLOCK);
    if (h.every((x) => x === 0)) break;
    const str = (start: number, len: number): string => h.toString('utf8', start, start + len).replace(/\0.*$/s, '');
    const size = parseInt(str(124, 12).trim() || '0', 8);
    const type = str(156, 1);
    const prefix = str(345, 155);
    const name = prefix ? `${prefix}/${str(0, 100)}` : str(0, 100);
    const data = buf.subarray(off + BLOCK, off + BLOCK + size);
    off += BLOCK + size + ((BLOCK - (size % BLOCK)) % BLOCK);
    if (type === 'x') {
      for (const m of data.toString('utf8').matchAll(/\d+ (\w+)=([^\n]*)\n/g)) {
        if (m[1] === 'path') paxPath = m[2];
        if (m[1] === 'linkpath') paxLink = m[2];
      }
      continue;
    }
    const path = paxPath ?? name;
    const mode = parseInt(str(100, 8).trim() || '0', 8);
    if (type === '5') out.push({ type: 'dir', path, mode });
    else if (type === '2') out.push({ type: 'symlink', path, target: paxLink ?? str(157, 100) });
    else out.push({ type: 'file', path, data: Buffer.from(data), mode });
    paxPath = undefined;
    paxLink = undefined;
  }
  return out;
}
