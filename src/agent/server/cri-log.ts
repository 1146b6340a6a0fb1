// Reading CRI log files, the format containerd (and the fake runtime) write for every container:
// one record per line, `<RFC3339Nano time> <stdout|stderr> <F|P> <text>`, where P marks a
// fragment of a longer line that continues in the next record. This module parses records and
// finds where the last N of them start, reading the file backwards so `--tail` on a large log
// costs only the lines it returns.
import type { FileHandle } from 'node:fs/promises';

export interface LogRecord {
  /** The timestamp exactly as written. */
  time: string;
  /** Milliseconds since the epoch, for --since filtering. */
  ms: number;
  stream: 'stdout' | 'stderr';
  partial: boolean;
  text: string;
}

/** Parses one record line (without its newline); undefined for a malformed one. */
export function parseRecord(line: string): LogRecord | undefined {
  const a = line.indexOf(' ');
  const b = a < 0 ? -1 : line.indexOf(' ', a + 1);
  if (a < 0 || b < 0) return undefined;
  const time = line.slice(0, a);
  const stream = line.slice(a + 1, b);
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  const c = line.indexOf(' ', b + 1);
  // Older writers omit the tag: everything after the stream is the text of a full line.
  const tag = c < 0 ? line.slice(b + 1) : line.slice(b + 1, c);
  const tagged = tag === 'F' || tag === 'P';
  const text = tagged ? (c < 0 ? '' : line.slice(c + 1)) : line.slice(b + 1);
  const ms = Date.parse(time);
  if (Number.isNaN(ms)) return undefined;
  return { time, ms, stream, partial: tag === 'P', text };
}

const BLOCK = 64 * 1024;

/** The byte offset where the last `n` records of the file start (0 when it has fewer). */
export async function tailOffset(fh: FileHandle, size: number, n: number): Promise<number> {
  if (n <= 0) return size;
  let pos = size;
  let newlines = 0;
  // A final newline ends the last record rather than starting a new one.
  let skipFirst = true;
  const buf = Buffer.alloc(BLOCK);
  while (pos > 0) {
    const len = Math.min(BLOCK, pos);
    pos -= len;
    await fh.read(buf, 0, len, pos);
    for (let i = len - 1; i >= 0; i--) {
      if (buf[i] !== 10) {
        skipFirst = false;
        continue;
      }
      if (skipFirst && pos + i === size - 1) {
        skipFirst = false;
        continue;
      }
      newlines += 1;
      if (newlines === n) return pos + i + 1;
    }
  }
  return 0;
}
