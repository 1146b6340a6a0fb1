// Reading a fake process's stdin the ways its commands need: line by line (an interactive shell),
// chunk by chunk (cat), or all of it (tar x). Several commands of one session take turns on the
// same stream, so bytes one has not consumed stay for the next.
import type { Readable } from 'node:stream';

export class InputReader {
  private buf = Buffer.alloc(0);
  private ended = false;
  private wake: (() => void) | undefined;

  constructor(stream: Readable | undefined) {
    if (!stream) {
      this.ended = true;
      return;
    }
    stream.on('data', (d: Buffer | string) => {
      this.buf = Buffer.concat([this.buf, Buffer.from(d)]);
      this.notify();
    });
    const end = (): void => {
      this.ended = true;
      this.notify();
    };
    stream.on('end', end);
    stream.on('close', end);
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private wait(): Promise<void> {
    return new Promise((r) => (this.wake = r));
  }

  /** The next chunk, or undefined at end of input. */
  async chunk(): Promise<Buffer | undefined> {
    while (this.buf.length === 0 && !this.ended) await this.wait();
    if (this.buf.length === 0) return undefined;
    const out = this.buf;
    this.buf = Buffer.alloc(0);
    return out;
  }

  /** The next line without its newline, or undefined at end of input. */
  async line(): Promise<string | undefined> {
    for (;;) {
      const nl = this.buf.indexOf(10);
      if (nl >= 0) {
        const line = this.buf.subarray(0, nl).toString();
        this.buf = this.buf.subarray(nl + 1);
        return line.replace(/\r$/, '');
      }
      if (this.ended) {
        if (this.buf.length === 0) return undefined;
        const rest = this.buf.toString();
        this.buf = Buffer.alloc(0);
        return rest;
      }
      await this.wait();
    }
  }

  /** Everything until end of input. */
  async all(): Promise<Buffer> {
    const parts: Buffer[] = [];
    for (let c = await this.chunk(); c; c = await this.chunk()) parts.push(c);
    return Buffer.concat(parts);
  }
}
