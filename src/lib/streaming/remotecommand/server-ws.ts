// Serving exec/attach over a WebSocket with the channel.k8s.io framing (kubectl 1.30+ tries this
// first, with v5). Channel 0 is the user's stdin, 1 and 2 carry stdout and stderr, 4 brings
// terminal sizes and 3 carries the outcome at the end; v5 clients close stdin with [255, 0].
// Writes wait for the socket to take the message, so a slow client slows the command's output
// instead of growing a buffer. Output is held back for a moment after the upgrade: kubectl up to
// 1.32 starts reading the socket before it has registered its stdout/stderr streams and drops
// ("Unknown stream id 1") whatever arrives in between; kube-apiserver's extra hop to the
// kubelet hides that window, a direct server like ours must wait it out.
import { PassThrough, Writable } from 'node:stream';
import type { WebSocket } from 'ws';
import { Channel, decodeChannelMessage, encodeChannelMessage, framing, type ChannelFraming } from '../channels.js';
import { ResizeParser, type RemoteCommandOptions, type RemoteCommandSession, type TerminalSize } from './session.js';
import { encodeOutcome, type RemoteCommandOutcome } from './status.js';

/** Sub-protocols a WebSocket remote-command server speaks, newest first. */
export const WS_REMOTE_COMMAND_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v4.base64.channel.k8s.io', 'channel.k8s.io', 'base64.channel.k8s.io'];

/** How long output waits after the upgrade so older clients have their streams ready. */
export const FIRST_OUTPUT_DELAY_MS = 100;

export function serveRemoteCommandWebSocket(ws: WebSocket, o: { options: RemoteCommandOptions }): RemoteCommandSession {
  return new WsSession(ws, o.options);
}

class WsSession implements RemoteCommandSession {
  readonly protocol: string;
  readonly stdin: PassThrough | undefined;
  readonly stdout: Writable | undefined;
  readonly stderr: Writable | undefined;
  readonly done: Promise<void>;
  private readonly f: ChannelFraming;
  private finished = false;
  private readonly resizeListeners: ((s: TerminalSize) => void)[] = [];
  private readonly clientReady = new Promise<void>((resolve) => setTimeout(resolve, FIRST_OUTPUT_DELAY_MS));

  constructor(
    private readonly ws: WebSocket,
    readonly options: RemoteCommandOptions,
  ) {
    this.protocol = ws.protocol || 'channel.k8s.io';
    this.f = framing(this.protocol);
    if (options.stdin) this.stdin = new PassThrough();
    if (options.stdout) this.stdout = this.channelWriter(Channel.STDOUT);
    if (options.stderr) this.stderr = this.channelWriter(Channel.STDERR);
    const resize = new ResizeParser((size) => this.resizeListeners.forEach((l) => l(size)));
    ws.on('message', (raw: Buffer, isBinary: boolean) => {
      const m = decodeChannelMessage(this.f, raw, isBinary);
      if (!m) return;
      if (m.channel === Channel.STDIN) this.stdin?.write(m.data);
      else if (m.channel === Channel.RESIZE) resize.push(m.data);
      else if (m.channel === Channel.CLOSE && this.f.closeSignal && m.data[0] === Channel.STDIN) this.stdin?.end();
    });
    this.done = new Promise((resolve) => ws.once('close', () => resolve()));
    void this.done.then(() => {
      if (this.stdin && !this.stdin.writableEnded) this.stdin.end();
    });
  }

  onResize(cb: (size: TerminalSize) => void): void {
    this.resizeListeners.push(cb);
  }

  async finish(outcome: RemoteCommandOutcome): Promise<void> {
    if (this.finished) return this.done;
    this.finished = true;
    await Promise.all([this.stdout, this.stderr].map((w) => (w ? endWriter(w) : Promise.resolve())));
    const body = encodeOutcome(outcome, { statusJson: this.f.statusJson });
    if (body && this.ws.readyState === this.ws.OPEN) await this.send(Channel.ERROR, body);
    if (this.ws.readyState === this.ws.OPEN) this.ws.close(1000);
    await this.done;
  }

  private async send(channel: number, data: Buffer): Promise<void> {
    await this.clientReady;
    return new Promise((resolve) => {
      if (this.ws.readyState !== this.ws.OPEN) return resolve();
      this.ws.send(encodeChannelMessage(this.f, channel, data), () => resolve());
    });
  }

  private channelWriter(channel: number): Writable {
    return new Writable({
      write: (chunk: Buffer, _enc, cb) => {
        this.send(channel, chunk).then(() => cb(), () => cb());
      },
    });
  }
}

function endWriter(w: Writable): Promise<void> {
  return new Promise((resolve) => {
    if (w.writableFinished) return resolve();
    w.once('finish', resolve);
    w.end();
  });
}
