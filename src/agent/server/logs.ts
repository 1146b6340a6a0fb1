// GET /containerLogs/{namespace}/{pod}/{container}: a container's log as `kubectl logs` wants it,
// from the CRI log file of the instance the kubelet would pick (current, or --previous). Honours
// tailLines, sinceSeconds/sinceTime, timestamps and limitBytes; with follow=true it keeps sending
// what the container writes until the container stops or the client goes away. Fragments of long
// lines (P records) are joined back into one line, as the kubelet does.
import { open, type FileHandle } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import type { Runtime } from '../cri/index.js';
import { parseRecord, tailOffset } from './cri-log.js';
import { HttpError } from './targets.js';

export interface LogOptions {
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  /** Only records at or after this time (ms since the epoch). */
  sinceMs?: number;
  limitBytes?: number;
}

const TRUE = new Set(['1', 't', 'true', 'True', 'TRUE']);

function nonNegativeInt(q: URLSearchParams, name: string, min: number): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new HttpError(400, `invalid ${name} ${JSON.stringify(v)}: must be an integer of at least ${min}`);
  return n;
}

export function logOptions(q: URLSearchParams, now: number): LogOptions {
  const o: LogOptions = { follow: TRUE.has(q.get('follow') ?? ''), previous: TRUE.has(q.get('previous') ?? ''), timestamps: TRUE.has(q.get('timestamps') ?? '') };
  const tail = nonNegativeInt(q, 'tailLines', 0);
  if (tail !== undefined) o.tailLines = tail;
  const limit = nonNegativeInt(q, 'limitBytes', 1);
  if (limit !== undefined) o.limitBytes = limit;
  const since = nonNegativeInt(q, 'sinceSeconds', 1);
  if (since !== undefined) o.sinceMs = now - since * 1000;
  const sinceTime = q.get('sinceTime');
  if (sinceTime) {
    const ms = Date.parse(sinceTime);
    if (Number.isNaN(ms)) throw new HttpError(400, `invalid sinceTime ${JSON.stringify(sinceTime)}`);
    o.sinceMs = ms;
  }
  return o;
}

interface Follow {
  /** False once the container has stopped writing for good. */
  running(): Promise<boolean>;
  signal: AbortSignal;
  pollMs?: number;
}

/** Streams a CRI log file to the response per the options. */
export async function serveLog(res: ServerResponse, path: string, o: LogOptions, follow: Follow): Promise<void> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    throw new HttpError(400, `failed to open log file "${path}": ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache' });
    res.flushHeaders();
    const { size } = await fh.stat();
    let pos = o.tailLines !== undefined ? await tailOffset(fh, size, o.tailLines) : 0;
    let left = o.limitBytes ?? Infinity;
    let carry = '';
    const decoder = new StringDecoder('utf8');
    let pending = '';
    const emit = (text: string): boolean => {
      if (left <= 0) return false;
      const b = Buffer.from(text);
      const out = b.length > left ? b.subarray(0, left) : b;
      left -= out.length;
      res.write(out);
      return left > 0;
    };
    const consume = (chunk: string): boolean => {
      const lines = (carry + chunk).split('\n');
      carry = lines.pop() ?? '';
      for (const line of lines) {
        const r = parseRecord(line);
        if (!r || (o.sinceMs !== undefined && r.ms < o.sinceMs)) continue;
        const start = pending === '' && o.timestamps ? `${r.time} ` : '';
        if (r.partial) {
          pending += start + r.text;
          continue;
        }
        const full = `${pending}${start}${r.text}\n`;
        pending = '';
        if (!emit(full)) return false;
      }
      return true;
    };
    // Without follow, the log is what the file held when asked: lines written meanwhile would make
    // --tail answers longer than asked for.
    const end = o.follow && !o.previous ? Infinity : size;
    const readMore = async (): Promise<boolean> => {
      const buf = Buffer.alloc(64 * 1024);
      for (;;) {
        const want = Math.min(buf.length, end - pos);
        if (want <= 0) return true;
        const { bytesRead } = await fh.read(buf, 0, want, pos);
        if (bytesRead === 0) return true;
        pos += bytesRead;
        if (!consume(decoder.write(buf.subarray(0, bytesRead)))) return false;
      }
    };
    let more = await readMore();
    if (o.follow && !o.previous) {
      let checks = 0;
      const pollMs = follow.pollMs ?? 200;
      while (more && !follow.signal.aborted) {
        await new Promise((r) => setTimeout(r, pollMs));
        more = await readMore();
        // The container may have stopped; read once more after noticing so nothing is lost.
        if (++checks % 5 === 0 && !(await follow.running())) {
          if (more) await readMore();
          break;
        }
      }
    }
  } finally {
    await fh.close();
  }
}

/** Whether a runtime container is still running (false when it is gone). */
export const isRunning = (runtime: Runtime, id: string) => async (): Promise<boolean> =>
  runtime.containerStatus(id).then(
    (s) => s.state === 'CONTAINER_RUNNING',
    () => false,
  );
