// The fake runtime's stream server, standing in for containerd's: Exec, Attach and PortForward
// hand out one-time URLs on a loopback HTTP server (started on first use, so hollow nodes that
// never stream pay nothing), and the server speaks the same SPDY remote-command and port-forward
// protocols as containerd's, so the agent's client code is the same for both runtimes. Exec runs
// the fake shell against the container's fake file system; port-forward connects to the address
// a pod annotation names (a fake pod has no network namespace to enter).
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { PassThrough, type Duplex } from 'node:stream';
import {
  acceptSpdyUpgrade,
  negotiate,
  offeredStreamProtocols,
  PORT_FORWARD_PROTOCOL,
  rejectUpgrade,
  serveRemoteCommandSpdy,
  servePortForwardSpdy,
  SPDY_REMOTE_COMMAND_PROTOCOLS,
  type ForwardRequest,
  type RemoteCommandOptions,
  type RemoteCommandSession,
} from '../../../lib/streaming/index.js';
import type { FakeContainerIo } from './container-io.js';
import { InputReader } from './input.js';
import { runCommand } from './shell.js';

/** Where a fake pod's forwarded ports lead: `HOST:PORT` for all, or `80=HOST:PORT,…` per port. */
export const FAKE_PORT_FORWARD = 'tugboat.dev/fake-port-forward';

export type StreamSession =
  | { kind: 'exec'; io: FakeContainerIo; cmd: string[]; options: RemoteCommandOptions }
  | { kind: 'attach'; io: FakeContainerIo; options: RemoteCommandOptions }
  | { kind: 'portforward'; annotation: string | undefined };

const TOKEN_TTL_MS = 60_000;

/** Resolves a forwarded port to a loopback address from the pod's annotation, if it names one. */
export function forwardTarget(annotation: string | undefined, port: number): { host: string; port: number } | undefined {
  if (!annotation) return undefined;
  for (const part of annotation.split(',').map((p) => p.trim())) {
    const m = /^(?:(\d+)=)?(.+):(\d+)$/.exec(part);
    if (m && (!m[1] || Number(m[1]) === port)) return { host: m[2] ?? '127.0.0.1', port: Number(m[3]) };
  }
  return undefined;
}

export class FakeStreamServer {
  private server: Server | undefined;
  private listening: Promise<number> | undefined;
  private readonly sessions = new Map<string, { s: StreamSession; expires: number }>();
  private readonly live = new Set<Duplex>();

  async url(s: StreamSession): Promise<string> {
    const port = await this.start();
    const token = randomBytes(12).toString('base64url');
    const now = Date.now();
    for (const [t, v] of this.sessions) if (v.expires < now) this.sessions.delete(t);
    this.sessions.set(token, { s, expires: now + TOKEN_TTL_MS });
    return `http://127.0.0.1:${port}/${s.kind}/${token}`;
  }

  async close(): Promise<void> {
    const srv = this.server;
    this.server = undefined;
    this.listening = undefined;
    for (const sock of this.live) sock.destroy();
    if (srv) await new Promise<void>((r) => srv.close(() => r()));
  }

  private start(): Promise<number> {
    this.listening ??= new Promise((resolve, reject) => {
      const srv = createServer((_req, res) => res.writeHead(400, { 'Content-Type': 'text/plain' }).end('upgrade request required\n'));
      srv.on('upgrade', (req, socket, head) => this.onUpgrade(req.url ?? '', offeredStreamProtocols(req), { socket, head }));
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => resolve((srv.address() as AddressInfo).port));
      srv.unref();
      this.server = srv;
    });
    return this.listening;
  }

  private onUpgrade(path: string, offered: string[], c: { socket: Duplex; head: Buffer }): void {
    const [, kind, token] = path.split('/');
    const entry = this.sessions.get(token ?? '');
    if (!entry || entry.s.kind !== kind || entry.expires < Date.now()) return rejectUpgrade(c.socket, 404, 'invalid or expired stream token\n');
    this.sessions.delete(token ?? '');
    this.live.add(c.socket);
    c.socket.once('close', () => this.live.delete(c.socket));
    const s = entry.s;
    if (s.kind === 'portforward') {
      if (!offered.includes(PORT_FORWARD_PROTOCOL)) return rejectUpgrade(c.socket, 403, `unable to negotiate protocol: server supports ${PORT_FORWARD_PROTOCOL}\n`);
      acceptSpdyUpgrade(c.socket, c.head, PORT_FORWARD_PROTOCOL);
      servePortForwardSpdy(c.socket, { onForward: (r) => forward(r, s.annotation) });
      return;
    }
    const protocol = negotiate(offered, SPDY_REMOTE_COMMAND_PROTOCOLS);
    if (!protocol) return rejectUpgrade(c.socket, 403, `unable to negotiate protocol: server supports ${SPDY_REMOTE_COMMAND_PROTOCOLS.join(', ')}\n`);
    acceptSpdyUpgrade(c.socket, c.head, protocol);
    serveRemoteCommandSpdy(c.socket, { protocol, options: s.options }).then(
      (session) => (s.kind === 'exec' ? runExec(session, s.io, s.cmd) : runAttach(session, s.io)),
      () => c.socket.destroy(),
    );
  }
}

async function runExec(session: RemoteCommandSession, io: FakeContainerIo, cmd: string[]): Promise<void> {
  const ac = new AbortController();
  void session.done.then(() => ac.abort());
  const tty = session.options.tty;
  const toTerminal = (d: string | Buffer): string | Buffer => (tty ? d.toString().replace(/\r?\n/g, '\r\n') : d);
  const code = await runCommand(cmd, {
    input: new InputReader(tty && session.stdin ? echoing(session) : session.stdin),
    out: (d) => session.stdout?.write(toTerminal(d)),
    err: (d) => (session.stderr ?? session.stdout)?.write(toTerminal(d)),
    fs: io.fs,
    env: io.o.env,
    signal: ac.signal,
    ...(tty ? { prompt: '/ # ' } : {}),
  }).catch((err: unknown) => {
    session.stderr?.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 126;
  });
  await session.finish({ exitCode: code });
}

/** A terminal's line discipline, enough for an interactive fake shell: echo, Enter, backspace, ^C, ^D. */
function echoing(session: RemoteCommandSession): PassThrough {
  const lines = new PassThrough();
  let line = '';
  session.stdin?.on('data', (d: Buffer) => {
    for (const ch of d.toString()) {
      if (ch === '\r' || ch === '\n') {
        session.stdout?.write('\r\n');
        lines.write(`${line}\n`);
        line = '';
      } else if (ch === '\x7f' || ch === '\b') {
        if (line) session.stdout?.write('\b \b');
        line = line.slice(0, -1);
      } else if (ch === '\x03') {
        session.stdout?.write('^C\r\n');
        line = '';
      } else if (ch === '\x04' && line === '') {
        lines.end();
      } else {
        session.stdout?.write(ch);
        line += ch;
      }
    }
  });
  session.stdin?.on('end', () => lines.end());
  return lines;
}

async function runAttach(session: RemoteCommandSession, io: FakeContainerIo): Promise<void> {
  const a = io.attach({ stdin: session.stdin, stdout: session.stdout, stderr: session.stderr });
  void session.done.then(() => a.detach());
  await a.done;
  await session.finish({ exitCode: 0 });
}

function forward(r: ForwardRequest, annotation: string | undefined): void {
  const target = forwardTarget(annotation, r.port);
  if (!target) return r.fail(`failed to connect to localhost:${r.port} inside the pod: dial tcp 127.0.0.1:${r.port}: connect: connection refused`);
  const sock = connect(target.port, target.host);
  let connected = false;
  sock.once('connect', () => {
    connected = true;
    r.data.pipe(sock);
    sock.pipe(r.data);
  });
  sock.once('error', (err) => {
    if (!connected) r.fail(`failed to connect to localhost:${r.port} inside the pod: ${err.message}`);
    else r.done();
  });
  sock.once('close', () => r.done());
  r.data.once('close', () => sock.destroy());
}
