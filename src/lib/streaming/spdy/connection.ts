// A SPDY/3.1 session over any byte stream (a TCP or TLS socket after an HTTP upgrade, or a
// WebSocket carrying SPDY for port-forward tunnelling). Either side may open streams: clients
// use odd ids, servers even ones. Frames are sent strictly in order through one queue (header
// compression is asynchronous and must stay in step with the frames), and received frames are
// handled one at a time in arrival order. Peers speaking Kubernetes' flavour of SPDY (moby's
// spdystream) do no flow control, so WINDOW_UPDATE is ignored and never sent.
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { decodeFrame, encodeFrame, FLAG_FIN, FLAG_UNIDIRECTIONAL, FrameSplitter, RstStatus, SpdyProtocolError, type Frame } from './frames.js';
import { HeaderCompressor, HeaderDecompressor } from './header-block.js';
import { SpdyStream, type StreamOwner } from './stream.js';

export type SpdyRole = 'client' | 'server';

export interface SpdyConnectionOptions {
  role: SpdyRole;
  /** A stream the peer opened; call `stream.reply()` to accept it or `stream.reset()` to refuse. */
  onStream?(stream: SpdyStream): void;
  onError?(err: unknown): void;
}

interface PendingOpen {
  stream: SpdyStream;
  resolve(s: SpdyStream): void;
  reject(err: Error): void;
}

export class SpdyConnection extends EventEmitter implements StreamOwner {
  private readonly streams = new Map<number, SpdyStream>();
  private readonly pendingOpens = new Map<number, PendingOpen>();
  private readonly pings = new Map<number, () => void>();
  private readonly splitter = new FrameSplitter();
  private readonly compressor = new HeaderCompressor();
  private readonly decompressor = new HeaderDecompressor();
  private sendChain: Promise<void> = Promise.resolve();
  private receiveChain: Promise<void> = Promise.resolve();
  private nextStreamId: number;
  private nextPingId: number;
  private lastPeerStreamId = 0;
  private goneAway = false;
  private ended = false;
  /** Resolves once the underlying byte stream has closed. */
  readonly closed: Promise<void>;
  private markClosed!: () => void;

  constructor(
    private readonly socket: Duplex,
    private readonly opts: SpdyConnectionOptions,
  ) {
    super();
    this.nextStreamId = opts.role === 'client' ? 1 : 2;
    this.nextPingId = opts.role === 'client' ? 1 : 2;
    this.closed = new Promise((r) => (this.markClosed = r));
    socket.on('data', (chunk: Buffer) => this.onBytes(chunk));
    // Frames already received are still being handled; tear down behind them. A peer that ends
    // its side is done with the session: send what is queued, then end ours too (HTTP servers
    // keep upgraded sockets half-open otherwise).
    socket.on('end', () => {
      this.receiveChain = this.receiveChain
        .then(() => this.sendChain)
        .then(() => {
          this.teardown();
          socket.end();
        });
    });
    socket.on('close', () => {
      this.receiveChain = this.receiveChain.then(() => this.teardown());
    });
    socket.on('error', (err: Error) => {
      this.opts.onError?.(err);
      this.teardown();
    });
  }

  /** Opens a stream and waits for the peer's SYN_REPLY; rejects if the peer resets it. */
  openStream(headers: Record<string, string>, o: { fin?: boolean } = {}): Promise<SpdyStream> {
    if (this.goneAway || this.ended) return Promise.reject(new Error('SPDY connection is closing'));
    const id = this.nextStreamId;
    this.nextStreamId += 2;
    const stream = new SpdyStream(id, headers, this, { replied: false });
    this.streams.set(id, stream);
    const opened = new Promise<SpdyStream>((resolve, reject) => this.pendingOpens.set(id, { stream, resolve, reject }));
    this.enqueue(async () => encodeFrame({ type: 'syn_stream', streamId: id, associatedId: 0, priority: 0, flags: o.fin ? FLAG_FIN : 0, block: await this.compressor.compress(headers) })).catch(
      (err: unknown) => this.failOpen(id, err),
    );
    return opened;
  }

  /** Round trip of a PING, in milliseconds. */
  ping(): Promise<number> {
    const id = this.nextPingId;
    this.nextPingId = (this.nextPingId + 2) & 0x7fffffff || (this.opts.role === 'client' ? 1 : 2);
    const start = Date.now();
    return new Promise((resolve, reject) => {
      this.pings.set(id, () => resolve(Date.now() - start));
      this.enqueue(async () => encodeFrame({ type: 'ping', id })).catch((err: unknown) => reject(err instanceof Error ? err : new Error(String(err))));
    });
  }

  /** Says GOAWAY, lets queued frames drain, then ends the byte stream. */
  async close(): Promise<void> {
    if (this.ended) return;
    if (!this.goneAway) {
      this.goneAway = true;
      await this.enqueue(async () => encodeFrame({ type: 'goaway', lastGoodStreamId: this.lastPeerStreamId, status: 0 })).catch(() => undefined);
    }
    await this.sendChain.catch(() => undefined);
    this.socket.end();
  }

  /** Drops the connection at once. */
  destroy(): void {
    this.socket.destroy();
    this.teardown();
  }

  get isClosed(): boolean {
    return this.ended;
  }

  // ---- StreamOwner

  sendData(streamId: number, data: Buffer, fin: boolean): Promise<void> {
    return this.enqueue(async () => encodeFrame({ type: 'data', streamId, flags: fin ? FLAG_FIN : 0, data }));
  }

  sendReply(streamId: number, headers: Record<string, string>): Promise<void> {
    return this.enqueue(async () => encodeFrame({ type: 'syn_reply', streamId, flags: 0, block: await this.compressor.compress(headers) }));
  }

  sendReset(streamId: number, status: number): Promise<void> {
    return this.enqueue(async () => encodeFrame({ type: 'rst_stream', streamId, status }));
  }

  forget(stream: SpdyStream): void {
    if (this.streams.get(stream.id) === stream) this.streams.delete(stream.id);
  }

  // ---- sending

  /** Queues a frame; frames go out in the order queued, each awaiting the socket's drain. */
  private enqueue(build: () => Promise<Buffer>): Promise<void> {
    const next = this.sendChain.then(async () => {
      if (this.ended) return;
      const bytes = await build();
      if (this.ended) return;
      if (!this.socket.write(bytes)) await new Promise<void>((resolve) => {
        const done = (): void => {
          this.socket.off('drain', done);
          this.socket.off('close', done);
          resolve();
        };
        this.socket.on('drain', done);
        this.socket.on('close', done);
      });
    });
    this.sendChain = next.catch(() => undefined);
    return next;
  }

  // ---- receiving

  private onBytes(chunk: Buffer): void {
    let frames: Buffer[];
    try {
      frames = this.splitter.push(chunk);
    } catch (err) {
      return this.protocolError(err);
    }
    for (const raw of frames) {
      this.receiveChain = this.receiveChain.then(() => this.handle(raw)).catch((err: unknown) => this.protocolError(err));
    }
  }

  private protocolError(err: unknown): void {
    this.opts.onError?.(err);
    if (err instanceof SpdyProtocolError && !this.ended) {
      this.goneAway = true;
      this.enqueue(async () => encodeFrame({ type: 'goaway', lastGoodStreamId: this.lastPeerStreamId, status: 1 })).catch(() => undefined);
    }
    this.socket.end();
    this.teardown();
  }

  private async handle(raw: Buffer): Promise<void> {
    if (this.ended) return;
    const f: Frame = decodeFrame(raw);
    switch (f.type) {
      case 'data': {
        const s = this.streams.get(f.streamId);
        if (!s) return;
        s.onData(f.data);
        if (f.flags & FLAG_FIN) s.endRemote();
        return;
      }
      case 'syn_stream':
        return this.onSynStream(f, await this.decompressor.decompress(f.block));
      case 'syn_reply': {
        await this.decompressor.decompress(f.block);
        const pending = this.pendingOpens.get(f.streamId);
        if (!pending) return;
        this.pendingOpens.delete(f.streamId);
        pending.stream.onReplied();
        pending.resolve(pending.stream);
        if (f.flags & FLAG_FIN) pending.stream.endRemote();
        return;
      }
      case 'headers': {
        const headers = await this.decompressor.decompress(f.block);
        const s = this.streams.get(f.streamId);
        if (!s) return;
        s.emit('headers', headers);
        if (f.flags & FLAG_FIN) s.endRemote();
        return;
      }
      case 'rst_stream': {
        this.failOpen(f.streamId, new Error(`stream ${f.streamId} was reset by the peer (status ${f.status})`));
        this.streams.get(f.streamId)?.onReset();
        return;
      }
      case 'ping': {
        const ours = (f.id & 1) === (this.opts.role === 'client' ? 1 : 0);
        if (ours) {
          this.pings.get(f.id)?.();
          this.pings.delete(f.id);
        } else {
          await this.enqueue(async () => encodeFrame({ type: 'ping', id: f.id }));
        }
        return;
      }
      case 'goaway':
        this.goneAway = true;
        this.emit('goaway', f.lastGoodStreamId);
        return;
      case 'settings':
      case 'window_update':
      case 'unknown':
        return;
    }
  }

  private onSynStream(f: Extract<Frame, { type: 'syn_stream' }>, headers: Record<string, string>): void {
    const peerParity = this.opts.role === 'server' ? 1 : 0;
    if ((f.streamId & 1) !== peerParity || f.streamId <= this.lastPeerStreamId || this.goneAway) {
      this.sendReset(f.streamId, this.goneAway ? RstStatus.REFUSED_STREAM : RstStatus.PROTOCOL_ERROR).catch(() => undefined);
      return;
    }
    this.lastPeerStreamId = f.streamId;
    const stream = new SpdyStream(f.streamId, headers, this, { replied: false });
    this.streams.set(f.streamId, stream);
    if (f.flags & FLAG_FIN) stream.endRemote();
    if (f.flags & FLAG_UNIDIRECTIONAL) stream.end();
    if (this.opts.onStream) this.opts.onStream(stream);
    else stream.reset(RstStatus.REFUSED_STREAM);
  }

  private failOpen(id: number, err: unknown): void {
    const pending = this.pendingOpens.get(id);
    if (!pending) return;
    this.pendingOpens.delete(id);
    this.streams.delete(id);
    pending.reject(err instanceof Error ? err : new Error(String(err)));
  }

  private teardown(): void {
    if (this.ended) return;
    this.ended = true;
    for (const id of [...this.pendingOpens.keys()]) this.failOpen(id, new Error('SPDY connection closed'));
    for (const s of [...this.streams.values()]) s.onReset();
    this.streams.clear();
    this.compressor.close();
    this.decompressor.close();
    this.markClosed();
    this.emit('close');
  }
}
