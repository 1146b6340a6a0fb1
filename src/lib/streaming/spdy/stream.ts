// One SPDY stream as a Node Duplex: what the peer sends on it arrives on the readable side, and
// writes become DATA frames. Ending the writable side sends an empty DATA frame with FIN (a
// half-close, which is how Kubernetes clients say "no more stdin"); the peer's FIN ends the
// readable side. A reset (RST_STREAM either way) ends both sides quietly: writes after it are
// dropped, as Kubernetes' own servers do, rather than raising errors nobody listens for.
import { Duplex } from 'node:stream';
import { RstStatus } from './frames.js';

/** What a stream needs from its connection. */
export interface StreamOwner {
  sendData(streamId: number, data: Buffer, fin: boolean): Promise<void>;
  sendReply(streamId: number, headers: Record<string, string>): Promise<void>;
  sendReset(streamId: number, status: number): Promise<void>;
  forget(stream: SpdyStream): void;
}

/** Largest DATA frame we send; small enough to interleave streams fairly. */
const CHUNK = 32 * 1024;

export class SpdyStream extends Duplex {
  /** Set once the local side may write (our SYN_REPLY sent, or the peer's received). */
  private canWrite: Promise<void>;
  private markReady!: () => void;
  private localDone = false;
  private remoteDone = false;
  private wasReset = false;

  constructor(
    readonly id: number,
    readonly headers: Record<string, string>,
    private readonly owner: StreamOwner,
    opts: { replied: boolean },
  ) {
    super({ allowHalfOpen: true });
    this.canWrite = new Promise((r) => (this.markReady = r));
    if (opts.replied) this.markReady();
  }

  /** Accepts a stream the peer opened (SYN_REPLY); writes wait for this. */
  async reply(headers: Record<string, string> = {}): Promise<void> {
    await this.owner.sendReply(this.id, headers);
    this.markReady();
  }

  /** Aborts the stream in both directions (RST_STREAM). */
  reset(status: number = RstStatus.CANCEL): void {
    if (this.wasReset) return;
    this.wasReset = true;
    this.localDone = true;
    this.owner.sendReset(this.id, status).catch(() => undefined);
    this.endRemote();
    this.owner.forget(this);
  }

  get isReset(): boolean {
    return this.wasReset;
  }

  // ---- called by the connection

  /** @internal The peer's SYN_REPLY arrived. */
  onReplied(): void {
    this.markReady();
  }

  /** @internal Bytes from a DATA frame. */
  onData(data: Buffer): void {
    if (this.remoteDone || data.length === 0) return;
    this.push(data);
  }

  /** @internal The peer half-closed (FIN) or the connection ended. */
  endRemote(): void {
    if (this.remoteDone) return;
    this.remoteDone = true;
    this.push(null);
    if (this.localDone) this.owner.forget(this);
  }

  /** @internal The peer reset the stream, or the connection went away. */
  onReset(): void {
    this.wasReset = true;
    this.localDone = true;
    this.endRemote();
    this.owner.forget(this);
    // Let pending writes finish as no-ops and tell writers the stream is gone.
    if (!this.writableEnded) this.end();
  }

  // ---- Duplex

  override _read(): void {
    // Data is pushed as frames arrive; SPDY/3 flow control is not used by Kubernetes peers.
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.writeChunks(chunk).then(() => cb(), (err: unknown) => cb(err instanceof Error ? err : new Error(String(err))));
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.finishLocal().then(() => cb(), () => cb());
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (!this.localDone || !this.remoteDone) this.reset(RstStatus.CANCEL);
    cb(err);
  }

  private async writeChunks(chunk: Buffer): Promise<void> {
    await this.canWrite;
    for (let off = 0; off < chunk.length && !this.localDone; off += CHUNK) {
      await this.owner.sendData(this.id, chunk.subarray(off, off + CHUNK), false);
    }
  }

  private async finishLocal(): Promise<void> {
    if (this.localDone) return;
    await this.canWrite;
    if (this.localDone) return;
    this.localDone = true;
    await this.owner.sendData(this.id, Buffer.alloc(0), true);
    if (this.remoteDone) this.owner.forget(this);
  }
}
