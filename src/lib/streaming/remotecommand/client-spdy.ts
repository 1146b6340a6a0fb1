// The client side of exec/attach over SPDY, which is what the agent speaks to the container
// runtime's stream server (containerd's CRI streaming, or the fake runtime's): dial the URL the
// runtime returned, open the error stream and one stream per enabled role (as kubectl does), and
// expose them as plain Node streams plus the outcome read from the error stream.
import type { Readable, Writable } from 'node:stream';
import { SpdyConnection } from '../spdy/index.js';
import { dialSpdy } from '../upgrade.js';
import type { RemoteCommandOptions, TerminalSize } from './session.js';
import { decodeOutcome, type RemoteCommandOutcome } from './status.js';

/** What we offer a runtime's stream server: v4 first (containerd does not know v5). */
export const CLIENT_REMOTE_COMMAND_PROTOCOLS = ['v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'];

export interface RemoteCommandClient {
  readonly protocol: string;
  readonly stdin: Writable | undefined;
  readonly stdout: Readable | undefined;
  readonly stderr: Readable | undefined;
  resize(size: TerminalSize): void;
  /** How the command ended, once the server reported it (or dropped the connection). */
  readonly outcome: Promise<RemoteCommandOutcome>;
  close(): void;
}

const collect = (s: Readable): Promise<Buffer> =>
  new Promise((resolve) => {
    const parts: Buffer[] = [];
    s.on('data', (d: Buffer) => parts.push(d));
    s.on('end', () => resolve(Buffer.concat(parts)));
    s.on('close', () => resolve(Buffer.concat(parts)));
  });

export async function dialRemoteCommand(url: string, o: RemoteCommandOptions & { ca?: string; rejectUnauthorized?: boolean }): Promise<RemoteCommandClient> {
  const { protocol, socket } = await dialSpdy(url, { protocols: CLIENT_REMOTE_COMMAND_PROTOCOLS, ...(o.ca ? { ca: o.ca } : {}), rejectUnauthorized: o.rejectUnauthorized ?? true });
  const conn = new SpdyConnection(socket, { role: 'client' });
  const version = Number(/^v(\d+)\./.exec(protocol)?.[1] ?? 1);
  try {
    const error = await conn.openStream({ streamtype: 'error' });
    error.end();
    const stdin = o.stdin ? await conn.openStream({ streamtype: 'stdin' }) : undefined;
    const stdout = o.stdout ? await conn.openStream({ streamtype: 'stdout' }) : undefined;
    const stderr = o.stderr && !(o.tty && version >= 2) ? await conn.openStream({ streamtype: 'stderr' }) : undefined;
    const resize = o.tty && version >= 3 ? await conn.openStream({ streamtype: 'resize' }) : undefined;
    for (const s of [stdout, stderr]) s?.end();
    const errorBody = collect(error);
    const outcome = (async (): Promise<RemoteCommandOutcome> => {
      const raw = await errorBody;
      // The server reports on the error stream and then ends the session; output streams close with it.
      return decodeOutcome(raw, { statusJson: version >= 4 });
    })();
    return {
      protocol,
      stdin,
      stdout,
      stderr,
      resize: (size) => resize?.write(`${JSON.stringify({ Width: size.width, Height: size.height })}\n`),
      outcome,
      close: () => conn.destroy(),
    };
  } catch (err) {
    conn.destroy();
    throw err;
  }
}

