// The shape of one exec or attach as a server sees it, whatever carried it (SPDY streams or
// WebSocket channels): the user's stdin to read, stdout and stderr to write, terminal resizes,
// and `finish` to report how the command ended. Also the query options every remote-command
// endpoint takes and the parser for the resize stream's concatenated JSON objects.
import type { Readable, Writable } from 'node:stream';
import type { RemoteCommandOutcome } from './status.js';

export interface RemoteCommandOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

export interface TerminalSize {
  width: number;
  height: number;
}

export interface RemoteCommandSession {
  readonly protocol: string;
  readonly options: RemoteCommandOptions;
  /** What the user types; ends when the client closes its stdin. */
  readonly stdin: Readable | undefined;
  readonly stdout: Writable | undefined;
  readonly stderr: Writable | undefined;
  onResize(cb: (size: TerminalSize) => void): void;
  /** Writes the outcome on the error stream and closes the session (idempotent). */
  finish(outcome: RemoteCommandOutcome): Promise<void>;
  /** Resolves when the session is over: finished, or the client went away. */
  readonly done: Promise<void>;
}

const TRUE = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);
const flag = (q: URLSearchParams, name: string): boolean => TRUE.has(q.get(name) ?? '');

/** stdin/stdout/stderr/tty from a request's query; with a TTY stderr is merged into stdout. */
export function remoteCommandOptions(q: URLSearchParams): RemoteCommandOptions {
  const tty = flag(q, 'tty');
  return { stdin: flag(q, 'stdin'), stdout: flag(q, 'stdout'), stderr: flag(q, 'stderr') && !tty, tty };
}

/** Turns the resize stream (JSON objects one after another) into sizes. */
export class ResizeParser {
  private buf = '';

  constructor(private readonly onSize: (s: TerminalSize) => void) {}

  push(chunk: Buffer | string): void {
    this.buf += chunk.toString();
    for (;;) {
      const end = this.buf.indexOf('}');
      if (end < 0) break;
      const start = this.buf.indexOf('{');
      const text = this.buf.slice(start < 0 ? 0 : start, end + 1);
      this.buf = this.buf.slice(end + 1);
      try {
        const v = JSON.parse(text) as { Width?: unknown; Height?: unknown };
        if (typeof v.Width === 'number' && typeof v.Height === 'number') this.onSize({ width: v.Width, height: v.Height });
      } catch {
        // A malformed size is ignored, as Kubernetes does.
      }
    }
  }
}
