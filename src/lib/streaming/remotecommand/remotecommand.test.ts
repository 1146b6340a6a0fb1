// The remote-command protocols end to end on loopback: a SPDY server session driven by our SPDY
// client (as the agent drives a runtime's stream server) with stdin half-close, stderr, resize
// and exit codes; a WebSocket server session driven by a `ws` client speaking v5 (close signal,
// Status on channel 3) and v1 (plain-text errors); and the outcome encoding itself.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { WebSocket, WebSocketServer } from 'ws';
import { acceptSpdyUpgrade, negotiate, offeredStreamProtocols, rejectUpgrade, UpgradeError } from '../index.js';
import { dialRemoteCommand, SPDY_REMOTE_COMMAND_PROTOCOLS, serveRemoteCommandSpdy, serveRemoteCommandWebSocket, WS_REMOTE_COMMAND_PROTOCOLS } from './index.js';
import { remoteCommandOptions, type RemoteCommandSession, type TerminalSize } from './session.js';
import { decodeOutcome, encodeOutcome } from './status.js';

/** A tiny "command": upper-cases stdin to stdout, says hi on stderr, exits with the code in ?code. */
async function run(s: RemoteCommandSession, code: number, sizes: TerminalSize[]): Promise<void> {
  s.onResize((size) => sizes.push(size));
  s.stderr?.write('hi\n');
  if (s.stdin) for await (const chunk of s.stdin) s.stdout?.write(String(chunk).toUpperCase());
  else s.stdout?.write('no input\n');
  await s.finish(code >= 0 ? { exitCode: code } : { error: 'boom' });
}

const collect = async (r: NodeJS.ReadableStream | undefined): Promise<string> => {
  let out = '';
  if (r) for await (const c of r) out += String(c);
  return out;
};

describe('remote command protocols', () => {
  let server: Server;
  let base: string;
  const sizes: TerminalSize[] = [];
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (p) => negotiate([...p], WS_REMOTE_COMMAND_PROTOCOLS) ?? false });

  before(async () => {
    server = createServer((_req, res) => res.writeHead(400).end('upgrade required'));
    server.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const code = Number(url.searchParams.get('code') ?? 0);
      const options = remoteCommandOptions(url.searchParams);
      if (url.pathname === '/refuse') return rejectUpgrade(socket, 404, 'container not found ("x")\n');
      if (req.headers.upgrade === 'websocket') {
        wss.handleUpgrade(req, socket, head, (ws) => void run(serveRemoteCommandWebSocket(ws, { options }), code, sizes));
        return;
      }
      const protocol = negotiate(offeredStreamProtocols(req), SPDY_REMOTE_COMMAND_PROTOCOLS);
      if (!protocol) return rejectUpgrade(socket, 403, 'unable to negotiate protocol');
      acceptSpdyUpgrade(socket, head, protocol);
      serveRemoteCommandSpdy(socket, { protocol, options }).then((s) => run(s, code, sizes), () => undefined);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('runs a command over SPDY with stdin, stdout, stderr and an exit code', async () => {
    const c = await dialRemoteCommand(`${base}/exec?stdin=1&stdout=1&stderr=1&code=3`, { stdin: true, stdout: true, stderr: true, tty: false });
    assert.equal(c.protocol, 'v4.channel.k8s.io');
    const [out, err] = [collect(c.stdout), collect(c.stderr)];
    c.stdin?.write('hello ');
    c.stdin?.end('world');
    assert.equal(await out, 'HELLO WORLD');
    assert.equal(await err, 'hi\n');
    assert.deepEqual(await c.outcome, { exitCode: 3 });
  });

  it('carries terminal sizes over SPDY and reports failures', async () => {
    sizes.length = 0;
    const c = await dialRemoteCommand(`${base}/exec?stdin=1&stdout=1&tty=1&code=-1`, { stdin: true, stdout: true, stderr: false, tty: true });
    assert.equal(c.stderr, undefined);
    c.resize({ width: 120, height: 40 });
    await new Promise((r) => setTimeout(r, 50));
    c.stdin?.end('x');
    assert.equal(await collect(c.stdout), 'X');
    assert.deepEqual(await c.outcome, { error: 'boom' });
    assert.deepEqual(sizes, [{ width: 120, height: 40 }]);
  });

  it('relays a refused upgrade as an UpgradeError with the status and body', async () => {
    const err = await dialRemoteCommand(`${base}/refuse`, { stdin: false, stdout: true, stderr: false, tty: false }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof UpgradeError);
    assert.equal(err.statusCode, 404);
    assert.equal(err.message, 'container not found ("x")');
  });

  const wsRun = (protocols: string[], query: string, input?: (ws: WebSocket) => void): Promise<{ protocol: string; frames: [number, string][] }> =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(`${base.replace('http:', 'ws:')}/exec?${query}`, protocols);
      const frames: [number, string][] = [];
      ws.on('open', () => input?.(ws));
      ws.on('message', (m: Buffer) => frames.push([m[0] ?? -1, m.subarray(1).toString()]));
      ws.on('close', () => resolve({ protocol: ws.protocol, frames }));
      ws.on('error', reject);
    });

  it('serves v5 over WebSocket: stdin closed with [255, 0], resize on 4, Status on channel 3', async () => {
    sizes.length = 0;
    const r = await wsRun(['v5.channel.k8s.io'], 'stdin=true&stdout=true&stderr=true&code=0', (ws) => {
      ws.send(Buffer.from([0, ...Buffer.from('abc')]));
      ws.send(Buffer.from([4, ...Buffer.from('{"Width":80,"Height":25}')]));
      ws.send(Buffer.from([255, 0]));
    });
    assert.equal(r.protocol, 'v5.channel.k8s.io');
    assert.deepEqual(r.frames.filter(([c]) => c === 1), [[1, 'ABC']]);
    assert.deepEqual(r.frames.filter(([c]) => c === 2), [[2, 'hi\n']]);
    assert.deepEqual(r.frames.at(-1), [3, '{"metadata":{},"status":"Success"}']);
    assert.deepEqual(sizes, [{ width: 80, height: 25 }]);
  });

  it('serves v4 with a NonZeroExitCode Status, and v1 with plain-text errors', async () => {
    const v4 = await wsRun(['v4.channel.k8s.io'], 'stdout=true&code=7');
    const status = JSON.parse(v4.frames.at(-1)?.[1] ?? '{}') as { reason?: string; details?: { causes?: { message?: string }[] } };
    assert.equal(status.reason, 'NonZeroExitCode');
    assert.equal(status.details?.causes?.[0]?.message, '7');
    const v1 = await wsRun(['channel.k8s.io'], 'stdout=true&code=-1');
    assert.equal(v1.protocol, 'channel.k8s.io');
    assert.deepEqual(v1.frames.at(-1), [3, 'boom']);
  });

  it('encodes and decodes outcomes in both error-stream formats', () => {
    for (const statusJson of [true, false]) {
      for (const o of [{ exitCode: 0 }, { exitCode: 42 }, { error: 'container not running' }]) {
        assert.deepEqual(decodeOutcome(encodeOutcome(o, { statusJson }) ?? Buffer.alloc(0), { statusJson }), o);
      }
    }
  });
});
