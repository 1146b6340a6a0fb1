// Serving exec/attach over SPDY, as the kubelet and the CRI stream servers do: after the upgrade
// the client opens one stream per role, named by its `streamtype` header (error, stdin, stdout,
// stderr, resize). We accept each, wait until every stream the options call for has arrived,
// and hand them over as a session. Finishing writes the outcome on the error stream, half-closes
// the output streams and says GOAWAY.
import { PassThrough, type Writable } from 'node:stream';
import { SpdyConnection, type SpdyStream } from '../spdy/index.js';
import { ResizeParser, type RemoteCommandOptions, type RemoteCommandSession, type TerminalSize } from './session.js';
import { encodeOutcome, type RemoteCommandOutcome } from './status.js';
import type { Duplex } from 'node:stream';

/** Protocols a SPDY remote-command server speaks, newest first (v5 over SPDY behaves as v4). */
export const SPDY_REMOTE_COMMAND_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'];

const versionOf = (protocol: string): number => Number(/^v(\d+)\./.exec(protocol)?.[1] ?? 1);

function expectedStreams(protocol: string, o: RemoteCommandOptions): Set<string> {
  const v = versionOf(protocol);
  const want = new Set(['error']);
  if (o.stdin) want.add('stdin');
  if (o.stdout) want.add('stdout');
  if (o.stderr && !(o.tty && v >= 2)) want.add('stderr');
  if (o.tty && v >= 3) want.add('resize');
  return want;
}

export interface SpdyServeOptions {
  protocol: string;
  options: RemoteCommandOptions;
  /** How long to wait for the client's streams (Kubernetes: 30 s). */
  streamTimeoutMs?: number;
  onError?(err: unknown): void;
}

/** Runs the server side of a SPDY remote command on an upgraded socket. */
export function serveRemoteCommandSpdy(socket: Duplex, o: SpdyServeOptions): Promise<RemoteCommandSession> {
  const want = expectedStreams(o.protocol, o.options);
  const got = new Map<string, SpdyStream>();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      conn.destroy();
      reject(new Error(`timed out waiting for client streams (have ${[...got.keys()].join(', ') || 'none'})`));
    }, o.streamTimeoutMs ?? 30_000);
    const conn = new SpdyConnection(socket, {
      role: 'server',
      onError: o.onError,
      onStream: (s) => {
        void s.reply();
        const type = s.headers.streamtype ?? '';
        got.set(type, s);
        if (type === 'error' || type === 'stdout' || type === 'stderr') s.resume();
        if ([...want].every((w) => got.has(w))) {
          clearTimeout(timer);
          resolve(new SpdySession(conn, got, o));
        }
      },
    });
    void conn.closed.then(() => {
      clearTimeout(timer);
      reject(new Error('client closed the connection before opening its streams'));
    });
  });
}

class SpdySession implements RemoteCommandSession {
  readonly protocol: string;
  readonly options: RemoteCommandOptions;
  readonly stdin: PassThrough | undefined;
  readonly stdout: Writable | undefined;
  readonly stderr: Writable | undefined;
  readonly done: Promise<void>;
  private finished = false;
  private readonly resizeListeners: ((s: TerminalSize) => void)[] = [];

  constructor(
    private readonly conn: SpdyConnection,
    private readonly streams: Map<string, SpdyStream>,
    o: SpdyServeOptions,
  ) {
    this.protocol = o.protocol;
    this.options = o.options;
    const stdin = streams.get('stdin');
    if (stdin) {
      this.stdin = new PassThrough();
      stdin.pipe(this.stdin);
    }
    this.stdout = streams.get('stdout');
    this.stderr = streams.get('stderr');
    const parser = new ResizeParser((size) => this.resizeListeners.forEach((l) => l(size)));
    streams.get('resize')?.on('data', (d: Buffer) => parser.push(d));
    this.done = conn.closed;
  }

  onResize(cb: (size: TerminalSize) => void): void {
    this.resizeListeners.push(cb);
  }

  async finish(outcome: RemoteCommandOutcome): Promise<void> {
    if (this.finished) return this.done;
    this.finished = true;
    const ends = [this.streams.get('stdout'), this.streams.get('stderr')].filter((s): s is SpdyStream => s !== undefined).map((s) => endOf(s));
    await Promise.all(ends);
    const err = this.streams.get('error');
    if (err) {
      const body = encodeOutcome(outcome, { statusJson: versionOf(this.protocol) >= 4 });
      await endOf(err, body);
    }
    await this.conn.close();
  }
}

function endOf(s: Writable, last?: Buffer): Promise<void> {
  return new Promise((resolve) => {
    if (s.writableFinished || s.destroyed) return resolve();
    s.once('finish', resolve);
    s.once('close', resolve);
    if (last) s.end(last);
    else s.end();
  });
}
