// exec and attach on the agent: the client (kubectl, through the API server) speaks WebSocket
// v1–v5 or SPDY; the runtime's stream server speaks SPDY up to v4. The agent sits between them:
// it asks the runtime for a session URL, dials it, then accepts the client's upgrade and copies
// stdin, stdout, stderr and terminal sizes across, finally passing the runtime's outcome (exit
// code or failure) back in the client's own protocol. This is the translation Kubernetes does in
// its API server for v5; here the agent does it, so the API server only relays bytes.
import type { IncomingMessage } from 'node:http';
import type { Duplex, Readable, Writable } from 'node:stream';
import { WebSocketServer } from 'ws';
import {
  acceptSpdyUpgrade,
  dialRemoteCommand,
  headerList,
  negotiate,
  offeredStreamProtocols,
  rejectUpgrade,
  remoteCommandOptions,
  serveRemoteCommandSpdy,
  serveRemoteCommandWebSocket,
  SPDY_REMOTE_COMMAND_PROTOCOLS,
  UpgradeError,
  wantsWebSocket,
  WS_REMOTE_COMMAND_PROTOCOLS,
  type RemoteCommandClient,
  type RemoteCommandOptions,
  type RemoteCommandSession,
} from '../../lib/streaming/index.js';
import { HttpError } from './targets.js';

export interface Upgrade {
  req: IncomingMessage;
  socket: Duplex;
  head: Buffer;
}

const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });

/** Checks the query, then asks the runtime for a URL (CRI Exec/Attach) and dials it. */
export async function openRemoteCommand(
  q: URLSearchParams,
  o: { kind: 'exec' | 'attach'; start(options: RemoteCommandOptions, cmd: string[]): Promise<string> },
): Promise<{ remote: RemoteCommandClient; options: RemoteCommandOptions }> {
  const options = remoteCommandOptions(q);
  const cmd = q.getAll('command');
  if (o.kind === 'exec' && cmd.length === 0) throw new HttpError(400, 'you must specify at least 1 command');
  if (!options.stdin && !options.stdout && !options.stderr) throw new HttpError(400, 'you must specify at least 1 of stdin, stdout, stderr');
  const url = await o.start(options, cmd);
  try {
    return { remote: await dialRemoteCommand(url, options), options };
  } catch (err) {
    if (err instanceof UpgradeError) throw new HttpError(err.statusCode || 500, err.message);
    throw err;
  }
}

/** Accepts the client's upgrade in whichever protocol it asked for; undefined if refused. */
export async function acceptClient(u: Upgrade, options: RemoteCommandOptions): Promise<RemoteCommandSession | undefined> {
  if (wantsWebSocket(u.req)) {
    const protocol = negotiate(headerList(u.req.headers['sec-websocket-protocol']), WS_REMOTE_COMMAND_PROTOCOLS);
    if (!protocol) {
      rejectUpgrade(u.socket, 400, `unable to upgrade: no supported sub-protocol; server supports ${WS_REMOTE_COMMAND_PROTOCOLS.join(', ')}\n`);
      return undefined;
    }
    return new Promise((resolve) => wss.handleUpgrade(u.req, u.socket, u.head, (ws) => resolve(serveRemoteCommandWebSocket(ws, { options }))));
  }
  const protocol = negotiate(offeredStreamProtocols(u.req), SPDY_REMOTE_COMMAND_PROTOCOLS);
  if (!protocol) {
    rejectUpgrade(u.socket, 403, `unable to upgrade: unable to negotiate protocol: client supports ${offeredStreamProtocols(u.req).join(', ')}, server supports ${SPDY_REMOTE_COMMAND_PROTOCOLS.join(', ')}\n`);
    return undefined;
  }
  acceptSpdyUpgrade(u.socket, u.head, protocol);
  return serveRemoteCommandSpdy(u.socket, { protocol, options }).catch(() => undefined);
}

const ended = (r: Readable | undefined): Promise<void> =>
  new Promise((resolve) => {
    if (!r || r.readableEnded || r.destroyed) return resolve();
    r.once('end', resolve);
    r.once('close', resolve);
  });

const withTimeout = (p: Promise<void>, ms: number): Promise<void> => Promise.race([p, new Promise<void>((r) => setTimeout(r, ms).unref())]);

function copy(from: Readable | undefined, to: Writable | undefined): void {
  if (!from) return;
  if (!to) {
    from.resume();
    return;
  }
  from.pipe(to, { end: false });
}

/** Copies everything between the client session and the runtime until the command ends or the client leaves. */
export async function bridge(session: RemoteCommandSession, remote: RemoteCommandClient): Promise<void> {
  if (session.stdin && remote.stdin) session.stdin.pipe(remote.stdin);
  else session.stdin?.resume();
  copy(remote.stdout, session.stdout);
  copy(remote.stderr, session.stderr);
  session.onResize((size) => remote.resize(size));
  const clientGone = session.done.then(() => 'gone' as const);
  const result = await Promise.race([remote.outcome, clientGone]);
  if (result === 'gone') {
    remote.close();
    return;
  }
  // The runtime reports before its output streams necessarily drained; wait for them briefly.
  await withTimeout(Promise.all([ended(remote.stdout), ended(remote.stderr)]).then(() => undefined), 2000);
  await session.finish(result);
  remote.close();
}
