// Port-forward protocols on loopback: a SPDY server session driven by our SPDY client (pairs by
// request id, failure text on the error stream, several connections on one session), pairing
// of old clients that send no request id, and the channel-framed WebSocket variant (port number
// first on each channel, data on even channels, errors on odd ones).
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { WebSocket, WebSocketServer } from 'ws';
import { SpdyConnection } from '../spdy/index.js';
import { acceptSpdyUpgrade, dialSpdy } from '../upgrade.js';
import { dialPortForward, portsFromQuery, PORT_FORWARD_PROTOCOL, servePortForwardSpdy, servePortForwardWebSocket, type ForwardRequest } from './index.js';

/** Echoes port 7's data upper-cased; refuses anything else. */
function handle(r: ForwardRequest): void {
  if (r.port !== 7) return r.fail(`dial tcp 127.0.0.1:${r.port}: connect: connection refused`);
  r.data.on('data', (d: Buffer) => r.data.write(d.toString().toUpperCase()));
  r.data.on('end', () => r.done());
}

const collect = async (s: NodeJS.ReadableStream): Promise<string> => {
  let out = '';
  for await (const c of s) out += String(c);
  return out;
};

describe('port-forward protocols', () => {
  let server: Server;
  let base = '';
  const wss = new WebSocketServer({ noServer: true });

  before(async () => {
    server = createServer();
    server.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (req.headers.upgrade === 'websocket') {
        wss.handleUpgrade(req, socket, head, (ws) => servePortForwardWebSocket(ws, { ports: portsFromQuery(url.searchParams), onForward: handle }));
        return;
      }
      acceptSpdyUpgrade(socket, head, PORT_FORWARD_PROTOCOL);
      servePortForwardSpdy(socket, { onForward: handle });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('forwards several connections over one SPDY session and reports failures', async () => {
    const pf = await dialPortForward(`${base}/pf`);
    const a = await pf.forward(7);
    const b = await pf.forward(7);
    const [ra, rb] = [collect(a.data), collect(b.data)];
    a.data.end('first');
    b.data.end('second');
    assert.deepEqual([await ra, await rb], ['FIRST', 'SECOND']);
    assert.deepEqual([await a.error, await b.error], ['', '']);
    const refused = await pf.forward(8);
    assert.match(await refused.error, /connection refused/);
    await pf.close();
  });

  it('pairs streams of clients that send no request id by stream order', async () => {
    const { socket } = await dialSpdy(`${base}/pf`, { protocols: [PORT_FORWARD_PROTOCOL] });
    const conn = new SpdyConnection(socket, { role: 'client' });
    const error = await conn.openStream({ streamtype: 'error', port: '7' });
    error.end();
    const data = await conn.openStream({ streamtype: 'data', port: '7' });
    const back = collect(data);
    data.end('legacy');
    assert.equal(await back, 'LEGACY');
    await conn.close();
  });

  it('frames ports on WebSocket channels: port numbers first, data even, errors odd', async () => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/pf?ports=7,8`, ['v4.channel.k8s.io']);
    const frames: [number, Buffer][] = [];
    ws.on('message', (m: Buffer) => frames.push([m[0] ?? -1, m.subarray(1)]));
    await new Promise((r) => ws.once('open', r));
    ws.send(Buffer.from([0, ...Buffer.from('abc')]));
    const text = (ch: number): string => Buffer.concat(frames.filter(([c]) => c === ch).slice(1).map(([, d]) => d)).toString();
    for (let i = 0; i < 100 && !(text(0) === 'ABC' && text(3) !== ''); i++) await new Promise((r) => setTimeout(r, 20));
    ws.close();
    const firsts = frames.slice(0, 4).map(([c, d]) => [c, d.readUInt16LE(0)]);
    assert.deepEqual(firsts, [[0, 7], [1, 7], [2, 8], [3, 8]]);
    assert.equal(text(0), 'ABC');
    assert.match(text(3), /connection refused/);
  });

  it('parses the ports query', () => {
    assert.deepEqual(portsFromQuery(new URLSearchParams('ports=80,443&ports=8080')), [80, 443, 8080]);
    assert.throws(() => portsFromQuery(new URLSearchParams('ports=http')), /invalid port/);
  });
});
