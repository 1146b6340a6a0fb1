// The lines of a log stream as the viewer keeps them: chunks split into whole lines (a partial
// last line waits for the rest), each line's RFC 3339 timestamp split off when the stream was
// asked for timestamps, and only the newest `max` lines kept so a chatty container cannot eat
// the browser's memory. After a reconnect (sinceTime = the last timestamp seen) lines at or
// before that timestamp are dropped, so nothing is shown twice.

export interface LogLine {
  /** Position in the whole stream, stable for React keys. */
  n: number;
  /** The kubelet's timestamp for the line, when the stream carried timestamps. */
  ts?: string;
  text: string;
}

const TS = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})) (.*)$/s;

/** Compares RFC 3339 UTC timestamps with any number of fractional digits. */
export function tsAfter(a: string, b: string): boolean {
  const [wa = '', fa = ''] = a.replace(/Z$/, '').split('.');
  const [wb = '', fb = ''] = b.replace(/Z$/, '').split('.');
  if (wa !== wb) return wa > wb;
  const len = Math.max(fa.length, fb.length);
  return fa.padEnd(len, '0') > fb.padEnd(len, '0');
}

export class LogBuffer {
  readonly lines: LogLine[] = [];
  /** Lines dropped from the front because of `max`. */
  dropped = 0;
  lastTs: string | undefined;
  private partial = '';
  private next = 0;
  private skipUntil: string | undefined;

  constructor(
    private readonly max: number,
    private readonly withTimestamps: boolean,
  ) {}

  /** Adds a chunk; returns whether any whole line was added. */
  push(chunk: string): boolean {
    const text = this.partial + chunk;
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    let added = false;
    for (const raw of parts) added = this.add(raw.replace(/\r$/, '')) || added;
    return added;
  }

  /** The stream ended: a last line without a newline still counts. */
  end(): boolean {
    const rest = this.partial;
    this.partial = '';
    return rest ? this.add(rest) : false;
  }

  /** A new stream starts from sinceTime = lastTs: drop what it repeats. */
  resume(): void {
    this.partial = '';
    this.skipUntil = this.lastTs;
  }

  private add(raw: string): boolean {
    let line: LogLine = { n: this.next, text: raw };
    if (this.withTimestamps) {
      const m = TS.exec(raw);
      if (m) {
        const ts = m[1] ?? '';
        if (this.skipUntil && !tsAfter(ts, this.skipUntil)) return false;
        this.skipUntil = undefined;
        this.lastTs = ts;
        line = { n: this.next, ts, text: m[2] ?? '' };
      }
    }
    this.next += 1;
    this.lines.push(line);
    if (this.lines.length > this.max) {
      const cut = this.lines.length - this.max;
      this.lines.splice(0, cut);
      this.dropped += cut;
    }
    return true;
  }
}
